"""flask demo load: the demo content from the seed workshops."""

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from wsapp.cli.common import needs_database
from wsapp.cli.content import load_or_fail
from wsapp.extensions import db
from wsapp.models import Workshop
from wsapp.services.content.demo import DEMO_FILE, demo_content

demo = AppGroup("demo", help="Demo content from the seed workshops.")


@demo.command("load")
@click.option("--if-empty", is_flag=True, help="Only load into a database without workshops.")
@needs_database
def demo_load(if_empty: bool) -> None:
    """Load both seed workshops (idempotent: loading again updates them)."""
    if if_empty and db.session.scalar(select(func.count(Workshop.id))):
        click.echo("Database already has workshops; demo content not loaded.")
        return
    workshops = load_or_fail(DEMO_FILE, demo_content)
    click.echo("Loaded demo workshops: " + ", ".join(w.slug for w in workshops))
