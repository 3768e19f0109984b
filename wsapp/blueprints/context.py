"""Template context the workshop pages share: the display zone and its labels, the important
dates with their countdowns, and now/next. It composes wsapp.timezones; it knows no time itself."""

import datetime as dt
from functools import lru_cache

from flask import Response, current_app
from flask_babel import get_locale
from markupsafe import Markup

from wsapp import htmx
from wsapp.models import ImportantDate, ScheduleItem, Workshop
from wsapp.services.deadlines import any_open, date_views
from wsapp.services.phase import Phase, current_phase, now_and_next
from wsapp.services.schedule import build_row
from wsapp.timezones.choices import common_choices
from wsapp.timezones.clock import now
from wsapp.timezones.display import display_zone
from wsapp.timezones.formats import zone_city, zone_label


def locale() -> str:
    return str(get_locale())


def refuse_unknown_zone() -> Response | None:
    """A 400 for a fragment request naming an unknown zone (a page shows a notice instead)."""
    zone = display_zone()
    if not zone.rejected:
        return None
    return htmx.refuse("zones/_refused.html", "#tz-notice", zone=zone, refused_fragment=True)


def zone_context(workshop: Workshop, at: dt.datetime | None, switch: bool = False) -> dict:
    """The display zone and the labels of it and of the venue's zone at the instant `at`."""
    zone, loc, instant = display_zone(), locale(), at or now()
    city = workshop.city if zone.is_venue else zone_city(zone.name, loc)
    context = {
        "zone": zone,
        "zone_label": zone_label(zone.name, instant, city),
        "venue_label": zone_label(workshop.timezone, instant, workshop.city),
    }
    if switch:  # the zone list only goes into whole pages, never into fragments
        hour = now().replace(minute=0, second=0, microsecond=0)
        context["zone_options"] = _common_options(hour, loc)
    return context


@lru_cache(maxsize=8)
def _common_options(hour: dt.datetime, loc: str) -> Markup:
    """The common zones' <option>s (every zone is on the time-zones page), once per hour and
    locale (the group's label is translated)."""
    template = current_app.jinja_env.get_template("zones/_options.html")
    return Markup(template.render(choices=common_choices(hour)))


def dates_context(workshop: Workshop, dates: list[ImportantDate]) -> dict:
    """The important dates as written, in the viewer's zone, with their countdowns."""
    zone = display_zone()
    views = date_views(
        dates, zone.name, locale(), now(), city=workshop.city if zone.is_venue else ""
    )
    return {"date_views": views, "dates_open": any_open(views)}


def live_context(workshop: Workshop, dates: list[ImportantDate], items: list[ScheduleItem]) -> dict:
    """The workshop's phase and, while it is on, the rows running now and the next one."""
    instant, zone, loc = now(), display_zone(), locale()
    phase = current_phase(workshop, dates, items, instant)
    context = {"phase": phase, "live": phase == Phase.LIVE, "now_rows": [], "next_row": None}
    if phase == Phase.LIVE:
        marks = now_and_next(items, instant)
        context["now_rows"] = [
            build_row(item, zone.name, loc, workshop.timezone) for item in marks.current
        ]
        if marks.next is not None:
            context["next_row"] = build_row(marks.next, zone.name, loc, workshop.timezone)
    return context
