"""flask commands: demo content and the content file format."""

from pathlib import Path

import click
import yaml
from flask.cli import AppGroup
from sqlalchemy import func, select

from wsapp.cli_voting import voting
from wsapp.extensions import db
from wsapp.models import Workshop
from wsapp.services.content_io import ContentError, dump_site, load_site

DEMO_FILE = Path(__file__).parent / "data" / "demo.yaml"

demo = AppGroup("demo", help="Demo content from the seed workshops.")
content = AppGroup("content", help="Load or dump the whole site's content (docs/content-format.md).")


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


COMMANDS = [demo, content, voting]
