"""flask voting ...: set up voting, print ballot cards and count votes from the command line.

The organizer area offers the same actions in the browser; these commands call the same services.
"""

from pathlib import Path
from urllib.parse import urlsplit

import click
from flask import current_app, render_template, url_for
from flask.cli import AppGroup
from sqlalchemy import select

from wsapp.extensions import db
from wsapp.models import Workshop
from wsapp.services.voting import admin as voting_admin
from wsapp.services.voting import cards, results
from wsapp.services.voting import codes as ballot_codes

voting = AppGroup("voting", help="Best oral / best poster voting.")


def _workshop(slug: str) -> Workshop:
    workshop = db.session.scalar(select(Workshop).where(Workshop.slug == slug))
    if workshop is None:
        raise click.ClickException(f"no workshop {slug!r}")
    return workshop


@voting.command("setup")
@click.argument("slug")
def setup(slug: str) -> None:
    """Create the default categories (best oral, best poster) if missing."""
    cats = voting_admin.ensure_default_categories(_workshop(slug))
    db.session.commit()
    click.echo("Categories: " + ", ".join(f"{c.slug} ({c.name})" for c in cats))


@voting.command("codes")
@click.argument("slug")
@click.option("-n", "count", type=int, default=0, help="Issue this many new codes first.")
@click.option("--base-url", required=True, help="The site's address, e.g. https://ws.example.org")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path))
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
            csv_path.write_text(ballot_codes.codes_csv(issued, vote_url), encoding="utf-8")
        if html_path:
            css = Path(current_app.static_folder, "css", "site.css").read_text(encoding="utf-8")
            html = render_template(
                "voting/codes_sheet.html",
                workshop=workshop,
                cards=cards.for_codes(issued, vote_url),
                inline_css=css,
                stylesheet_url=url_for("static", filename="css/site.css"),
            )
            html_path.write_text(html, encoding="utf-8")
    click.echo(f"{len(issued)} codes issued for {slug}")


@voting.command("tally")
@click.argument("slug")
def tally(slug: str) -> None:
    """Print every category's counts as CSV (published or not)."""
    click.echo(results.results_csv(results.tallies(_workshop(slug))), nl=False)
