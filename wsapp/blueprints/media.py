"""Uploaded files, served with long cache lifetimes (their names change with their content):
image renditions, and hosted PDFs in a sandbox."""

import re

from flask import Blueprint, Response, abort, request, send_file

from wsapp.services.images import storage

bp = Blueprint("media", __name__)

ONE_YEAR = 365 * 24 * 3600
# The name a browser saves a PDF under: chosen by the page that links it (documents.download_name)
PDF_FILENAME = re.compile(r"[a-z0-9][a-z0-9-]{0,110}\.pdf")
# A PDF is shown by the browser's own viewer: no script of ours or the file's may run in its
# origin, nothing may be loaded, and no other site may frame it.
PDF_POLICY = "sandbox; default-src 'none'; frame-ancestors 'none'"


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
    _cache_forever(response)
    return response.make_conditional(request)


@bp.get("/media/<string(length=64):digest>/<filename>")
def pdf(digest: str, filename: str):
    """A hosted PDF, inline under the name in its address; ranges and 304s for viewers."""
    path = storage.path_for(f"{digest}.pdf", storage.PDF_NAME)
    if path is None or not PDF_FILENAME.fullmatch(filename) or not path.is_file():
        abort(404)
    response = send_file(
        path,
        mimetype="application/pdf",
        download_name=filename,
        etag=digest,
        conditional=True,
        max_age=ONE_YEAR,  # without it werkzeug says no-cache
    )
    _cache_forever(response)
    response.headers["Content-Security-Policy"] = PDF_POLICY
    return response


def _cache_forever(response: Response) -> None:
    response.cache_control.public = True
    response.cache_control.max_age = ONE_YEAR
    response.cache_control.immutable = True
    response.headers["X-Content-Type-Options"] = "nosniff"
