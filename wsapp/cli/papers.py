"""flask papers ...: import a workshop's accepted papers from OpenReview or a spreadsheet.

Both commands update the papers they imported before (matched by the source's id), never
duplicate one, and never drop a paper attendees voted for; --dry-run shows what would change.
"""

import os
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from wsapp.extensions import db
from wsapp.importers import papers as importing
from wsapp.importers.papers import openreview, table
from wsapp.models import Workshop

papers = AppGroup("papers", help="Accepted papers: import them from OpenReview or a spreadsheet.")


def _workshop(slug: str) -> Workshop:
    workshop = db.session.scalar(select(Workshop).where(Workshop.slug == slug))
    if workshop is None:
        raise click.ClickException(f"no workshop {slug!r}")
    return workshop


def _finish(workshop: Workshop, source: str, incoming, report, dry_run: bool) -> None:
    importing.apply_import(workshop, source, incoming, report)
    for line in report.lines():
        click.echo(line)
    if dry_run:
        db.session.rollback()
        click.echo("Dry run: nothing was stored.")
        return
    db.session.commit()
    click.echo(f"Stored the papers of /{workshop.slug}/.")


@papers.command("import-openreview")
@click.argument("slug")
@click.argument("venue_id")
@click.option(
    "--baseurl",
    default=openreview.API_URL,
    show_default=True,
    envvar="OPENREVIEW_API_BASEURL_V2",
    help="The OpenReview API (version 2).",
)
@click.option("--no-pdfs", is_flag=True, help="Do not download and host the papers' PDFs.")
@click.option("--dry-run", is_flag=True, help="Read and check everything, store nothing.")
def import_openreview(slug, venue_id, baseurl, no_pdfs, dry_run) -> None:
    """Import the accepted papers of the OpenReview venue VENUE_ID into workshop SLUG.

    VENUE_ID is the venue's group, e.g. NeurIPS.cc/2023/Workshop/BUGS. Public venues need no
    account; for papers only organizers see, set OPENREVIEW_USERNAME and OPENREVIEW_PASSWORD
    (or OPENREVIEW_TOKEN) in the environment.
    """  # fmt: skip
    workshop = _workshop(slug)
    report = importing.Report(source=f"OpenReview {venue_id}")
    try:
        client = openreview.connect(baseurl, token=os.environ.get("OPENREVIEW_TOKEN") or None)
        incoming = openreview.fetch(client, venue_id, report, with_pdfs=not no_pdfs)
    except importing.ImportFailed as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    _finish(workshop, "openreview", incoming, report, dry_run)


@papers.command("import")
@click.argument("slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", help="The source's name in the papers' ids (default: cmt, "
              "easychair, csv or yaml, from the file).")  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Read and check everything, store nothing.")
def import_file(slug, file, source, dry_run) -> None:
    """Import accepted papers from FILE (CSV, TSV or YAML) into workshop SLUG.

    docs/papers.md lists the columns read (CMT's and EasyChair's exports work as they are).
    """
    workshop = _workshop(slug)
    if source is not None and not source.replace("-", "").isalnum():
        raise click.BadParameter("letters, digits and dashes only", param_hint="--source")
    report = importing.Report(source=str(file.name))
    try:
        source, incoming = table.parse(file, report, source)
    except importing.ImportFailed as exc:
        raise click.ClickException(f"{file.name}: {exc}") from exc
    _finish(workshop, source, incoming, report, dry_run)
