"""flask content load|dump, flask export and flask import ARCHIVE: the site's content in files."""

from collections.abc import Callable
from pathlib import Path

import click
import yaml
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from wsapp.extensions import db
from wsapp.models import Workshop
from wsapp.services.backup import BackupError, export_site, import_site
from wsapp.services.content.site import ContentError, dump_site, load_site

content = AppGroup(
    "content", help="Load or dump the whole site's content (docs/content-format.md)."
)


def load_or_fail(path: Path, read: Callable[[], dict] | None = None) -> list[Workshop]:
    """Load a content file and commit, or roll back and end the command with the reason."""
    try:
        data = read() if read else yaml.safe_load(path.read_text(encoding="utf-8"))
        workshops = load_site(data)
    except (ContentError, yaml.YAMLError) as exc:
        db.session.rollback()
        raise click.ClickException(f"{path}: {exc}") from exc
    db.session.commit()
    return workshops


@content.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def content_load(path: Path) -> None:
    """Create or update the workshops and people described in PATH."""
    workshops = load_or_fail(path)
    click.echo("Loaded: " + ", ".join(w.slug for w in workshops))


@content.command("dump")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def content_dump(path: Path) -> None:
    """Write every workshop and person to PATH in the wsapp/1 format."""
    text = yaml.safe_dump(dump_site(), allow_unicode=True, sort_keys=False, width=100)
    path.write_text(text, encoding="utf-8")
    click.echo(f"Wrote {path}")


@click.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def export_command(path: Path) -> None:
    """Write the whole site (every table and every image) to one archive."""
    counts = export_site(path, Path(current_app.config["MEDIA_DIR"]))
    click.echo(f"Wrote {path}: {sum(counts.values())} rows in {len(counts)} tables")


def import_archive(path: Path) -> None:
    """Restore an archive written by `flask export` into an empty database."""
    try:
        counts = import_site(path, Path(current_app.config["MEDIA_DIR"]))
    except BackupError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Restored {sum(counts.values())} rows in {len(counts)} tables from {path}")
