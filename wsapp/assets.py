"""Static assets: content-hash fingerprints in their URLs, cached for a year, compressed."""

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app, request

YEAR = 31536000


@lru_cache(maxsize=512)
def _fingerprint(path: str, mtime_ns: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def fingerprint(filename: str) -> str | None:
    """The first 12 hex digits of the file's sha256 (recomputed when the file changes)."""
    path = Path(current_app.static_folder) / filename
    try:
        return _fingerprint(str(path), path.stat().st_mtime_ns)
    except OSError:
        return None


def _add_fingerprint(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "v" not in values:
        version = fingerprint(values.get("filename", ""))
        if version:
            values["v"] = version


def _static_cache(response):
    if request.endpoint == "static" and response.status_code in (200, 304):
        wanted = request.args.get("v")
        if wanted and wanted == fingerprint(request.view_args.get("filename", "")):
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
        else:
            response.cache_control.public = True
            response.cache_control.max_age = 300
    return response


def register(app: Flask) -> None:
    app.url_defaults(_add_fingerprint)
    app.after_request(_static_cache)
