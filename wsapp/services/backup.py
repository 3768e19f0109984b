"""Whole-site backups: every table and every media file in one archive, restored losslessly.

The archive is a zip with `manifest.json` (format, schema revision, table row counts),
`tables/<name>.jsonl` (one JSON object per row, typed values tagged) and `media/<file>`.
It is table-driven: every table in the metadata is included, so new models are covered
without changes here. Restore needs an empty database at the same schema revision.
"""

import base64
import datetime as dt
import decimal
import json
import zipfile
from pathlib import Path

from alembic.migration import MigrationContext
from sqlalchemy import Connection, func, insert, select, text

from wsapp.extensions import db

FORMAT = "wsapp-backup/1"


class BackupError(ValueError):
    """The archive cannot be restored here; the message says why."""


def _encode(value):
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, bytes | memoryview):
        return {"$bytes": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, decimal.Decimal):
        return {"$dec": str(value)}
    return value


def _decode(value):
    if isinstance(value, dict) and len(value) == 1:
        ((tag, raw),) = value.items()
        if tag == "$dt":
            return dt.datetime.fromisoformat(raw)
        if tag == "$date":
            return dt.date.fromisoformat(raw)
        if tag == "$bytes":
            return base64.b64decode(raw)
        if tag == "$dec":
            return decimal.Decimal(raw)
    return value


def _revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def export_site(path: Path, media_dir: Path | None) -> dict[str, int]:
    """Write the archive; returns the row count per table."""
    connection = db.session.connection()
    counts: dict[str, int] = {}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in db.metadata.sorted_tables:
            columns = [c.name for c in table.columns]
            query = select(*table.columns).order_by(*table.primary_key.columns)
            lines = []
            for row in connection.execute(query):
                lines.append(json.dumps({c: _encode(v) for c, v in zip(columns, row, strict=True)}))
            archive.writestr(f"tables/{table.name}.jsonl", "\n".join(lines))
            counts[table.name] = len(lines)
        media = []
        if media_dir and media_dir.is_dir():
            for file in sorted(p for p in media_dir.rglob("*") if p.is_file()):
                name = file.relative_to(media_dir).as_posix()
                archive.write(file, f"media/{name}")
                media.append(name)
        manifest = {
            "format": FORMAT,
            "revision": _revision(connection),
            "exported": dt.datetime.now(dt.UTC).isoformat(),
            "tables": counts,
            "media": media,
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
    return counts


def import_site(path: Path, media_dir: Path | None) -> dict[str, int]:
    """Restore an archive into an empty database at the same schema revision (no commit)."""
    connection = db.session.connection()
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupError(f"{path} is not a wsapp backup archive: {exc}") from exc
    with archive:
        manifest = _manifest(archive)
        here = _revision(connection)
        if manifest["revision"] != here:
            raise BackupError(
                f"the archive is at schema revision {manifest['revision']}, this database at "
                f"{here}; run `flask --app wsapp db upgrade` to the same revision first"
            )
        for table in db.metadata.sorted_tables:
            if connection.scalar(select(func.count()).select_from(table)):
                raise BackupError(f"the database is not empty (table {table.name} has rows)")
        for table in db.metadata.sorted_tables:
            _restore_table(connection, archive, table)
        _reset_sequences(connection)
        if media_dir is not None:
            _restore_media(archive, manifest.get("media", []), media_dir)
    return manifest["tables"]


def _manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError) as exc:
        raise BackupError("the archive has no readable manifest.json") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown archive format {manifest.get('format')!r}")
    return manifest


def _restore_table(connection: Connection, archive: zipfile.ZipFile, table) -> None:
    try:
        raw = archive.read(f"tables/{table.name}.jsonl").decode()
    except KeyError as exc:
        raise BackupError(f"the archive lacks table {table.name}") from exc
    rows = [
        {k: _decode(v) for k, v in json.loads(line).items()} for line in raw.splitlines() if line
    ]
    for start in range(0, len(rows), 500):
        connection.execute(insert(table), rows[start : start + 500])


def _reset_sequences(connection: Connection) -> None:
    if connection.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        for column in table.primary_key.columns:
            if column.autoincrement is True or (
                column.autoincrement == "auto"
                and column.type.python_type is int
                and len(table.primary_key.columns) == 1
            ):
                connection.execute(
                    text(
                        "SELECT setval(pg_get_serial_sequence(:t, :c), "
                        f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false)"
                    ),
                    {"t": table.name, "c": column.name},
                )


def _restore_media(archive: zipfile.ZipFile, names: list[str], media_dir: Path) -> None:
    media_dir.mkdir(parents=True, exist_ok=True)
    root = media_dir.resolve()
    for name in names:
        target = (media_dir / name).resolve()
        if root not in target.parents:
            raise BackupError(f"refusing media path outside the media folder: {name!r}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(archive.read(f"media/{name}"))
