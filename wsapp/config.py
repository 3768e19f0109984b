"""Configuration defaults, overridden by WSAPP_* environment variables."""

import os
import secrets
from pathlib import Path

from flask import Flask

from wsapp.config_check import SettingsError, check


class Defaults:
    """Settings every deployment starts from."""

    # Unset in production is refused at start (see load); a random key keeps dev sessions working.
    SECRET_KEY: str | None = None
    DATABASE_URL: str | None = None
    REDIS_URL: str | None = None
    ENV = "development"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Secure is also set per request when it arrives over HTTPS (extensions.SessionInterface);
    # production forces it (see load).
    SESSION_COOKIE_SECURE = False
    # Failed log-ins allowed per client address and per e-mail address ("N per minute|hour",
    # several separated by ";"), counted in Redis when configured (wsapp.services.ratelimit).
    LOGIN_LIMIT_PER_IP = "20 per minute; 100 per hour"
    LOGIN_LIMIT_PER_EMAIL = "5 per minute; 30 per hour"
    INVITATION_TTL_DAYS = 7
    # Outgoing mail (wsapp.services.mail): "smtp://user:pass@host:587/?starttls=1" or
    # "smtps://..."; unset, nothing is mailed and admins pass links on by hand.
    MAIL_URL: str | None = None
    MAIL_FROM: str | None = None  # "Workshops <noreply@example.org>"; required with MAIL_URL
    MAIL_BACKGROUND = True  # send from a worker thread after the commit, never in the request
    MAIL_RETRY_SECONDS = [10, 60]  # waits before each new attempt after a temporary failure
    PASSWORD_RESET_TTL_MINUTES = 60
    # "Forgot password" requests per client address (answered 429 past it) and per e-mail
    # address (past it, silently no mail: the answer never tells whether an account exists).
    PASSWORD_RESET_LIMIT_PER_IP = "5 per minute; 30 per hour"
    PASSWORD_RESET_LIMIT_PER_ACCOUNT = "3 per hour; 10 per day"
    EMAIL_CHANGE_TTL_HOURS = 24
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    WTF_CSRF_TIME_LIMIT = None
    SITE_NAME = "wsapp"
    # The site's public address ("https://workshops.example.org"): its identity in exports
    # (calendar UIDs and frab GUIDs derive from it, never from the Host a request used, so every
    # name of the site and the frozen copy give an event one id) and where links in mail point
    # (required to send mail in production). Unset: a fixed identity shared by such sites.
    SITE_URL: str | None = None
    # Set by `flask freeze` while it renders the static copy: templates leave out what only
    # a server can do (the timezone switch, forms) and link the live site.
    FREEZING = False
    FREEZE_BASE_URL: str | None = None
    # Blueprints (and their "name_*" siblings) the static copy links to on the live server.
    FREEZE_LIVE_BLUEPRINTS = ("voting", "auth", "manage", "account", "admin")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # gunicorn's threads per worker (wsapp/gunicorn_config.py reads WSAPP_THREADS too): the
    # database pool keeps a connection for each, so no thread opens one per request
    THREADS = 2
    MEDIA_DIR: str | None = None  # uploaded image renditions; default instance/media
    # the built static files (hashed names, .br/.gz copies: wsapp.assets); default instance/static
    STATIC_DIR: str | None = None
    MAX_IMAGE_BYTES = 10 * 1024 * 1024
    # Uploads decoded at once in a process; the others wait their turn (a 48 MP PNG takes
    # 190 MB while it is decoded: see wsapp.services.images.pipeline).
    IMAGES_AT_ONCE = 1
    MAX_PDF_BYTES = 20 * 1024 * 1024  # a hosted paper, poster or slides PDF
    # a request may carry one image, or a paper's three PDFs, plus the form's other fields;
    # default: the larger of MAX_IMAGE_BYTES and 3 × MAX_PDF_BYTES, + 1 MiB
    MAX_CONTENT_LENGTH: int | None = None
    PAGE_CACHE = True
    # An ordinary htmx vote answered in front of Flask (wsapp.blueprints.voting_express)
    VOTE_EXPRESS = True
    PAGE_CACHE_SECONDS = 60
    PROXY_COUNT = 0  # how many reverse proxies set X-Forwarded-For/-Proto/-Host in front of us
    LOG_FORMAT: str | None = None  # "json" or "text"; json in production
    LOG_LEVEL = "INFO"
    COMPRESS_MIMETYPES = [
        "text/html",
        "text/css",
        "text/plain",
        "text/xml",
        "text/calendar",
        "text/csv",
        "application/javascript",
        "text/javascript",
        "application/json",
        "application/xml",
        "image/svg+xml",
    ]
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_MIN_SIZE = 512
    # Streamed files (static assets) are left to the reverse proxy: flask-compress leaks their file
    # handles when it compresses streams.
    COMPRESS_STREAMS = False
    # Voting: hits per seconds (shared between processes only with Redis). Wrong ballot codes
    # count once per distinct code: per browser (its ballot cookie), per address far above what
    # a room of 500 behind one address mistypes, and for requests without a cookie per address.
    VOTING_CODE_ATTEMPTS = "2000/600"  # per address
    VOTING_CODE_ATTEMPTS_PER_BROWSER = "10/600"
    VOTING_CODE_ATTEMPTS_WITHOUT_COOKIE = "30/600"  # per address
    VOTING_OPEN_BALLOTS = "100/3600"  # new open-mode ballots (a conference NAT shares one IP)
    BALLOT_CODE_KEY: str | None = None  # derives and checks ballot codes; default SECRET_KEY
    # A fixed "now" for pages, phases and voting windows (wsapp.timezones.clock); None: the clock.
    NOW = None


def load(app: Flask, test_config: dict | None = None) -> None:
    """Apply defaults, then WSAPP_* variables, then the test mapping; check them all
    (config_check: a wrong setting stops the app with one line naming it)."""
    app.config.from_object(Defaults)
    app.config.from_prefixed_env("WSAPP")
    if test_config:
        app.config.update(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = "sqlite:///" + os.path.join(app.instance_path, "wsapp.db")
    if not app.config["MEDIA_DIR"]:
        app.config["MEDIA_DIR"] = os.path.join(app.instance_path, "media")
    if not app.config["STATIC_DIR"]:
        app.config["STATIC_DIR"] = os.path.join(app.instance_path, "static")
    if not app.config["SECRET_KEY"]:
        if app.config["ENV"] == "production":
            raise SettingsError("SECRET_KEY", "must be set in production (see docs/deploy.md)")
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    check(app.config)
    app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    if app.config["ENV"] == "production":
        app.config["SESSION_COOKIE_SECURE"] = True
    if app.config["DATABASE_URL"].startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {}
    else:
        # SQLAlchemy's pool keeps 5 connections; a thread beyond them would open a connection
        # (a new PostgreSQL process) and close it again on every request
        options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
        pool_size = max(options.get("pool_size", 5), app.config["THREADS"])
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**options, "pool_size": pool_size}
    if not app.config["MAX_CONTENT_LENGTH"]:
        largest = max(app.config["MAX_IMAGE_BYTES"], 3 * app.config["MAX_PDF_BYTES"])
        app.config["MAX_CONTENT_LENGTH"] = largest + 1024 * 1024


def check_environment() -> None:
    """Load and check the WSAPP_* settings alone, without building the app: gunicorn's master
    calls it before forking workers (SettingsError ends the process with one line)."""
    load(Flask("wsapp", instance_relative_config=True))


def _instance_secret(instance: Path) -> str:
    """A per-checkout development key, kept in the instance folder (never in the repository)."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
