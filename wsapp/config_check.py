"""Every setting checked once, at start-up: a wrong one stops the app with one line naming it.

`config.load` calls `check(config)` before any extension, database engine or page exists, so a
typo in the environment is not found later by a visitor as a 500 on every page. The same line
ends every `flask` command (`Error: WSAPP_NOW: ...`, see SettingsError) and gunicorn's start
(gunicorn.conf.py checks in the master, before any worker is forked).
"""

import logging
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from wsapp import i18n
from wsapp.rules import is_valid_zone
from wsapp.services.mail.settings import MailSettings
from wsapp.services.ratelimit import Limit
from wsapp.timezones import clock

ENVS = ("development", "production")
LOG_FORMATS = (None, "", "json", "text")
DATABASE_HINT = "use sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST:PORT/NAME"


class SettingsError(SystemExit):
    """A setting that cannot work: the process stops with one line naming the variable.

    A SystemExit passes through Flask's command line (commands, `--help`) and WSGI servers
    untouched and prints its message alone, where any other exception prints a traceback.
    """

    def __init__(self, name: str, problem: str):
        self.name, self.message = name, f"WSAPP_{name}: {problem}"
        super().__init__(f"Error: {self.message}")

    def __str__(self) -> str:
        return self.message


def check(config) -> None:
    """Raise SettingsError for the first setting that cannot work; normalize the others."""
    for name, checker in CHECKS.items():
        try:
            value = checker(config.get(name))
        except (ValueError, TypeError) as exc:
            raise SettingsError(name, str(exc)) from None
        if value is not None:
            config[name] = value
    _mail(config)


def _mail(config) -> None:
    """What sending mail needs besides WSAPP_MAIL_URL (a typo fails now, not at the first
    invitation)."""
    if not config.get("MAIL_URL"):
        return
    if "@" not in parseaddr(config.get("MAIL_FROM") or "")[1]:
        raise SettingsError(
            "MAIL_FROM",
            "give the sender, such as 'Workshops <noreply@example.org>', when WSAPP_MAIL_URL is"
            " set",
        )
    if config.get("ENV") == "production" and not config.get("SITE_URL"):
        raise SettingsError(
            "SITE_URL",
            "give the site's address (such as https://workshops.example.org) to send mail in"
            " production: links in mail must not come from a request's Host header",
        )


def _mail_url(value) -> None:
    if value:
        MailSettings.parse(value)  # MailConfigError (a ValueError) says why, without the password


def _now(value):
    return clock.parse_fixed(value)


def _database_url(value) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{value!r} is not a database URL ({DATABASE_HINT})")
    try:
        url = make_url(value)
    except ArgumentError:
        raise ValueError(f"{value!r} is not a database URL ({DATABASE_HINT})") from None
    shown = url.render_as_string(hide_password=True)
    try:
        dialect = url.get_dialect()
        dialect.import_dbapi()
    except NoSuchModuleError:
        raise ValueError(
            f"unknown database {url.drivername!r} in {shown} ({DATABASE_HINT})"
        ) from None
    except ImportError as exc:
        raise ValueError(f"the driver for {shown} is not installed ({exc.name})") from None
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        folder = Path(url.database).expanduser().resolve().parent
        if not folder.is_dir():
            raise ValueError(f"the folder {folder} of the SQLite file does not exist")


def _zone(value) -> None:
    if not is_valid_zone(value):
        raise ValueError(f"{value!r} is not an IANA time zone name such as UTC or Europe/Zurich")


def _locale(value) -> None:
    if i18n.BY_LOCALE.get(value) is None:
        shipped = ", ".join(i18n.BY_LOCALE)
        raise ValueError(f"{value!r} is not one of the site's languages ({shipped})")


def _env(value) -> None:
    if value not in ENVS:
        raise ValueError(f"{value!r} is neither {' nor '.join(ENVS)}")


def _redis_url(value) -> None:
    if value in (None, ""):
        return
    if not isinstance(value, str) or not value.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError(f"{value!r} is not a Redis URL such as redis://127.0.0.1:6379/0")
    import redis

    redis.ConnectionPool.from_url(value)  # parses (ValueError when malformed), connects later


def _integer(low: int, high: int | None = None, optional: bool = False):
    def check_integer(value):
        if optional and value in (None, ""):
            return None
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{value!r} is not a whole number")
        if value < low or (high is not None and value > high):
            bounds = f"from {low} to {high}" if high is not None else f"at least {low}"
            raise ValueError(f"{value} is out of range ({bounds})")
        return value

    return check_integer


def _boolean(value) -> None:
    if not isinstance(value, bool):
        raise ValueError(f"{value!r} is neither true nor false")


def _limits(several: bool):
    """Parsed as the rate limiter parses it: several limits (login) or one (voting)."""
    example = "'20 per minute; 100 per hour'" if several else "30/600 (hits/seconds)"

    def check_limits(value) -> None:
        try:
            limits = Limit.parse_all("x", value) if several else [Limit.parse("x", value)]
        except (ValueError, TypeError, AttributeError, IndexError):
            limits = []
        if not limits or any(limit.limit < 1 or limit.window < 1 for limit in limits):
            raise ValueError(f"{value!r} is not a limit such as {example}")

    return check_limits


def _log_format(value) -> None:
    if value not in LOG_FORMATS:
        raise ValueError(f"{value!r} is neither json nor text")


def _log_level(value) -> None:
    if not isinstance(logging.getLevelName(str(value).upper()), int):
        raise ValueError(f"{value!r} is not a log level such as INFO or WARNING")


def _text(optional: bool = True):
    def check_text(value) -> None:
        if (value is None and optional) or (isinstance(value, str) and value.strip()):
            return
        raise ValueError(f"{value!r} is not a non-empty text")

    return check_text


def _site_url(value) -> str | None:
    """ "https://Workshops.example.org/" -> "https://workshops.example.org" (or None when unset)."""
    if not value:
        return None
    parts = urlsplit(str(value).strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(f"{value!r} is not an http(s) address like https://example.org")
    return f"{parts.scheme}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


# WSAPP_<name>: the check of its value (which may return the value to use instead).
CHECKS = {
    "ENV": _env,
    "NOW": _now,
    "DATABASE_URL": _database_url,
    "REDIS_URL": _redis_url,
    "SECRET_KEY": _text(),
    "BALLOT_CODE_KEY": _text(),
    "MEDIA_DIR": _text(),
    "STATIC_DIR": _text(),
    "SITE_NAME": _text(optional=False),
    "BABEL_DEFAULT_TIMEZONE": _zone,
    "BABEL_DEFAULT_LOCALE": _locale,
    "MAX_IMAGE_BYTES": _integer(1),
    "IMAGES_AT_ONCE": _integer(1, 64),
    "MAX_PDF_BYTES": _integer(1),
    "MAX_CONTENT_LENGTH": _integer(1, optional=True),
    "PAGE_CACHE": _boolean,
    "VOTE_EXPRESS": _boolean,
    "THREADS": _integer(1, 256),
    "PAGE_CACHE_SECONDS": _integer(0),
    "PROXY_COUNT": _integer(0, 10),
    "INVITATION_TTL_DAYS": _integer(1, 365),
    "LOGIN_LIMIT_PER_IP": _limits(several=True),
    "LOGIN_LIMIT_PER_EMAIL": _limits(several=True),
    "VOTING_CODE_ATTEMPTS": _limits(several=False),
    "VOTING_OPEN_BALLOTS": _limits(several=False),
    "VOTING_CODE_ATTEMPTS_PER_BROWSER": _limits(several=False),
    "VOTING_CODE_ATTEMPTS_WITHOUT_COOKIE": _limits(several=False),
    "SITE_URL": _site_url,
    "MAIL_URL": _mail_url,
    "LOG_FORMAT": _log_format,
    "LOG_LEVEL": _log_level,
}
