"""The express path of a vote: WSGI middleware that records an ordinary htmx vote in one SQL
statement and answers with the fragment the vote endpoint would render, without Flask.

At a venue nearly every vote is the same request: a browser that holds its ballot cookie and
its session presses another candidate's button. The vote endpoint (voting.cast) renders such
a vote once per workshop version, language, zone, category and paper, and keeps the parts
(voting_fragments.py); this path answers the next ones from those parts:

- it checks what Flask checks first: the session cookie's signature, the CSRF token against it
  (and the Referer on HTTPS, as Flask-WTF's strict mode does), the Host header;
- then what the view checks: the category's window, the paper a candidate, the ballot this
  browser's (in codes mode one opened with a code);
- then writes the vote in one statement, which inserts nothing unless the workshop is still
  published at the content version the checks used and the ballot is this browser's.

Anything else, or anything that does not fit (a code sent along, a logged-in session, a first
vote, an edit since, no kept fragment, an error), goes to Flask untouched: this path never
refuses a vote, it only answers the ones it can answer exactly as Flask would.
tests/test_voting_express.py holds the two paths to the same answers.
"""

import functools
import hmac
import io
import logging
import re
import secrets
import time
from urllib.parse import parse_qsl

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from flask_compress.flask_compress import _choose_algorithm, _compress_data
from flask_wtf.csrf import same_origin
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import Boolean, Engine, Integer, bindparam, create_engine, text
from werkzeug.exceptions import HTTPException
from werkzeug.http import parse_cookie
from werkzeug.wsgi import get_host

from wsapp import i18n, observability
from wsapp.blueprints import voting_fragments as parts
from wsapp.blueprints.voting_access import COOKIE as BALLOT_COOKIE
from wsapp.extensions import compress, db
from wsapp.models import Vote, VotingMode, WindowStatus
from wsapp.rules import is_host_header
from wsapp.security import security_headers
from wsapp.services.voting import ballots
from wsapp.services.voting import votes as voting
from wsapp.timezones import display
from wsapp.timezones.clock import now_for
from wsapp.timezones.formats import is_valid_zone

log = logging.getLogger(__name__)
MAX_BODY = 2048
PAPER_ID = re.compile(r"[0-9]{1,9}")
FORM = "application/x-www-form-urlencoded"
FORM_TYPES = (FORM, FORM + "; charset=utf-8")
# what a session may hold for its votes to come here: nothing of a login or a message to show
SESSION_KEYS = frozenset({"csrf_token", "_fresh"})
STOCK_OPEN = SecureCookieSessionInterface.open_session  # signed cookie, read as Flask reads it
HEADERS = [
    ("Content-Type", "text/html; charset=utf-8"),
    ("Vary", "HX-Request, HX-Target, Cookie, Accept-Language, Accept-Encoding"),
    ("Cache-Control", "no-store"),
]


def install(app: Flask) -> None:
    """Put the express path in front of the app's WSGI stack; it answers while VOTE_EXPRESS
    is true (WSAPP_VOTE_EXPRESS=false: Flask answers every vote)."""
    app.wsgi_app = VoteExpress(app, app.wsgi_app)


class VoteExpress:
    def __init__(self, app: Flask, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app
        self._bind = None

    def __call__(self, environ, start_response):
        if (
            environ.get("REQUEST_METHOD") != "POST"
            or environ.get("HTTP_HX_REQUEST") != "true"
            or not self.app.config["VOTE_EXPRESS"]
        ):
            return self.wsgi_app(environ, start_response)
        started = time.perf_counter()
        body = None
        try:
            body = self._read(environ)
            answer = self._vote(environ, body) if body is not None else None
        except Exception:
            # Never a vote lost to this path: Flask takes the request (its upsert is the same).
            log.exception("vote express: failed, handing the vote to Flask")
            answer = None
        if body is not None:
            environ["wsgi.input"] = io.BytesIO(body)  # read here: Flask reads it again
        if answer is None:
            return self.wsgi_app(environ, start_response)
        headers, payload = answer
        request_id = observability.request_id_from(environ.get("HTTP_X_REQUEST_ID", ""))
        headers.append(("X-Request-ID", request_id))
        start_response("200 OK", headers)
        observability.log_access(
            "POST",
            environ.get("PATH_INFO", ""),
            200,
            (time.perf_counter() - started) * 1000,
            environ.get("REMOTE_ADDR"),
            request_id,
        )
        return [payload]

    def _read(self, environ) -> bytes | None:
        """The form body of a request that may be an express vote, else None (nothing read)."""
        if (
            self._route(environ.get("PATH_INFO", "")) is None
            or environ.get("QUERY_STRING")
            or environ.get("CONTENT_TYPE", "").lower() not in FORM_TYPES
            or "HTTP_TRANSFER_ENCODING" in environ
        ):
            return None
        try:
            length = int(environ.get("CONTENT_LENGTH") or "")
        except ValueError:
            return None
        if not 0 < length <= MAX_BODY:
            return None
        body = environ["wsgi.input"].read(length)
        return body

    @functools.lru_cache(maxsize=1024)  # noqa: B019 (one per app, for its lifetime)
    def _route(self, path: str) -> tuple[str, str] | None:
        """(workshop slug, category slug) of a vote's path, else None."""
        try:
            endpoint, args = self.app.url_map.bind("express").match(path, method="POST")
        except HTTPException:
            return None
        return (args["slug"], args["category"]) if endpoint == "voting.cast" else None

    def _vote(self, environ, body: bytes):
        """(headers, body) of the answer, or None: Flask answers."""
        config = self.app.config
        slug, category = self._route(environ.get("PATH_INFO", ""))
        known = self.app.extensions.get(parts.WORKSHOPS, {}).get(slug)
        if known is None or not _plain_htmx(environ) or not self._host_ok(environ):
            return None
        form = _form(body)
        if form is None:
            return None
        cookies = parse_cookie(environ.get("HTTP_COOKIE", "")).to_dict()
        raw_token = self._csrf(environ, cookies, form["csrf_token"])
        token = ballots.unsign_token(cookies.get(BALLOT_COOKIE), config["SECRET_KEY"])
        if raw_token is None or token is None:
            return None
        zone = _zone(cookies.get(display.COOKIE), known.venue)
        if zone is None:
            return None
        language = i18n.unasked(
            cookies.get(i18n.COOKIE),
            i18n.header_language(environ.get("HTTP_ACCEPT_LANGUAGE")),
            known.default_locale,
            config["BABEL_DEFAULT_LOCALE"],
        )
        shared = parts.shared_key(
            known.id, known.version, _locale(language.locale), zone, environ.get("SCRIPT_NAME", "")
        )
        snap = known.snapshot
        cat = next((c for c in snap.categories if c.slug == category), None)
        paper = snap.paper(int(form["paper"]))
        at = now_for(config)
        if (
            cat is None
            or paper is None
            or cat.status(at) != WindowStatus.OPEN
            or not voting.is_candidate(cat, paper)
        ):
            return None
        frames = self.app.extensions.get(parts.FRAMES, {})
        frame = frames.get(parts.frame_key(shared, cat.id, paper.id))
        pool = voting.candidates(cat, snap.papers)
        items = self.app.extensions.get(parts.ITEMS, {})
        rendered = {
            p.id: items.get(parts.item_key(shared, cat.id, p.id, p.id == paper.id, True))
            for p in pool
        }
        if frame is None or None in rendered.values():
            return None
        row = self._record(known, snap.mode, token, cat.id, paper.id, at)
        if row is None:
            return None  # not this browser's ballot, or the workshop changed: Flask says why
        seed = row[1] or ballots.token_hash(token)
        order = voting.shuffled(pool, seed, cat.id)
        html = frame.fill(self._sign(raw_token), [rendered[p.id] for p in order])
        return self._response(environ, html.encode())

    def _host_ok(self, environ) -> bool:
        if self.app.config.get("TRUSTED_HOSTS"):
            return False  # Flask checks them, with its own answer
        return is_host_header(get_host(environ))

    def _csrf(self, environ, cookies: dict, sent: str) -> str | None:
        """The session's CSRF token when `sent` is valid for it, as Flask-WTF checks; else None."""
        config = self.app.config
        if config.get("WTF_CSRF_FIELD_NAME", "csrf_token") != "csrf_token":
            return None
        session = self._session(cookies.get(config["SESSION_COOKIE_NAME"]))
        if session is None or not set(session) <= SESSION_KEYS:
            return None
        raw = session.get("csrf_token")
        if not isinstance(raw, str):
            return None
        if environ.get("wsgi.url_scheme") == "https" and config.get("WTF_CSRF_SSL_STRICT", True):
            referrer = environ.get("HTTP_REFERER")
            if not referrer or not same_origin(referrer, f"https://{get_host(environ)}/"):
                return None
        try:
            signed = self._csrf_serializer().loads(sent, max_age=config.get("WTF_CSRF_TIME_LIMIT"))
        except BadData:
            return None
        return raw if hmac.compare_digest(raw, signed) else None

    def _session(self, value: str | None) -> dict | None:
        interface = self.app.session_interface
        if not value or type(interface).open_session is not STOCK_OPEN:
            return None  # a session read some other way: Flask reads it
        serializer = interface.get_signing_serializer(self.app)
        lifetime = int(self.app.permanent_session_lifetime.total_seconds())
        try:
            data = serializer.loads(value, max_age=lifetime)
        except BadData:
            return None
        return data if isinstance(data, dict) else None

    @functools.cache  # noqa: B019 (one per app, for its lifetime)
    def _csrf_serializer(self) -> URLSafeTimedSerializer:
        """Flask-WTF's token serializer (flask_wtf.csrf.generate_csrf and validate_csrf)."""
        config = self.app.config
        secret = config.get("WTF_CSRF_SECRET_KEY") or self.app.secret_key
        return URLSafeTimedSerializer(secret, salt="wtf-csrf-token")

    def _sign(self, raw: str) -> str:
        """A fresh token for the fragment's form, as generate_csrf makes one."""
        return self._csrf_serializer().dumps(raw)

    def _record(self, known, mode: VotingMode, token: str, cat_id: int, paper_id: int, at):
        """The vote's one statement and its commit: (ballot id, code hash) or None."""
        values = {
            "workshop": known.id,
            "slug": known.slug,
            "version": known.version,
            "published": True,
            "token_hash": ballots.token_hash(token),
            "category": cat_id,
            "paper": paper_id,
            "at": at,
        }
        statement = _statement(mode == VotingMode.CODES)
        bind = self._engine()
        if not isinstance(bind, Engine):  # the tests' one connection, in its transaction
            with self.app.app_context():
                row = db.session.execute(statement, values).first()
                db.session.commit()
            return row
        with bind.connect() as conn:
            row = conn.execute(statement, values).first()
            conn.commit()  # in autocommit (PostgreSQL) the statement has committed already
            return row

    def _engine(self):
        """The app's engine; on PostgreSQL a pool of this path's own, in autocommit (the vote is
        one round trip) and without a ping before each use: a connection the server has closed
        fails the statement, Flask takes that vote, and the pool replaces its connections."""
        if self._bind is None:
            with self.app.app_context():
                bind = db.engine
            if isinstance(bind, Engine) and bind.dialect.name == "postgresql":
                bind = create_engine(
                    bind.url,
                    isolation_level="AUTOCOMMIT",
                    pool_pre_ping=False,
                    pool_size=bind.pool.size(),
                )
            self._bind = bind
        return self._bind

    def _response(self, environ, payload: bytes) -> tuple[list, bytes]:
        config = self.app.config
        headers = list(HEADERS)
        algorithm = _choose_algorithm(
            compress.enabled_algorithms, environ.get("HTTP_ACCEPT_ENCODING", "")
        )
        if algorithm is not None and len(payload) >= config["COMPRESS_MIN_SIZE"]:
            payload = _compress_data(self.app, payload, algorithm)
            headers.append(("Content-Encoding", algorithm))
        headers.append(("Content-Length", str(len(payload))))
        headers += security_headers(config, secrets.token_urlsafe(16)).items()
        return headers, payload


def _plain_htmx(environ) -> bool:
    """An htmx request that wants its fragment (wsapp.htmx.is_partial), nothing more."""
    return (
        "HTTP_HX_BOOSTED" not in environ
        and "HTTP_HX_HISTORY_RESTORE_REQUEST" not in environ
        and environ.get("HTTP_HX_TARGET") != "page"
    )


def _form(body: bytes) -> dict | None:
    """csrf_token and paper, each once, and an empty code at most; else None."""
    try:
        fields = parse_qsl(body.decode("ascii"), keep_blank_values=True, strict_parsing=True)
    except (UnicodeDecodeError, ValueError):
        return None
    form = dict(fields)
    if len(form) != len(fields) or set(form) - {"code"} != {"csrf_token", "paper"}:
        return None
    if form.get("code", "") or not PAPER_ID.fullmatch(form["paper"]):
        return None
    return form


def _zone(cookie: str | None, venue: str) -> str | None:
    """The display zone of a request without `?tz=`; None for a cookie Flask would delete."""
    if cookie is None:
        return venue
    return cookie if is_valid_zone(cookie) else None


@functools.lru_cache(maxsize=64)
def _locale(name: str) -> str:
    """The locale's name as Flask-Babel's get_locale() gives it."""
    from babel import Locale

    return str(Locale.parse(name))


@functools.cache
def _statement(codes: bool):
    """The vote's upsert, for this browser's ballot only while the workshop is published at the
    content version the checks were made at; returns the ballot and its code's hash (the seed of
    its order). In codes mode only a ballot opened with a code votes."""
    vote = Vote.__table__
    code_only = "AND ballot.code_id IS NOT NULL" if codes else ""
    return text(
        f"""
        INSERT INTO vote (ballot_id, category_id, paper_id, created_dt, updated_dt)
        SELECT ballot.id, :category, :paper, :at, :at
        FROM ballot JOIN workshop ON workshop.id = ballot.workshop_id
        WHERE ballot.token_hash = :token_hash AND workshop.id = :workshop
          AND workshop.slug = :slug AND workshop.content_version = :version
          AND workshop.is_published = :published {code_only}
        ON CONFLICT (ballot_id, category_id)
        DO UPDATE SET paper_id = excluded.paper_id, updated_dt = excluded.updated_dt
        RETURNING vote.ballot_id, (
          SELECT ballot_code.code_hash FROM ballot JOIN ballot_code
          ON ballot_code.id = ballot.code_id WHERE ballot.id = vote.ballot_id
        )
        """
    ).bindparams(
        bindparam("at", type_=vote.c.created_dt.type),
        bindparam("category", type_=Integer),
        bindparam("paper", type_=Integer),
        bindparam("workshop", type_=Integer),
        bindparam("version", type_=Integer),
        bindparam("published", type_=Boolean),
    )
