"""What the workshop-scoped blueprints share: the slug in every URL and the loaded workshop."""

from flask import Blueprint, abort, g

from wsapp.services import queries


def workshop_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint under /<slug>/ that loads the published workshop into g.workshop (or 404s)."""
    bp = Blueprint(name, import_name, url_prefix="/<slug>")

    @bp.url_value_preprocessor
    def _load_workshop(endpoint, values):
        workshop = queries.published_workshop(values.pop("slug"))
        if workshop is None:
            abort(404)
        g.workshop = workshop

    @bp.url_defaults
    def _add_slug(endpoint, values):
        if "slug" not in values and "workshop" in g:
            values["slug"] = g.workshop.slug

    return bp
