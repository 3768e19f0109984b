"""The rules values must follow, shared by every entry point: forms, content files, URLs,
query strings, settings.

Each function answers True/False (or raises ValueError saying what is wrong); the caller words
the refusal for its reader: a field error, a ContentError naming the record and field, a 404, a
one-line CLI error.
"""

import ipaddress
import re
import unicodedata
from urllib.parse import urlsplit

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
    "slugify",
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


# Addresses the site's own pages take: no workshop may have them as its address name.
RESERVED_SLUGS = frozenset(
    {"manage", "login", "logout", "invite", "archive", "static", "sitemap.xml", "people", "series"}
)


def is_slug(value: str | None) -> bool:
    """Lower-case letters, digits and single dashes, as used in addresses."""
    return bool(value) and bool(_SLUG.fullmatch(value))


def slugify(text: str, fallback: str = "item") -> str:
    """ "Florian Tramèr" -> "florian-tramer": letters and digits of the text, dash-separated."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:100] or fallback
