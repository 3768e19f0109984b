"""flask workshops ...: start a workshop's next edition from the command line.

The organizer area offers the same action on a workshop's page; both call services/editions.py.
"""

import click
from flask.cli import AppGroup
from sqlalchemy import select

from wsapp.cli.common import needs_database
from wsapp.extensions import db
from wsapp.models import Workshop
from wsapp.services import editions

workshops = AppGroup("workshops", help="Workshop editions and their series.")


@workshops.command("next-edition")
@click.argument("slug")
@click.option("--slug", "new_slug", required=True, help="The new edition's address name.")
@click.option("--year", type=int, required=True, help="The new edition's year.")
@needs_database
def next_edition(slug: str, new_slug: str, year: int) -> None:
    """Make the unpublished next edition of workshop SLUG, copying what carries over."""
    old = db.session.scalar(select(Workshop).where(Workshop.slug == slug))
    if old is None:
        raise click.ClickException(f"no workshop {slug!r}")
    try:
        report = editions.next_edition(old, new_slug, year)
    except editions.EditionError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    new = report.workshop
    click.echo(f"Created {new.slug} (unpublished), the next edition of {old.slug}")
    if report.new_series:
        click.echo(f"Series: {new.series.slug} ({new.series.name}), new; {old.slug} joined it")
    else:
        click.echo(f"Series: {new.series.slug} ({new.series.name})")
    click.echo("Copied:")
    for label, count in report.copied:
        click.echo(f"  {label}" if count is None else f"  {label}: {count}")
    click.echo("Left with the old edition:")
    for label in report.left:
        click.echo(f"  {label}")
    if report.suggested_dates:
        click.echo("Dates shifted by a year, to confirm (not stored):")
        for label, day in report.suggested_dates:
            click.echo(f"  {label}: {day.isoformat()}")
