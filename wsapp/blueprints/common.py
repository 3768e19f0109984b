"""What the workshop-scoped blueprints share: the slug in every URL and the loaded workshop."""

from flask import Blueprint, abort, g

from wsapp.caching import is_cached_endpoint, lookup
from wsapp.extensions import db
from wsapp.models import Workshop
from wsapp.services import queries


def workshop_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint under /<slug>/ that loads the published workshop into g.workshop (or 404s).

    A cached page is looked up first: on a hit the workshop is never loaded.
    """
    bp = Blueprint(name, import_name, url_prefix="/<slug>")

    @bp.url_value_preprocessor
    def _load_workshop(endpoint, values):
        ref = queries.workshop_ref(values.pop("slug"))
        if ref is None or not ref.is_published:
            abort(404)
        g.workshop_ref = ref
        if is_cached_endpoint(endpoint) and lookup() is not None:
            return
        g.workshop = db.session.get(Workshop, ref.id)

    @bp.url_defaults
    def _add_slug(endpoint, values):
        if "slug" not in values:
            current = g.get("workshop_ref") or g.get("workshop")
            if current is not None:
                values["slug"] = current.slug

    return bp
