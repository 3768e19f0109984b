"""What the workshop-scoped blueprints share: the slug in every URL and the loaded workshop."""

from flask import Blueprint, abort, g
from flask_login import current_user

from wsapp.services import queries
from wsapp.services.accounts import can_manage


def workshop_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint under /<slug>/ that loads the workshop into g.workshop.

    The public gets 404 for a draft; its organizers and site admins see it, under a banner.
    Cached pages never get here on a hit: wsapp.caching answers them in front of Flask.
    """
    bp = Blueprint(name, import_name, url_prefix="/<slug>")

    @bp.url_value_preprocessor
    def _load_workshop(endpoint, values):
        g.slug = values.pop("slug")
        workshop = queries.workshop(g.slug)
        if workshop is None or (
            not workshop.is_published and not can_manage(current_user, workshop)
        ):
            abort(404)
        g.workshop = workshop

    @bp.url_defaults
    def _add_slug(endpoint, values):
        if "slug" not in values:
            current = g.get("workshop")
            slug = current.slug if current is not None else g.get("slug")
            if slug is not None:
                values["slug"] = slug

    return bp
