"""The schedule page."""

from flask import g
from flask_babel import get_locale

from wsapp.blueprints.common import workshop_blueprint
from wsapp.caching import cached_page
from wsapp.htmx import render
from wsapp.services import queries
from wsapp.services.schedule import build_days
from wsapp.services.timefmt import zone_label

bp = workshop_blueprint("schedule", __name__)


@bp.get("/schedule")
@cached_page
def index():
    workshop = g.workshop
    items = queries.schedule_items(workshop)
    tz = workshop.timezone
    days = build_days(items, tz, str(get_locale()))
    label = zone_label(tz, items[0].start_dt, workshop.city) if items else ""
    return render(
        "schedule/index.html",
        block="schedule",
        workshop=workshop,
        days=days,
        zone_label=label,
    )
