"""Organizer pages for ballot codes and live results."""

from flask import Blueprint, Response, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from wsapp import htmx
from wsapp.blueprints.manage.voting import settings_page
from wsapp.extensions import db
from wsapp.forms.voting_admin import CodesForm
from wsapp.htmx import render
from wsapp.permissions import organizer_required
from wsapp.rules import db_int
from wsapp.services.voting import cards as ballot_cards
from wsapp.services.voting import codes as ballot_codes
from wsapp.services.voting import results
from wsapp.timezones.clock import now
from wsapp.timezones.formats import to_zone

bp = Blueprint("manage_voting_results", __name__, url_prefix="/manage")


def _private(response: Response, filename: str | None = None) -> Response:
    """Codes and counts are for organizers only: never stored by a cache."""
    response.headers["Cache-Control"] = "no-store"
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _batch(workshop) -> list[ballot_codes.IssuedCode]:
    first, last = request.args.get("first", type=db_int), request.args.get("last", type=db_int)
    return ballot_codes.issued_codes(workshop, first, last)


def _vote_url(workshop):
    def vote_url(code: str) -> str:
        return url_for("voting.index", slug=workshop.slug, code=code, _external=True)

    return vote_url


@bp.post("/<slug>/voting/codes")
@organizer_required
def issue_codes(workshop):
    form = CodesForm()
    if not form.validate_on_submit():
        return settings_page(workshop, 422, codes_form=form)
    issued = ballot_codes.generate_codes(workshop, form.count.data)
    first, last = issued[0].serial, issued[-1].serial
    db.session.commit()
    flash(
        ngettext(
            "%(num)d new ballot code issued.", "%(num)d new ballot codes issued.", len(issued)
        ),
        "success",
    )
    return htmx.redirect(
        url_for("manage_voting.index", slug=workshop.slug, first=first, last=last, _anchor="codes")
    )


@bp.get("/<slug>/voting/codes/cards")
@organizer_required
def cards(workshop):
    sheet = render_template(
        "voting/codes_sheet.html",
        workshop=workshop,
        cards=ballot_cards.for_codes(_batch(workshop), _vote_url(workshop)),
        inline_css=None,
        stylesheet_url=url_for("static", filename="css/site.css"),
    )
    return _private(Response(sheet, mimetype="text/html"))


@bp.get("/<slug>/voting/codes.csv")
@organizer_required
def codes_csv(workshop):
    text = ballot_codes.codes_csv(_batch(workshop), _vote_url(workshop))
    return _private(Response(text, mimetype="text/csv"), f"{workshop.slug}-ballot-codes.csv")


@bp.get("/<slug>/voting/results")
@organizer_required
def results_page(workshop):
    instant = now()
    tallies = results.tallies(workshop)
    response = render(
        "manage/voting_results.html",
        block="results",
        workshop=workshop,
        title=_("Live results"),
        tallies=tallies,
        status_of={t.category.id: t.category.status(instant) for t in tallies},
        counted_at=to_zone(instant, workshop.timezone).strftime("%H:%M:%S"),
    )
    return _private(response)


@bp.get("/<slug>/voting/results.csv")
@organizer_required
def results_csv(workshop):
    text = results.results_csv(results.tallies(workshop))
    return _private(Response(text, mimetype="text/csv"), f"{workshop.slug}-voting-results.csv")
