"""flask voting ...: set up voting, print ballot cards and count votes from the command line.

The organizer area offers the same actions in the browser; these commands call the same services.
"""

from pathlib import Path
from urllib.parse import urlsplit

import click
from flask import current_app, render_template, url_for
from flask.cli import AppGroup
from sqlalchemy import select

from wsapp.cli.common import needs_database, output_file, write_file
from wsapp.extensions import db
from wsapp.models import Workshop
from wsapp.rules import is_http_url
from wsapp.services.voting import admin as voting_admin
from wsapp.services.voting import cards, results
from wsapp.services.voting import codes as ballot_codes

voting = AppGroup("voting", help="Best oral / best poster voting.")


def _workshop(slug: str) -> Workshop:
    workshop = db.session.scalar(select(Workshop).where(Workshop.slug == slug))
    if workshop is None:
        raise click.ClickException(f"no workshop {slug!r}")
    return workshop


OUTPUT = click.Path(dir_okay=False, path_type=Path)


def _base_url(ctx, param, value: str) -> str:
    if not is_http_url(value, dotted=False):
        raise click.BadParameter(
            f"{value!r} is not an http(s) address such as https://ws.example.org"
        )
    return value


def _output(ctx, param, value: Path | None) -> Path | None:
    return output_file(value) if value is not None else None


@voting.command("setup")
@click.argument("slug")
@needs_database
def setup(slug: str) -> None:
    """Create the default categories (best oral, best poster) if missing."""
    cats = voting_admin.ensure_default_categories(_workshop(slug))
    db.session.commit()
    click.echo("Categories: " + ", ".join(f"{c.slug} ({c.name})" for c in cats))


@voting.command("codes")
@click.argument("slug")
@click.option(
    "-n", "count", type=click.IntRange(0, ballot_codes.MAX_BATCH), default=0,
    help="Issue this many new codes first.",
)  # fmt: skip
@click.option(
    "--base-url", required=True, callback=_base_url,
    help="The site's address, e.g. https://ws.example.org",
)  # fmt: skip
@click.option(
    "--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path), callback=_output
)
@click.option(
    "--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), callback=_output
)
@needs_database
def codes(slug, count, base_url, csv_path, html_path) -> None:
    """Issue ballot codes and write every code issued so far as CSV and printable cards."""
    workshop = _workshop(slug)
    if count:
        try:
            ballot_codes.generate_codes(workshop, count)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
        db.session.commit()
    issued = ballot_codes.issued_codes(workshop)
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))
    with current_app.test_request_context(base_url=base_url):
        # Joined by hand: url_for(_external=True) would prefer a configured SERVER_NAME.
        def vote_url(code: str) -> str:
            return origin + url_for("voting.index", slug=slug, code=code)

        if csv_path:
            write_file(csv_path, ballot_codes.codes_csv(issued, vote_url))
        if html_path:
            css = Path(current_app.static_folder, "css", "site.css").read_text(encoding="utf-8")
            html = render_template(
                "voting/codes_sheet.html",
                workshop=workshop,
                cards=cards.for_codes(issued, vote_url),
                inline_css=css,
                stylesheet_url=url_for("static", filename="css/site.css"),
            )
            write_file(html_path, html)
    click.echo(f"{len(issued)} codes issued for {slug}")


@voting.command("tally")
@click.argument("slug")
@needs_database
def tally(slug: str) -> None:
    """Print every category's counts as CSV (published or not)."""
    click.echo(results.results_csv(results.tallies(_workshop(slug))), nl=False)
