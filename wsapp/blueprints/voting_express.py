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
import io
import logging
import secrets
import time

from flask import Flask
from flask_compress.flask_compress import _choose_algorithm, _compress_data
from werkzeug.exceptions import HTTPException
from werkzeug.http import parse_cookie

from wsapp import i18n, observability
from wsapp.blueprints import voting_express_request as req
from wsapp.blueprints import voting_fragments as parts
from wsapp.blueprints.voting_access import COOKIE as BALLOT_COOKIE
from wsapp.blueprints.voting_express_sql import VoteStatement
from wsapp.extensions import compress
from wsapp.htmx import environ_is_partial
from wsapp.models import VotingMode, WindowStatus
from wsapp.security import security_headers
from wsapp.services.voting import ballots
from wsapp.services.voting import votes as voting
from wsapp.timezones import display
from wsapp.timezones.clock import now_for

log = logging.getLogger(__name__)
EXTENSION = "wsapp_vote_express"
MAX_BODY = 2048
FORM = "application/x-www-form-urlencoded"
FORM_TYPES = (FORM, FORM + "; charset=utf-8")
HEADERS = [
    ("Content-Type", "text/html; charset=utf-8"),
    ("Vary", "HX-Request, HX-Target, Cookie, Accept-Language, Accept-Encoding"),
    ("Cache-Control", "no-store"),
]


def install(app: Flask) -> None:
    """Put the express path in front of the app's WSGI stack; it answers while VOTE_EXPRESS
    is true (WSAPP_VOTE_EXPRESS=false: Flask answers every vote)."""
    app.wsgi_app = app.extensions[EXTENSION] = VoteExpress(app, app.wsgi_app)


class VoteExpress:
    def __init__(self, app: Flask, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app
        self.statement = VoteStatement(app)

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

    @functools.cached_property
    def signed(self) -> req.SignedValues:
        return req.SignedValues(self.app)

    def _vote(self, environ, body: bytes):
        """(headers, body) of the answer, or None: Flask answers."""
        config = self.app.config
        slug, category = self._route(environ.get("PATH_INFO", ""))
        known = self.app.extensions.get(parts.WORKSHOPS, {}).get(slug)
        if known is None or not environ_is_partial(environ) or not req.host_ok(self.app, environ):
            return None
        form = req.vote_form(body)
        if form is None or category not in known.candidates:
            return None
        cat, pool = known.candidates[category]
        paper = pool.get(int(form["paper"]))
        at = now_for(config)
        if paper is None or cat.status(at) != WindowStatus.OPEN:
            return None
        cookies = parse_cookie(environ.get("HTTP_COOKIE", "")).to_dict()
        raw_token = self.signed.csrf_token(
            environ, cookies.get(config["SESSION_COOKIE_NAME"]), form["csrf_token"]
        )
        token = self.signed.ballot_token(cookies.get(BALLOT_COOKIE))
        zone = req.zone(cookies.get(display.COOKIE), known.venue)
        if raw_token is None or token is None or zone is None:
            return None
        language = i18n.unasked(
            cookies.get(i18n.COOKIE),
            i18n.header_language(environ.get("HTTP_ACCEPT_LANGUAGE")),
            known.default_locale,
            config["BABEL_DEFAULT_LOCALE"],
        )
        shared = parts.shared_key(
            known.id,
            known.version,
            req.locale_name(language.locale),
            zone,
            environ.get("SCRIPT_NAME", ""),
        )
        frame = self.app.extensions.get(parts.FRAMES, {}).get(
            parts.frame_key(shared, cat.id, paper.id)
        )
        items = self.app.extensions.get(parts.ITEMS, {})
        rendered = {
            pid: items.get(parts.item_key(shared, cat.id, pid, pid == paper.id, True))
            for pid in pool
        }
        if frame is None or None in rendered.values():
            return None
        values = {
            "workshop": known.id,
            "slug": known.slug,
            "version": known.version,
            "published": True,
            "token_hash": ballots.token_hash(token),
            "category": cat.id,
            "paper": paper.id,
            "at": at,
        }
        row = self.statement.record(values, codes=known.mode == VotingMode.CODES)
        if row is None:
            return None  # not this browser's ballot, or the workshop changed: Flask says why
        order = voting.shuffled(list(pool.values()), row[1] or values["token_hash"], cat.id)
        html = frame.fill(
            self.signed.fresh_csrf_token(raw_token, form["csrf_token"]),
            [rendered[p.id] for p in order],
        )
        return self._response(environ, html.encode())

    def _response(self, environ, payload: bytes) -> tuple[list, bytes]:
        config = self.app.config
        headers = list(HEADERS)
        algorithm = _algorithm(environ.get("HTTP_ACCEPT_ENCODING", ""))
        if algorithm is not None and len(payload) >= config["COMPRESS_MIN_SIZE"]:
            payload = _compress_data(self.app, payload, algorithm)
            headers.append(("Content-Encoding", algorithm))
        headers.append(("Content-Length", str(len(payload))))
        headers += security_headers(config, secrets.token_urlsafe(16)).items()
        return headers, payload


@functools.lru_cache(maxsize=256)
def _algorithm(accepted: str) -> str | None:
    """Flask-Compress's choice of encoding for an Accept-Encoding header."""
    return _choose_algorithm(compress.enabled_algorithms, accepted)
