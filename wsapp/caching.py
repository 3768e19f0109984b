"""The public page cache, keyed by (page, workshop content version, locale, display zone).

Backends: Redis when WSAPP_REDIS_URL is set (shared by every app server), else a bounded
in-process LRU. Correctness never depends on the backend being shared: the key carries the
workshop's content_version, which every edit bumps in the database (wsapp.models.events).

The cached body is stored as rendered; the per-session CSRF token and the per-response CSP nonce
it contains are replaced on the way out, so no visitor ever receives another's token.
"""

import datetime as dt
import hashlib
import json
import threading
import time
from collections import OrderedDict
from functools import wraps

from flask import Flask, current_app, g, has_app_context, make_response, request, session
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from wsapp.display import now
from wsapp.extensions import db
from wsapp.htmx import is_partial
from wsapp.models import Workshop
from wsapp.security import csp_nonce

GENERATION = "wsapp:page-generation"
KEY_PARAMS = ("tz", "lang")
KEY_COOKIES = ("wsapp_tz", "lang")


class MemoryCache:
    """A thread-safe LRU with per-entry expiry, for a single process."""

    def __init__(self, max_entries: int = 512):
        self.max_entries = max_entries
        self._data: OrderedDict[str, tuple[float, dict]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> dict | None:
        with self._lock:
            item = self._data.get(key)
            if item is None or item[0] < time.monotonic():
                self._data.pop(key, None)
                return None
            self._data.move_to_end(key)
            return item[1]

    def generation(self) -> int | None:
        """No shared counter in one process: callers read content versions from the database."""
        return None

    def bump(self) -> None:
        pass

    def set(self, key: str, value: dict, ttl: int) -> None:
        with self._lock:
            self._data[key] = (time.monotonic() + ttl, value)
            self._data.move_to_end(key)
            while len(self._data) > self.max_entries:
                self._data.popitem(last=False)


class RedisCache:
    def __init__(self, url: str):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._errors = redis.RedisError

    def get(self, key: str) -> dict | None:
        try:
            value = self.client.get(key)
        except self._errors:
            return None  # a cache outage degrades to rendering, never to an error page
        if value is None:
            return None
        header, _, body = value.partition(b"\n")
        entry = json.loads(header)
        entry["body"] = body.decode()
        return entry

    def generation(self) -> int | None:
        """The site's content generation, bumped after every commit that changes a page."""
        try:
            return int(self.client.get(GENERATION) or 0)
        except self._errors:
            return None

    def bump(self) -> None:
        try:
            self.client.incr(GENERATION)
        except self._errors:
            # Entries expire within PAGE_CACHE_SECONDS anyway; say why pages may lag until then.
            current_app.logger.exception("page cache: could not bump the content generation")

    def set(self, key: str, value: dict, ttl: int) -> None:
        header = json.dumps({k: v for k, v in value.items() if k != "body"}).encode()
        try:
            self.client.set(key, header + b"\n" + value["body"].encode(), ex=ttl)
        except self._errors:
            pass


def init_cache(app: Flask) -> None:
    url = app.config.get("REDIS_URL")
    app.extensions["wsapp_page_cache"] = RedisCache(url) if url else MemoryCache()


def _content_version() -> str:
    generation = g.get("cache_generation")
    if generation is not None:
        return f"g{generation}"
    ref = g.get("workshop_ref")
    if ref is not None:
        return f"w{ref.id}.{ref.content_version}"
    total, count = db.session.execute(
        select(func.coalesce(func.sum(Workshop.content_version), 0), func.count(Workshop.id))
    ).one()
    return f"s{total}.{count}"


def _cache_key() -> str:
    # Pages show "now" (now/next, countdowns): an entry never outlives its time bucket.
    bucket = int(now().timestamp()) // current_app.config.get("PAGE_CACHE_SECONDS", 60)
    parts = [
        request.path,
        str(bucket),
        _content_version(),
        str(get_locale()),
        "|".join(request.args.get(p, "") for p in KEY_PARAMS),
        "|".join(request.cookies.get(c, "") for c in KEY_COOKIES),
        "hx" if is_partial() else "page",
        request.headers.get("HX-History-Restore-Request", ""),
        request.headers.get("HX-Boosted", ""),
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
    return f"wsapp:page:{digest}"


def _cacheable() -> bool:
    return (
        current_app.config.get("PAGE_CACHE", True)
        and request.method in ("GET", "HEAD")
        and "_user_id" not in session  # organizers see drafts and edit links: never cached
    )


def lookup(shared_only: bool = False) -> dict | None:
    """Compute this request's cache key (g.cache_key) and return the cached entry, if any.

    With a shared backend (Redis) the key carries the site's content generation, so a hit needs
    no database at all; `shared_only` asks for that fast path alone.
    """
    if "cache_key" in g:
        return g.get("cache_entry")
    if not _cacheable():
        g.cache_key = None
        return None
    backend = current_app.extensions["wsapp_page_cache"]
    g.cache_generation = backend.generation()
    if g.cache_generation is None and shared_only:
        return None
    g.cache_key = _cache_key()
    g.cache_entry = current_app.extensions["wsapp_page_cache"].get(g.cache_key)
    return g.cache_entry


def is_cached_endpoint(endpoint: str | None) -> bool:
    view = current_app.view_functions.get(endpoint or "")
    return bool(getattr(view, "page_cache", False))


def cached_page(view):
    """Serve the view's 200 response from the page cache; answer 304 to a matching ETag.

    Workshop pages look the cache up before the workshop is loaded (blueprints.common), so a hit
    costs one light query for the workshop's content version and no rendering.
    """

    @wraps(view)
    def wrapper(*args, **kwargs):
        if "cache_key" not in g:
            lookup()
        if g.cache_key is None:
            return view(*args, **kwargs)
        entry = g.get("cache_entry")
        if entry is not None:
            return _respond(entry, "hit")
        response = make_response(view(*args, **kwargs))
        if response.status_code != 200 or response.direct_passthrough:
            return response
        entry = {
            "body": response.get_data(as_text=True),
            "mimetype": response.mimetype,
            "vary": sorted(response.vary),
            "token": g.get("csrf_token"),
            "nonce": g.get("csp_nonce"),
            "stamp": hashlib.sha256(response.get_data()).hexdigest()[:16],
            "modified": _modified(),
        }
        ttl = current_app.config.get("PAGE_CACHE_SECONDS", 60)
        current_app.extensions["wsapp_page_cache"].set(g.cache_key, entry, ttl)
        return _respond(entry, "miss")

    wrapper.page_cache = True
    return wrapper


def _respond(entry: dict, state: str):
    body = entry["body"]
    if entry["token"]:
        body = body.replace(entry["token"], generate_csrf())
    if entry["nonce"]:
        body = body.replace(entry["nonce"], csp_nonce())
    response = make_response(body)
    response.mimetype = entry["mimetype"]
    response.vary.update(entry["vary"])
    response.vary.add("Cookie")
    response.headers["X-Cache"] = state
    response.cache_control.no_cache = True  # revalidate each time: the ETag makes that cheap
    # Same content and same session token (old tokens stay valid for their session): same tag.
    raw_token = session.get("csrf_token", "")
    response.set_etag(hashlib.sha256(f"{entry['stamp']}{raw_token}".encode()).hexdigest()[:24])
    if entry.get("modified"):
        response.last_modified = dt.datetime.fromisoformat(entry["modified"])
    return response.make_conditional(request)


def _modified() -> str | None:
    ref = g.get("workshop_ref")
    return ref.updated_dt.isoformat() if ref is not None and ref.updated_dt else None


@event.listens_for(Session, "after_commit")
def _bump_generation(session: Session) -> None:
    if session.info.pop("pages_changed", False) and has_app_context():
        cache = current_app.extensions.get("wsapp_page_cache")
        if cache is not None:
            cache.bump()

