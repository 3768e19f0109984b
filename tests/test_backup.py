"""`flask export` / `flask import`: the whole site round-trips losslessly through one archive."""

import json
import zipfile

import pytest
from conftest import load_demo
from flask_migrate import upgrade
from sqlalchemy import select

from wsapp.extensions import db


def _snapshot() -> dict:
    """Every row of every table, in primary-key order."""
    connection = db.session.connection()
    return {
        table.name: [
            tuple(row)
            for row in connection.execute(
                select(*table.columns).order_by(*table.primary_key.columns)
            )
        ]
        for table in db.metadata.sorted_tables
    }


def test_export_import_round_trip(fresh_app, tmp_path):
    source = fresh_app(MEDIA_DIR=str(tmp_path / "media-a"))
    (tmp_path / "media-a" / "ab").mkdir(parents=True)
    (tmp_path / "media-a" / "ab" / "photo.webp").write_bytes(b"RIFF....WEBPVP8 fake")
    with source.app_context():
        upgrade()
        load_demo()
        before = _snapshot()
    archive = tmp_path / "site.zip"
    result = source.test_cli_runner().invoke(args=["export", str(archive)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(archive) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["tables"]["schedule_item"] == 38 and manifest["media"] == ["ab/photo.webp"]

    target = fresh_app(MEDIA_DIR=str(tmp_path / "media-b"))
    with target.app_context():
        upgrade()
    result = target.test_cli_runner().invoke(args=["import", str(archive)])
    assert result.exit_code == 0, result.output
    with target.app_context():
        assert _snapshot() == before
        # sequences continue after the restored ids (PostgreSQL) and inserts work
        from wsapp.models import Person

        db.session.add(Person(key="new-person", name="New"))
        db.session.commit()
    assert (tmp_path / "media-b" / "ab" / "photo.webp").read_bytes() == b"RIFF....WEBPVP8 fake"
    assert target.test_client().get("/bugs-2023/schedule").status_code == 200

    again = target.test_cli_runner().invoke(args=["import", str(archive)])
    assert again.exit_code != 0 and "not empty" in again.output


@pytest.mark.parametrize("content", [b"not a zip", None])
def test_import_refuses_bad_archives(fresh_app, tmp_path, content):
    app = fresh_app()
    with app.app_context():
        upgrade()
    path = tmp_path / "bad.zip"
    if content is None:
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("manifest.json", json.dumps({"format": "other"}))
    else:
        path.write_bytes(content)
    result = app.test_cli_runner().invoke(args=["import", str(path)])
    assert result.exit_code != 0
    assert "not a wsapp backup" in result.output or "unknown archive format" in result.output
