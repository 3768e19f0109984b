"""Uploaded image renditions, served with long cache lifetimes (their names change with them)."""

from flask import Blueprint, Response, abort, request

from wsapp.services.images import storage

bp = Blueprint("media", __name__)

ONE_YEAR = 365 * 24 * 3600


# exactly 64 hex digits + ".webp": anything else under /media/ falls through to other routes
@bp.get("/media/<string(length=69):name>")
def file(name: str):
    path = storage.path_for(name)
    if path is None:
        abort(404)
    try:
        data = path.read_bytes()  # a rendition is a few KB: no file handle outlives the request
    except (FileNotFoundError, IsADirectoryError):
        abort(404)
    response = Response(data, mimetype="image/webp")
    response.set_etag(name.removesuffix(".webp"))  # the content hash: the strongest validator
    response.cache_control.public = True
    response.cache_control.max_age = ONE_YEAR
    response.cache_control.immutable = True
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response.make_conditional(request)
