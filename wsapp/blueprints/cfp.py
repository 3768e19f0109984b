"""The call for papers with its important dates, in the viewer's zone with their countdowns."""

from flask import g
from flask_babel import lazy_gettext as _l

from wsapp.blueprints.common import public_page, workshop_blueprint
from wsapp.blueprints.context import dates_context, refuse_unknown_zone, zone_context
from wsapp.caching import cached_page
from wsapp.htmx import render
from wsapp.services import queries
from wsapp.services.phase import submission_deadline

bp = workshop_blueprint("cfp", __name__)


@bp.get("/cfp")
@public_page(bp, _l("Call for papers"), 50)
@cached_page
def index():
    workshop = g.workshop
    if (refusal := refuse_unknown_zone()) is not None:
        return refusal
    dates = queries.important_dates(workshop)
    deadline = submission_deadline(dates)
    return render(
        "cfp/index.html",
        block="dates",
        workshop=workshop,
        cfp=queries.call_for_papers(workshop),
        dates=dates,
        deadline=deadline or next((d for d in dates if d.is_submission_deadline), None),
        **dates_context(workshop, dates),
        **zone_context(workshop, deadline.due_dt if deadline else None, switch=True),
    )
