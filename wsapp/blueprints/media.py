"""Uploaded image renditions, served with long cache lifetimes (their names change with them)."""

from flask import Blueprint, abort, send_file

from wsapp.services.images import storage

bp = Blueprint("media", __name__)

ONE_YEAR = 365 * 24 * 3600


# exactly 64 hex digits + ".webp": anything else under /media/ falls through to other routes
@bp.get("/media/<string(length=69):name>")
def file(name: str):
    path = storage.path_for(name)
    if path is None or not path.is_file():
        abort(404)
    response = send_file(
        path,
        mimetype="image/webp",
        max_age=ONE_YEAR,
        etag=name.removesuffix(".webp"),
        conditional=True,
    )
    response.cache_control.public = True
    response.cache_control.immutable = True
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
