"""The rules every entry point shares: URL paths, query strings, forms, content files, settings.

A web form, `flask content load` and a URL converter ask the same plain functions here, so a
value one of them refuses is refused by all of them. Each check answers True/False (or raises
ValueError with what is wrong); callers turn that into their own kind of answer: a field error,
a ContentError naming the record and field, a 404, a one-line CLI error.
"""

import ipaddress
import re
from urllib.parse import urlsplit

from flask import abort, request
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter, UnicodeConverter

from wsapp.timezones.formats import is_valid_zone

__all__ = [
    "MAX_INT",
    "MIN_INT",
    "YEARS",
    "db_int",
    "is_email",
    "is_host_header",
    "is_http_url",
    "is_slug",
    "is_valid_zone",
    "register",
    "register_converters",
]

# The database's INTEGER (PostgreSQL refuses anything outside, SQLite beyond 64 bits): every id,
# counter and number a request or a file carries must fit.
MAX_INT = 2**31 - 1
MIN_INT = -(2**31)
# The years a date typed in a form or written in a content file may have.
YEARS = (1900, 2200)
# Characters that end an address in HTML or text: an address containing one is refused whole
# rather than cut, so `http://localhost"><svg onload=...>` never becomes a link.
_URL_BREAKERS = re.compile(r"[\s<>\"'`\\{}\x00-\x1f\x7f]")
_HOST_LABEL = re.compile(r"(?!-)[^\W_](?:[\w-]{0,61}[^\W_])?", re.UNICODE)
_EMAIL = re.compile(r"[^@\s<>\"\x00-\x1f\x7f]+@[^@\s<>\"\x00-\x1f\x7f]+\.[^@\s<>\"\x00-\x1f\x7f]+")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# A Host header (RFC 9110): a DNS name of ASCII labels (IDNs arrive as xn-- labels), or an IP
# literal in brackets, and an optional port.
_HOST_HEADER = re.compile(
    r"(?P<host>(?:[A-Za-z0-9_-]{1,63}\.)*[A-Za-z0-9_-]{1,63}\.?|\[[0-9A-Fa-f:.]{2,45}\])"
    r"(?::(?P<port>[0-9]{1,5}))?"
)


def db_int(value) -> int:
    """An integer the database can store, from a query-string value; ValueError otherwise.

    Usable as `request.args.get("before", type=db_int)`: a value out of range is then ignored
    like any other malformed one.
    """
    number = int(str(value).strip(), 10)
    if not MIN_INT <= number <= MAX_INT:
        raise ValueError(f"{value!r} is out of range")
    return number


def is_http_url(value: str | None, dotted: bool = True) -> bool:
    """An absolute http(s) address with a real host name, and nothing that could end a link.

    Accepted: a host of dot-separated labels (IDN letters too), `localhost`, an IP address; an
    optional port. Refused: other schemes (`javascript:`), spaces, quotes, angle brackets,
    control characters, a missing or malformed host, and (unless `dotted` is False, for a
    server's own address on an intranet) a host name without a dot.
    """
    if not isinstance(value, str) or not value or len(value) > 2000:
        return False
    if _URL_BREAKERS.search(value):
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (a port that is not a number 0-65535 raises ValueError)
    except ValueError:
        return False
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc.split("@")[-1]:
        return False
    return _is_host(parts.hostname or "", dotted)


def _is_host(host: str, dotted: bool = True) -> bool:
    if host == "localhost":
        return True
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    labels = host.removesuffix(".").split(".")
    return (len(labels) >= 2 or not dotted) and all(
        _HOST_LABEL.fullmatch(label) for label in labels
    )


def is_host_header(value: str | None) -> bool:
    """A Host header werkzeug and every URL built from it can use: `example.org`, `[::1]:8000`."""
    match = _HOST_HEADER.fullmatch(value or "")
    if match is None or len(value) > 260:
        return False
    if match["port"] and int(match["port"]) > 65535:
        return False
    host = match["host"]
    if host.startswith("["):
        try:
            return ipaddress.ip_address(host[1:-1]).version == 6
        except ValueError:
            return False
    try:
        host.encode("ascii").decode("idna")  # xn-- labels must be valid punycode
    except UnicodeError:
        return False
    return True


def is_email(value: str | None) -> bool:
    """An e-mail address of the usual shape (name@domain.tld), without spaces or controls."""
    return bool(value) and len(value) <= 254 and bool(_EMAIL.fullmatch(value))


def is_slug(value: str | None) -> bool:
    """Lower-case letters, digits and single dashes, as used in addresses."""
    return bool(value) and bool(_SLUG.fullmatch(value))


# URL converters: a path segment with a control character (a NUL from `%00`) or an integer the
# database cannot hold matches no route, so it is a 404 before any view or query runs.


class TextConverter(UnicodeConverter):
    """The default converter (`<slug>`, `<string(length=69):name>`), without control characters."""

    def __init__(self, map, *args, **kwargs):
        super().__init__(map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", r"[^/\x00-\x1f\x7f]", 1)


class IdConverter(IntegerConverter):
    """`<int:...>`: an id in the database's integer range (0 to 2**31 - 1)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_INT)
        super().__init__(map, *args, **kwargs)


def check_request(endpoint, values) -> None:
    """The request's own parts, before any view or workshop loader reads them: a Host header
    werkzeug cannot build a URL from, or a NUL character in the query string, is a 400."""
    if not is_host_header(request.host):
        abort(400, _("The Host header %(host)s is not a valid host name.", host=request.host[:80]))
    if any("\x00" in key + value for key, value in request.args.items(multi=True)):
        abort(400, _("The address contains a NUL character; remove it."))


def register(app) -> None:
    """Check every request first: app-level URL value preprocessors run before the blueprints'
    (which load the workshop) and before any before_request hook."""
    app.url_value_preprocessor(check_request)


def register_converters(url_map) -> None:
    """Install the converters above; call before any route is added."""
    url_map.converters.update(default=TextConverter, string=TextConverter, int=IdConverter)
