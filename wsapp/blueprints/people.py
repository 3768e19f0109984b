"""Speakers and panelists; organizers with their institutions and the sponsors."""

from flask import g
from flask_babel import lazy_gettext as _l

from wsapp.blueprints.common import public_page, workshop_blueprint
from wsapp.caching import cached_page
from wsapp.htmx import render
from wsapp.models import RoleKind
from wsapp.services import queries

bp = workshop_blueprint("people", __name__)


@bp.get("/speakers")
@public_page(bp, _l("Speakers"), 30)
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
@public_page(bp, _l("Organizers"), 40)
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
