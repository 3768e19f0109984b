"""flask content load|dump, flask export and flask import ARCHIVE: the site's content in files."""

from collections.abc import Callable
from pathlib import Path

import click
import yaml
from flask import current_app
from flask.cli import AppGroup

from wsapp.cli.common import needs_database, output_file, write_file
from wsapp.extensions import db
from wsapp.models import Workshop
from wsapp.services.backup import BackupError, export_site, import_site
from wsapp.services.content.site import ContentError, dump_site, load_site
from wsapp.services.content.values import read_yaml

content = AppGroup(
    "content", help="Load or dump the whole site's content (docs/content-format.md)."
)


def load_or_fail(path: Path, read: Callable[[], dict] | None = None) -> list[Workshop]:
    """Load a content file and commit, or roll back and end the command with the reason."""
    try:
        data = read() if read else read_yaml(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{path}: not a readable YAML file: {_one_line(exc)}") from None
    try:
        workshops = load_site(data)
    except ContentError as exc:
        db.session.rollback()
        raise click.ClickException(f"{path}: {_one_line(exc)}") from None
    db.session.commit()
    return workshops


@content.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@needs_database
def content_load(path: Path) -> None:
    """Create or update the workshops and people described in PATH."""
    workshops = load_or_fail(path)
    click.echo("Loaded: " + ", ".join(w.slug for w in workshops))


@content.command("dump")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@needs_database
def content_dump(path: Path) -> None:
    """Write every workshop and person to PATH in the wsapp/1 format."""
    output_file(path)
    text = yaml.safe_dump(dump_site(), allow_unicode=True, sort_keys=False, width=100)
    write_file(path, text)
    click.echo(f"Wrote {path}")


@click.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@needs_database
def export_command(path: Path) -> None:
    """Write the whole site (every table and every image) to one archive."""
    output_file(path)
    try:
        counts = export_site(path, Path(current_app.config["MEDIA_DIR"]))
    except OSError as exc:
        raise click.ClickException(f"cannot write {path}: {exc.strerror or exc}") from None
    click.echo(f"Wrote {path}: {sum(counts.values())} rows in {len(counts)} tables")


def _one_line(error: Exception) -> str:
    """A YAML error's message spans lines (the mark, a caret): one line for the terminal."""
    return " ".join(str(error).split())


def import_archive(path: Path) -> None:
    """Restore an archive written by `flask export` into an empty database."""
    try:
        counts = import_site(path, Path(current_app.config["MEDIA_DIR"]))
    except BackupError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Restored {sum(counts.values())} rows in {len(counts)} tables from {path}")
