"""The rules values must follow, shared by the web forms and the content loader.

Each function says whether a value is acceptable; the caller words the refusal for its reader (a
form field's error, or a content file's location).
"""

import re
import unicodedata

from wsapp.timezones.formats import is_valid_zone

__all__ = ["is_email", "is_http_url", "is_slug", "is_valid_zone", "slugify", "INT32"]

# PostgreSQL's integer columns hold 32 bits; a larger number is refused before it reaches them.
INT32 = (-(2**31), 2**31 - 1)

_URL = re.compile(r"https?://[^\s<>\"'`]+\.[^\s<>\"'`]+|https?://localhost[^\s]*", re.IGNORECASE)
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_EMAIL = re.compile(r"[^@\s<>\"\x00]+@[^@\s<>\"\x00]+\.[^@\s<>\"\x00]+")


def is_http_url(value: str) -> bool:
    """An absolute http(s) address: anything else could run script in a link."""
    return bool(_URL.fullmatch(value or ""))


def is_slug(value: str) -> bool:
    """Lower-case letters, digits and single dashes, as used in addresses."""
    return bool(_SLUG.fullmatch(value or ""))


def is_email(value: str) -> bool:
    return bool(_EMAIL.fullmatch(value or ""))


def slugify(text: str, fallback: str = "item") -> str:
    """ "Florian Tramèr" -> "florian-tramer": letters and digits of the text, dash-separated."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:100] or fallback
