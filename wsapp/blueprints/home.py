"""A workshop edition's home page, which follows the workshop's phase."""

from flask import g
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from wsapp.blueprints.common import public_page, workshop_blueprint
from wsapp.blueprints.context import dates_context, live_context, zone_context
from wsapp.caching import cached_page
from wsapp.htmx import render
from wsapp.services import queries
from wsapp.services.phase import Phase, event_window
from wsapp.services.schedule import build_row
from wsapp.services.voting.reach import ballot_links
from wsapp.timezones.clock import now
from wsapp.timezones.display import display_zone
from wsapp.timezones.formats import format_duration

bp = workshop_blueprint("home", __name__)


@bp.get("/")
@public_page(bp, _l("Home"), 10)
@cached_page
def index():
    return render_home(g.workshop)


def render_home(workshop):
    """The home page; "/" renders it for the featured edition too.

    Before the deadline it leads with the call for papers, on the workshop day with now and next,
    afterwards with the program (see `Phase`); templates/home/index.html has the voting slots.
    """
    dates, items = queries.important_dates(workshop), queries.schedule_items(workshop)
    live = live_context(workshop, dates, items)
    context = {}
    if live["phase"] == Phase.UPCOMING and (workshop.start_date or items):
        context["starts_in"] = format_duration(
            event_window(workshop, items)[0] - now(), str(get_locale())
        )
    if live["phase"] == Phase.AFTER:
        zone = display_zone()
        context["program"] = [
            build_row(item, zone.name, str(get_locale()), workshop.timezone)
            for item in items
            if not item.is_break
        ]
    return render(
        "home/index.html",
        workshop=workshop,
        announcements=queries.active_announcements(workshop, now()),
        news=queries.news_posts(workshop, limit=3),
        dates=dates,
        cfp=queries.call_for_papers(workshop) if live["phase"] == Phase.CFP else None,
        sponsors=queries.sponsors(workshop),
        voting=ballot_links(workshop, now()),
        **context,
        **live,
        **dates_context(workshop, dates),
        **zone_context(workshop, items[0].start_dt if items else None),
    )
