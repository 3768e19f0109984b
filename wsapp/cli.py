"""flask commands: demo content, the content file format, and user accounts."""

import sys
from pathlib import Path

import click
import yaml
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, select

from wsapp.cli_transfer import freeze, import_jekyll
from wsapp.cli_voting import voting
from wsapp.extensions import db
from wsapp.models import Workshop
from wsapp.services import accounts
from wsapp.services.backup import BackupError, export_site, import_site
from wsapp.services.content_io import ContentError, dump_site, load_site

DEMO_FILE = Path(__file__).parent / "data" / "demo.yaml"

demo = AppGroup("demo", help="Demo content from the seed workshops.")
content = AppGroup(
    "content", help="Load or dump the whole site's content (docs/content-format.md)."
)
users = AppGroup("users", help="User accounts.")


def _load_file(path: Path) -> list[Workshop]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        workshops = load_site(data)
    except (ContentError, yaml.YAMLError) as exc:
        db.session.rollback()
        raise click.ClickException(f"{path}: {exc}") from exc
    db.session.commit()
    return workshops


@demo.command("load")
@click.option("--if-empty", is_flag=True, help="Only load into a database without workshops.")
def demo_load(if_empty: bool) -> None:
    """Load both seed workshops (idempotent: loading again updates them)."""
    if if_empty and db.session.scalar(select(func.count(Workshop.id))):
        click.echo("Database already has workshops; demo content not loaded.")
        return
    workshops = _load_file(DEMO_FILE)
    click.echo("Loaded demo workshops: " + ", ".join(w.slug for w in workshops))


@content.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def content_load(path: Path) -> None:
    """Create or update the workshops and people described in PATH."""
    workshops = _load_file(path)
    click.echo("Loaded: " + ", ".join(w.slug for w in workshops))


@content.command("dump")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def content_dump(path: Path) -> None:
    """Write every workshop and person to PATH in the wsapp/1 format."""
    text = yaml.safe_dump(dump_site(), allow_unicode=True, sort_keys=False, width=100)
    path.write_text(text, encoding="utf-8")
    click.echo(f"Wrote {path}")


@users.command("create-admin")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_create_admin(email: str, password_stdin: bool) -> None:
    """Create a site admin who can log in with EMAIL (asks for the password)."""
    if accounts.user_by_email(email) is not None:
        raise click.ClickException(f"a user with the e-mail address {email} already exists")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = accounts.create_admin(email, password)
    except accounts.AccountError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Created site admin {user.email}")


class ImportGroup(AppGroup):
    """`flask import FILE` restores a backup; `flask import <source> ...` runs an importer."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["archive", *args]
        return super().parse_args(ctx, args)


import_group = ImportGroup(
    "import", help="Restore a backup archive, or import a site from elsewhere."
)


@click.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def export_command(path: Path) -> None:
    """Write the whole site (every table and every image) to one archive."""
    counts = export_site(path, Path(current_app.config["MEDIA_DIR"]))
    click.echo(f"Wrote {path}: {sum(counts.values())} rows in {len(counts)} tables")


@import_group.command("archive")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_archive(path: Path) -> None:
    """Restore an archive written by `flask export` into an empty database."""
    try:
        counts = import_site(path, Path(current_app.config["MEDIA_DIR"]))
    except BackupError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Restored {sum(counts.values())} rows in {len(counts)} tables from {path}")


import_group.add_command(import_jekyll)

COMMANDS = [demo, content, users, export_command, import_group, freeze, voting]
