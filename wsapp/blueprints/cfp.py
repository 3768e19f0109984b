"""The call for papers with its important dates."""

from flask import g

from wsapp.blueprints.common import workshop_blueprint
from wsapp.caching import cached_page
from wsapp.htmx import render
from wsapp.services import queries

bp = workshop_blueprint("cfp", __name__)


@bp.get("/cfp")
@cached_page
def index():
    dates = queries.important_dates(g.workshop)
    return render(
        "cfp/index.html",
        workshop=g.workshop,
        cfp=queries.call_for_papers(g.workshop),
        dates=dates,
        deadline=next((d for d in dates if d.is_submission_deadline), None),
    )
