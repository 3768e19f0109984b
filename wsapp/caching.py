"""The public page cache: whole responses for anonymous visitors, answered in front of Flask.

How it works and why (keys, versions, stale-while-revalidate): docs/page-cache.md.
"""

import functools
import gzip
import hashlib
import json
import secrets
import threading
import time
from collections import OrderedDict
from urllib.parse import parse_qsl

from flask import Flask, current_app, g, has_app_context, request
from flask_login import current_user
from itsdangerous import BadSignature
from sqlalchemy import Engine, bindparam, func, select
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException
from werkzeug.http import http_date, is_resource_modified, parse_accept_header
from werkzeug.sansio.http import parse_cookie

from wsapp import i18n, observability
from wsapp.extensions import db, listen_once
from wsapp.models import Workshop, events
from wsapp.security import security_headers
from wsapp.timezones import display
from wsapp.timezones.display import COOKIE as TZ_COOKIE
from wsapp.version_watch import GenerationWatch, VersionWatch

try:
    import brotli
except ImportError:  # pragma: no cover - brotli comes with flask-compress
    brotli = None

GENERATION = "wsapp:page-generation"
GENERATION_CHANNEL = "wsapp:page-generation:bumped"  # each bump published, for GenerationWatch
WATCH = "wsapp_version_watch"  # app.extensions: the VersionWatch of a PostgreSQL app
ENVIRON_PLAN = "wsapp.page_cache"
KEY_PARAMS = frozenset({"tz", "lang"})
KEY_COOKIES = (TZ_COOKIE, i18n.COOKIE)
REFRESH_SECONDS = 10  # how long others may be answered from an expired entry while it renders
HTMX_HEADERS = ("HX-Request", "HX-Target", "HX-History-Restore-Request", "HX-Boosted")
STORED_HEADERS = (
    "Content-Type",
    "Content-Disposition",  # exports name their file
    "Vary",
    "Last-Modified",
    "Set-Cookie",
    "Content-Language",
)


class Entry:
    """A stored 200 response: its headers and its body in each encoding."""

    __slots__ = ("version", "headers", "stamp", "bodies", "fresh_until")

    def __init__(
        self, version: str, headers: list, stamp: str, bodies: dict[str, bytes], fresh_until: float
    ):
        self.version, self.headers, self.stamp, self.bodies = version, headers, stamp, bodies
        self.fresh_until = fresh_until  # epoch seconds

    def dump(self) -> bytes:
        order = list(self.bodies)
        meta = {
            "version": self.version,
            "headers": self.headers,
            "stamp": self.stamp,
            "fresh_until": self.fresh_until,
            "bodies": [[name, len(self.bodies[name])] for name in order],
        }
        return json.dumps(meta).encode() + b"\n" + b"".join(self.bodies[name] for name in order)

    @classmethod
    def load(cls, raw: bytes) -> "Entry":
        meta, _, rest = raw.partition(b"\n")
        meta = json.loads(meta)
        bodies, offset = {}, 0
        for name, length in meta["bodies"]:
            bodies[name] = rest[offset : offset + length]
            offset += length
        return cls(
            meta["version"],
            [tuple(h) for h in meta["headers"]],
            meta["stamp"],
            bodies,
            meta["fresh_until"],
        )


class MemoryCache:
    """A thread-safe LRU with per-entry expiry, for a single process."""

    shared = False

    def __init__(self, max_entries: int = 256):
        self.max_entries = max_entries
        self._data: OrderedDict[str, tuple[float, Entry]] = OrderedDict()
        self._lock = threading.Lock()
        self._refreshing: dict[str, float] = {}

    def fetch(self, key: str, encoding: str) -> tuple[int | None, Entry | None]:
        with self._lock:
            item = self._data.get(key)
            if item is None or item[0] < time.monotonic():
                self._data.pop(key, None)
                return None, None
            self._data.move_to_end(key)
            return None, item[1]

    def bump(self) -> None:
        """Versions come from the database: nothing to do."""

    def claim_refresh(self, key: str) -> bool:
        """True for the one caller that re-renders an expired entry (for REFRESH_SECONDS)."""
        now = time.monotonic()
        with self._lock:
            if self._refreshing.get(key, 0) > now:
                return False
            self._refreshing = {k: v for k, v in self._refreshing.items() if v > now}
            self._refreshing[key] = now + REFRESH_SECONDS
            return True

    def set(self, key: str, entry: Entry, ttl: int) -> None:
        with self._lock:
            self._data[key] = (time.monotonic() + ttl, entry)
            self._data.move_to_end(key)
            while len(self._data) > self.max_entries:
                self._data.popitem(last=False)


class RedisCache:
    """Entries and the site's content generation in Redis, shared by every app server."""

    shared = True

    def __init__(self, url: str):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._errors = (redis.RedisError, OSError)
        self.watch: GenerationWatch | None = None  # started by the first fetch of a process
        self._lock = threading.Lock()

    def fetch(self, key: str, encoding: str) -> tuple[int | None, Entry | None]:
        """The generation and the entry with its body in `encoding`: from this process's memory
        while its watch vouches for the generation and the entry is fresh, else in one round
        trip; (None, None) when Redis is down."""
        name = f"{key}:{encoding}"
        watch = self.watch or self._start_watch()
        generation = watch.generation()
        kept = watch.entry(name)
        if kept is not None and kept.version == f"g{generation}" and time.time() < kept.fresh_until:
            return generation, kept
        epoch = watch.epoch()
        try:
            generation, raw = self.client.mget(GENERATION, name)
        except self._errors:
            return None, None  # a cache outage degrades to rendering, never to an error page
        entry = Entry.load(raw) if raw else None
        if entry is not None:
            watch.keep(name, entry, int(generation or 0), epoch)
        return int(generation or 0), entry

    def _start_watch(self) -> GenerationWatch:
        with self._lock:
            if self.watch is None:
                self.watch = GenerationWatch(self.client, GENERATION, GENERATION_CHANNEL)
            return self.watch

    def stop(self) -> None:
        if self.watch is not None:
            self.watch.stop()

    def generation(self) -> int | None:
        """The site's content generation (None when Redis is unreachable)."""
        try:
            return int(self.client.get(GENERATION) or 0)
        except self._errors:
            return None

    def claim_refresh(self, key: str) -> bool:
        """True for the one request, across all app servers, that re-renders an expired entry."""
        try:
            return bool(self.client.set(f"{key}:refresh", 1, nx=True, ex=REFRESH_SECONDS))
        except self._errors:
            return True

    def bump(self) -> None:
        try:
            self.client.publish(GENERATION_CHANNEL, self.client.incr(GENERATION))
        except self._errors:
            # Entries expire within PAGE_CACHE_SECONDS anyway; say why pages may lag until then.
            current_app.logger.exception("page cache: could not bump the content generation")

    def set(self, key: str, entry: Entry, ttl: int) -> None:
        """One value per encoding, so a hit transfers only the body it sends."""
        values = {
            f"{key}:{name}": Entry(
                entry.version, entry.headers, entry.stamp, {name: body}, entry.fresh_until
            ).dump()
            for name, body in entry.bodies.items()
        }
        try:
            pipe = self.client.pipeline(transaction=True)
            for name, value in values.items():
                pipe.set(name, value, ex=ttl)
            pipe.execute()
        except self._errors:
            pass


def init_cache(app: Flask) -> None:
    url = app.config.get("REDIS_URL")
    app.extensions["wsapp_page_cache"] = RedisCache(url) if url else MemoryCache()
    listen_once(Session, "after_commit", _bump_generation)
    app.wsgi_app = PageCache(app, app.wsgi_app)


def register(app: Flask) -> None:
    """Store cached views' responses: registered before the hooks that set headers and cookies,
    so it runs after them (Flask runs response hooks last-registered first)."""
    app.after_request(_store)


def cached_page(view):
    """Mark a public view whose 200 responses the page cache stores (see `PageCache`)."""
    view.page_cache = True
    return view


class PageCache:
    """WSGI middleware that answers cached pages before Flask sees the request."""

    def __init__(self, app: Flask, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app
        self._bind = None  # the app's engine, once known
        self.watch: VersionWatch | None = None  # on PostgreSQL, once the engine is known
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        try:
            found = self._lookup(environ)
        except Exception:
            # The cache must never take a page down: whatever failed here (an unreachable
            # database, a header nobody foresaw), Flask renders the page or its error page.
            self.app.logger.exception("page cache: lookup failed, rendering instead")
            environ.pop(ENVIRON_PLAN, None)
            found = None
        if found is None:
            return self.wsgi_app(environ, start_response)
        entry, encoding, state = found
        return _serve(self.app, environ, start_response, entry, encoding, started, state)

    def _lookup(self, environ) -> tuple[Entry, str, str] | None:
        """(entry, encoding, "hit" or "stale") to answer from; None to render (a miss stores
        its plan in the environ for `_store`)."""
        plan = self._plan(environ)
        if plan is None:
            return None
        key, slug = plan
        backend = self.app.extensions["wsapp_page_cache"]
        encoding = _encoding(environ)
        generation, entry = backend.fetch(key, encoding)
        if backend.shared:
            if generation is None:
                return None  # Redis is down: render
            version = f"g{generation}"
        elif entry is None and slug is not None:
            version = None  # a miss: the view loads the workshop's version before rendering
        else:
            version = self._database_version(slug)
        if entry is not None and entry.version == version:
            if time.time() < entry.fresh_until:
                return entry, encoding, "hit"
            if not backend.claim_refresh(key):
                return entry, encoding, "stale"
        environ[ENVIRON_PLAN] = (key, version)
        return None

    def _plan(self, environ) -> tuple[str, str | None] | None:
        """(key, workshop slug) when the request may be answered from the cache, else None."""
        config = self.app.config
        if not config["PAGE_CACHE"] or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return None
        slug = self._cached_page_slug(environ.get("PATH_INFO", ""))
        if slug is False:
            return None
        # As Flask reads them (request.cookies): the header's latin-1 text as it is, so a
        # cookie that is not UTF-8 is just another value, not an error before Flask.
        raw_cookies = environ.get("HTTP_COOKIE")
        cookies = parse_cookie(raw_cookies).to_dict() if raw_cookies else {}
        if config.get("REMEMBER_COOKIE_NAME", "remember_token") in cookies:
            return None
        session_cookie = cookies.get(config["SESSION_COOKIE_NAME"])
        if session_cookie and not self._anonymous(session_cookie):
            return None
        return _key(environ, cookies, config), slug

    @functools.lru_cache(maxsize=4096)  # noqa: B019 (one PageCache per app, for its lifetime)
    def _cached_page_slug(self, path: str) -> str | None | bool:
        """The workshop slug of a cached page's path (None outside workshops), False if the path
        is not a cached page. Routing depends on the path alone here (no host matching)."""
        try:
            endpoint, args = self.app.url_map.bind("cache").match(path, method="GET")
        except HTTPException:
            return False
        if not getattr(self.app.view_functions.get(endpoint), "page_cache", False):
            return False
        return args.get("slug")

    def _anonymous(self, value: str) -> bool:
        """A session that is not logged in and holds no message waiting to be shown."""
        serializer = self.app.session_interface.get_signing_serializer(self.app)
        lifetime = int(self.app.permanent_session_lifetime.total_seconds())
        try:
            data = serializer.loads(value, max_age=lifetime)
        except BadSignature:
            return True  # Flask ignores it the same way and starts an empty session
        return "_user_id" not in data and "_flashes" not in data

    def _database_version(self, slug: str | None) -> str:
        """The version a hit is checked against without Redis: on PostgreSQL the one this process
        knows (wsapp/version_watch.py), else one read on a pooled connection,
        without an app context (on PostgreSQL in autocommit: no transaction to begin and end)."""
        if self._bind is None:
            self._know_engine()
        if not isinstance(self._bind, Engine):  # the tests' one connection, in its transaction
            with self.app.app_context():
                return _database_version(db.session, slug)
        if self.watch is not None:
            known = self.watch.known(slug)
            if known is not None:
                return known
            epoch = self.watch.epoch()
        with self._bind.connect() as conn:
            if conn.dialect.name == "postgresql":  # no BEGIN and ROLLBACK round trips
                conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            version = _database_version(conn, slug)
        if self.watch is not None:
            self.watch.remember(slug, version, epoch)
        return version

    def _know_engine(self) -> None:
        with self._lock:
            if self._bind is not None:
                return
            with self.app.app_context():
                bind = db.engine
            if isinstance(bind, Engine) and bind.dialect.name == "postgresql":
                self.watch = self.app.extensions[WATCH] = VersionWatch(bind.url)
            self._bind = bind


def _database_version(conn, slug: str | None) -> str:
    """`conn`: a connection or a session."""
    if slug is not None:
        version = conn.scalar(_WORKSHOP_VERSION, {"slug": slug})
        return _workshop_version(slug, version)
    total, count = conn.execute(
        select(func.coalesce(func.sum(Workshop.content_version), 0), func.count(Workshop.id))
    ).one()
    return f"s{total}.{count}"


_WORKSHOP_VERSION = select(Workshop.content_version).where(Workshop.slug == bindparam("slug"))


def _workshop_version(slug: str, content_version: int | None) -> str:
    return f"w{slug}.{content_version}"


def _key(environ, cookies, config) -> str:
    query = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    browser = i18n.header_language(environ.get("HTTP_ACCEPT_LANGUAGE"))
    parts = [
        environ.get("wsgi.url_scheme", "http"),
        environ.get("HTTP_HOST", ""),
        environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""),
        str(config.get("NOW") or ""),  # tests fix the clock (WSAPP_NOW): each instant its pages
        repr(sorted(query)),
        "|".join(cookies.get(name, "") for name in KEY_COOKIES),
        browser.code if browser else "",
        "|".join(environ.get("HTTP_" + h.upper().replace("-", "_"), "") for h in HTMX_HEADERS),
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
    return f"wsapp:page:{digest}"


ENCODINGS = ("br", "gzip") if brotli is not None else ("gzip",)


def _encoding(environ) -> str:
    """The best encoding the client accepts: br, then gzip, else identity."""
    return _best_encoding(environ.get("HTTP_ACCEPT_ENCODING"))


@functools.lru_cache(maxsize=256)
def _best_encoding(accepted: str | None) -> str:
    if not accepted:
        return "identity"
    quality = parse_accept_header(accepted)
    return next((name for name in ENCODINGS if quality[name] > 0), "identity")


def _etag(entry: "Entry", encoding: str) -> str:
    """One strong tag per stored body and encoding (unquoted)."""
    return f"{entry.stamp}-{encoding}"


def _serve(
    app: Flask, environ, start_response, entry: Entry, encoding: str, started: float, state: str
):
    body = entry.bodies[encoding]
    etag = _etag(entry, encoding)
    headers = [h for h in entry.headers if h[0] != "Vary"]
    vary = [h[1] for h in entry.headers if h[0] == "Vary"]
    headers.append(("Vary", ", ".join(vary + ["Accept-Encoding"])))
    request_id = observability.request_id_from(environ.get("HTTP_X_REQUEST_ID", ""))
    headers += [
        ("ETag", f'"{etag}"'),
        ("Cache-Control", "no-cache"),
        ("X-Cache", state),
        ("X-Request-ID", request_id),
        ("Date", http_date()),
    ]
    modified = next((v for k, v in entry.headers if k == "Last-Modified"), None)
    conditional = "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ
    if conditional and not is_resource_modified(environ, etag=etag, last_modified=modified):
        status, body = 304, b""
        headers = [h for h in headers if h[0] not in ("Content-Type", "Set-Cookie")]
    else:
        status = 200
        headers += list(security_headers(app.config, secrets.token_urlsafe(16)).items())
        if encoding != "identity":
            headers.append(("Content-Encoding", encoding))
        headers.append(("Content-Length", str(len(body))))
        if environ["REQUEST_METHOD"] == "HEAD":
            body = b""
    start_response("200 OK" if status == 200 else "304 Not Modified", headers)
    observability.log_access(
        environ["REQUEST_METHOD"],
        environ.get("PATH_INFO", ""),
        status,
        (time.perf_counter() - started) * 1000,
        environ.get("REMOTE_ADDR"),
        request_id,
    )
    return [body]


def _store(response):
    """After a cached view rendered a storable 200, keep it and send it in the client's encoding."""
    plan = request.environ.get(ENVIRON_PLAN)
    if (
        plan is None
        or response.status_code != 200
        or response.direct_passthrough
        or not set(request.args) <= KEY_PARAMS
        or i18n.rejected_language()
        or display.rejected_zone()
        or current_user.is_authenticated
        or not _cookies_storable(response)
    ):
        return response
    key, version = plan
    workshop = g.get("workshop")
    if version is None:  # a workshop page without Redis: its version, loaded before rendering
        version = _workshop_version(workshop.slug, workshop.content_version)
    if workshop is not None and workshop.updated_dt and "Last-Modified" not in response.headers:
        response.last_modified = workshop.updated_dt
    response.vary.add("Cookie")
    raw = response.get_data()
    bodies = {"identity": raw, "gzip": gzip.compress(raw, compresslevel=6, mtime=0)}
    if "br" in ENCODINGS:
        bodies["br"] = brotli.compress(raw, quality=5)
    headers = [(k, v) for k, v in response.headers.items() if k in STORED_HEADERS]
    fresh = current_app.config["PAGE_CACHE_SECONDS"]
    stamp = hashlib.sha256(raw).hexdigest()[:20]
    entry = Entry(version, headers, stamp, bodies, time.time() + fresh)
    # kept twice as long as it is fresh: the time to answer from it while one request refreshes
    current_app.extensions["wsapp_page_cache"].set(key, entry, 2 * fresh)
    encoding = _encoding(request.environ)
    response.set_data(bodies[encoding])
    if encoding != "identity":
        response.headers["Content-Encoding"] = encoding  # compression is done: Flask-Compress
    response.vary.add("Accept-Encoding")  # leaves this response alone
    response.headers["ETag"] = f'"{_etag(entry, encoding)}"'
    response.headers["X-Cache"] = "miss"
    response.cache_control.no_cache = True  # revalidate each time: the ETag makes that cheap
    # A refresh that renders the same bytes (an export polled past its freshness) is still a 304.
    return response.make_conditional(request.environ)


def _cookies_storable(response) -> bool:
    """Only the display cookies (a choice that the key carries) may be set by a stored page."""
    for header in response.headers.getlist("Set-Cookie"):
        name = header.split("=", 1)[0].strip()
        lowered = header.lower()
        deletes = "max-age=0" in lowered or "expires=thu, 01 jan 1970" in lowered
        if name not in KEY_COOKIES or deletes:
            return False
    return True


def _bump_generation(session: Session) -> None:
    if events.pages_changed(session) and has_app_context():
        cache = current_app.extensions.get("wsapp_page_cache")
        if cache is not None:
            cache.bump()
        watch = current_app.extensions.get(WATCH)
        if watch is not None:
            watch.heard()  # this process at once; the others when the notice arrives
