"""What the express path of a vote reads from the WSGI environ, checked as Flask would check it:
the form, the session and its CSRF token, the ballot cookie, the zone, the language, the Host."""

import functools
import hmac
import re
from urllib.parse import parse_qsl

from babel import Locale
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import same_origin
from itsdangerous import URLSafeTimedSerializer
from werkzeug.wsgi import get_host

from wsapp.rules import is_host_header
from wsapp.services.voting import ballots
from wsapp.signatures import Verified
from wsapp.timezones.formats import is_valid_zone

PAPER_ID = re.compile(r"[0-9]{1,9}")
# what a session may hold for its votes to come here: nothing of a login or a message to show
SESSION_KEYS = frozenset({"csrf_token", "_fresh"})
STOCK_OPEN = SecureCookieSessionInterface.open_session  # signed cookie, read as Flask reads it


class SignedValues:
    """The signed values a vote carries, each checked as Flask (the session), Flask-WTF (the
    CSRF token) and ballots.unsign_token (the ballot cookie) check it."""

    def __init__(self, app: Flask):
        self.app = app
        session = app.session_interface.get_signing_serializer(app)
        secret = app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key
        self.csrf_serializer = URLSafeTimedSerializer(secret, salt="wtf-csrf-token")
        self.session = Verified(session, timed=True)
        self.csrf = Verified(self.csrf_serializer, timed=True)
        self.ballot = Verified(ballots.token_serializer(app.config["SECRET_KEY"]), timed=False)

    def csrf_token(self, environ, session_cookie: str | None, sent: str) -> str | None:
        """The session's CSRF token when `sent` is valid for it (Flask-WTF's CSRFProtect)."""
        config = self.app.config
        if config.get("WTF_CSRF_FIELD_NAME", "csrf_token") != "csrf_token":
            return None
        if not session_cookie or type(self.app.session_interface).open_session is not STOCK_OPEN:
            return None  # a session read some other way: Flask reads it
        lifetime = int(self.app.permanent_session_lifetime.total_seconds())
        session = self.session.loads(session_cookie, max_age=lifetime)
        if not isinstance(session, dict) or not set(session) <= SESSION_KEYS:
            return None
        raw = session.get("csrf_token")
        if not isinstance(raw, str):
            return None
        if environ.get("wsgi.url_scheme") == "https" and config.get("WTF_CSRF_SSL_STRICT", True):
            referrer = environ.get("HTTP_REFERER")
            if not referrer or not same_origin(referrer, f"https://{get_host(environ)}/"):
                return None
        signed = self.csrf.loads(sent, max_age=config.get("WTF_CSRF_TIME_LIMIT"))
        if not isinstance(signed, str):
            return None
        return raw if hmac.compare_digest(raw, signed) else None

    def ballot_token(self, value: str | None) -> str | None:
        """The token in the ballot cookie, as ballots.unsign_token reads it."""
        return ballots.token_or_none(self.ballot.loads(value)) if value else None

    def fresh_csrf_token(self, raw: str, sent: str) -> str:
        """A token for the fragment's form: the one just checked, when tokens do not expire
        (WTF_CSRF_TIME_LIMIT unset: Flask-WTF's new one would differ only in its timestamp),
        else a new one, as Flask-WTF's generate_csrf signs it."""
        if self.app.config.get("WTF_CSRF_TIME_LIMIT") is None:
            return sent
        return self.csrf_serializer.dumps(raw)


def host_ok(app: Flask, environ) -> bool:
    if app.config.get("TRUSTED_HOSTS"):
        return False  # Flask checks them, with its own answer
    return _valid_host(get_host(environ))


@functools.lru_cache(maxsize=256)
def _valid_host(host: str) -> bool:
    return is_host_header(host)


def vote_form(body: bytes) -> dict | None:
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


def zone(cookie: str | None, venue: str) -> str | None:
    """The display zone of a request without `?tz=`; None for a cookie Flask would delete."""
    if cookie is None:
        return venue
    return cookie if is_valid_zone(cookie) else None


@functools.lru_cache(maxsize=64)
def locale_name(name: str) -> str:
    """The locale's name as Flask-Babel's get_locale() gives it."""
    return str(Locale.parse(name))
