"""The schedule page in the viewer's zone, and what is on now."""

from flask import g
from flask_babel import lazy_gettext as _l

from wsapp.blueprints.common import public_page, workshop_blueprint
from wsapp.blueprints.context import live_context, locale, refuse_unknown_zone, zone_context
from wsapp.caching import cached_page
from wsapp.htmx import render
from wsapp.services import queries
from wsapp.services.papers.listing import posters_by_session
from wsapp.services.schedule import build_days
from wsapp.services.voting.reach import ballot_links
from wsapp.timezones.clock import now
from wsapp.timezones.display import display_zone

bp = workshop_blueprint("schedule", __name__)


@bp.get("/schedule")
@public_page(bp, _l("Schedule"), 20)
@cached_page
def index():
    workshop, zone = g.workshop, display_zone()
    if (refusal := refuse_unknown_zone()) is not None:
        return refusal
    items = queries.schedule_items(workshop)
    live = live_context(workshop, [], items)
    days = build_days(
        items, zone.name, locale(), workshop.timezone, now() if live["live"] else None
    )
    return render(
        "schedule/index.html",
        block="schedule",
        workshop=workshop,
        days=days,
        voting=ballot_links(workshop, now()),
        posters=posters_by_session(workshop, items),
        **live,
        **zone_context(workshop, items[0].start_dt if items else None, switch=True),
    )


@bp.get("/now")
@cached_page
def now_next():
    workshop = g.workshop
    if (refusal := refuse_unknown_zone()) is not None:
        return refusal
    items = queries.schedule_items(workshop)
    return render(
        "schedule/now.html",
        block="now_next",
        workshop=workshop,
        **live_context(workshop, queries.important_dates(workshop), items),
        **zone_context(workshop, items[0].start_dt if items else None),
    )
