"""Every time zone on a page of its own, searchable by city without JavaScript.

The pickers on the schedule and the call for papers carry only the common zones and the
viewer's own; their "Find a city or zone" field and their "All time zones" link lead here. Each
zone is a link back to the page the viewer came from (`?for=`) in that zone. One zone found for
a search goes straight there.
"""

from flask import g, redirect, request, url_for

from wsapp.blueprints.common import workshop_blueprint
from wsapp.caching import cached_page
from wsapp.htmx import render
from wsapp.timezones.choices import search, zone_groups
from wsapp.timezones.clock import now

bp = workshop_blueprint("zones", __name__)

# ?for= the pages with a zone switch; the schedule when absent or unknown
PAGES = {"schedule": "schedule.index", "cfp": "cfp.index"}
MAX_QUERY = 80


@bp.get("/time-zones")
@cached_page
def index():
    workshop = g.workshop
    page = request.args.get("for", "schedule")
    endpoint = PAGES.get(page, PAGES["schedule"])
    query = " ".join(request.args.get("q", "").split())[:MAX_QUERY]
    instant = now()
    found = search(query, instant) if query else None
    if found is not None and len(found) == 1:
        return redirect(url_for(endpoint, slug=workshop.slug, tz=found[0].name), 303)
    return render(
        "zones/index.html",
        workshop=workshop,
        endpoint=endpoint,
        page=page if page in PAGES else "schedule",
        query=query,
        found=found,
        groups=zone_groups(instant) if found is None else (),
    )
