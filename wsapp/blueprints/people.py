"""Speakers and panelists; organizers with their institutions and the sponsors."""

from flask import g

from wsapp.blueprints.common import workshop_blueprint
from wsapp.caching import cached_page
from wsapp.htmx import render
from wsapp.models import RoleKind
from wsapp.services import queries

bp = workshop_blueprint("people", __name__)


@bp.get("/speakers")
@cached_page
def speakers():
    roles = queries.roles(g.workshop, RoleKind.SPEAKER, RoleKind.PANELIST)
    return render(
        "people/speakers.html",
        workshop=g.workshop,
        speakers=roles[RoleKind.SPEAKER],
        panelists=roles[RoleKind.PANELIST],
    )


@bp.get("/organizers")
@cached_page
def organizers():
    roles = queries.roles(g.workshop, RoleKind.ORGANIZER)
    return render(
        "people/organizers.html",
        workshop=g.workshop,
        organizers=roles[RoleKind.ORGANIZER],
        institutions=queries.institutions(g.workshop),
        sponsors=queries.sponsors(g.workshop),
    )
