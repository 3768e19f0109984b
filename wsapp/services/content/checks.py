"""A content file checked with the web forms' rules before anything is written.

`check_site(data)` walks a `wsapp/1` document and raises ContentError naming the record and
field of the first value the organizer area would refuse: a time zone, a date or date-time, a
web address, an e-mail address, an address name (slug); and what no database column holds (a
NUL character, an integer beyond 32 bits). The rules are wsapp.validation's, the ones the forms
use, so a file cannot store what a page then fails to show.
"""

import datetime as dt
from collections.abc import Iterator
from typing import Any

from wsapp.services.content.values import ContentError, day, instant
from wsapp.validation import (
    MAX_INT,
    MIN_INT,
    YEARS,
    is_email,
    is_http_url,
    is_slug,
    is_valid_zone,
)

LISTS = ("speakers", "panelists", "organizers", "moderators", "papers", "schedule", "dates",
         "sponsors", "institutions", "news", "announcements")  # fmt: skip
CFP_URLS = ("submission_url", "template_url", "reviewers_url")
# Where a document holds web addresses: (list in a workshop, field names).
URL_LISTS = {
    "papers": ("paper_url", "openreview_url", "code_url"),
    "sponsors": ("url",),
    "institutions": ("url",),
    "announcements": ("link_url",),
}


def check_site(data: dict) -> None:
    """Raise ContentError for the first value of the document the forms would refuse."""
    _storable(data, "")
    _rows(data, "people", "")
    for i, workshop in enumerate(_rows(data, "workshops", "")):
        _workshop(workshop, f"workshops[{i}]")
    for row, name, where in url_fields(data):
        _url(row, name, where)


def url_fields(data: dict) -> Iterator[tuple[dict, str, str]]:
    """(mapping, key, location) of every web address field in a document (the importer drops
    what check_site would refuse)."""

    def mappings(parent, name):
        rows = parent.get(name) if isinstance(parent, dict) else None
        return [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []

    for i, person in enumerate(mappings(data, "people")):
        yield person, "homepage", f"people[{i}]"
    for workshop in mappings(data, "workshops"):
        where = f"workshop {workshop.get('slug')}"
        yield workshop, "website_url", where
        if isinstance(workshop.get("conference"), dict):
            yield workshop["conference"], "url", f"{where} conference"
        if isinstance(workshop.get("cfp"), dict):
            for name in CFP_URLS:
                yield workshop["cfp"], name, f"{where} cfp"
        for list_name, names in URL_LISTS.items():
            for i, entry in enumerate(mappings(workshop, list_name)):
                for name in names:
                    yield entry, name, f"{where} {list_name}[{i}]"


def _workshop(row: dict, index: str) -> None:
    slug = row.get("slug")
    if slug is not None and not (isinstance(slug, str) and is_slug(slug)):
        raise ContentError(
            f"{index} slug: {slug!r} is not an address name (lower-case letters, digits and"
            " single dashes)"
        )
    where = f"workshop {slug}" if slug else index
    _zone(row, "timezone", where)
    start, end = _day(row, "start_date", where), _day(row, "end_date", where)
    if start and end and end < start:
        raise ContentError(f"{where} end_date: {end} comes before start_date {start}")
    conference = row.get("conference") or {}
    if not isinstance(conference, dict):
        raise ContentError(f"{where} conference: expected a mapping (name, year, url)")
    year = conference.get("year")
    if year is not None and not (isinstance(year, int) and YEARS[0] <= year <= YEARS[1]):
        raise ContentError(f"{where} conference year: {year!r} is not a year {YEARS[0]}-{YEARS[1]}")
    email = row.get("contact_email")
    if email not in (None, "") and not (isinstance(email, str) and is_email(email)):
        raise ContentError(f"{where} contact_email: {email!r} is not an e-mail address")
    for name in LISTS:
        rows = _rows(row, name, where)
        for i, entry in enumerate(rows):
            _entry(name, entry, f"{where} {name}[{i}]")
    if row.get("cfp") is not None and not isinstance(row["cfp"], dict):
        raise ContentError(f"{where} cfp: expected a mapping")


def _entry(list_name: str, entry: dict, here: str) -> None:
    if list_name == "schedule":
        _instant(entry, "start", here), _instant(entry, "end", here)
    elif list_name == "dates":
        _instant(entry, "due", here), _day(entry, "date", here), _zone(entry, "timezone", here)
        for i, old in enumerate(_rows(entry, "earlier", here)):
            at = f"{here} earlier[{i}]"
            _instant(old, "due", at), _day(old, "date", at), _zone(old, "timezone", at)
            _instant(old, "moved", at)
    elif list_name == "news":
        _instant(entry, "published", here)
        if not (isinstance(entry.get("slug"), str) and is_slug(entry["slug"])):
            raise ContentError(
                f"{here} slug: {entry.get('slug')!r} is not an address name (lower-case letters,"
                " digits and single dashes)"
            )
    elif list_name == "announcements":
        _instant(entry, "starts", here), _instant(entry, "ends", here)


def _rows(parent: dict, name: str, where: str) -> list[dict]:
    """parent[name] as a list of mappings (missing or null: an empty list)."""
    rows = parent.get(name)
    if rows is None:
        return []
    place = f"{where} {name}".strip()
    if not isinstance(rows, list):
        raise ContentError(f"{place}: expected a list")
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise ContentError(f"{place}[{i}]: expected a mapping, got {row!r}")
    return rows


def _zone(row: dict, name: str, where: str) -> None:
    value = row.get(name)
    if value is not None and not (isinstance(value, str) and is_valid_zone(value)):
        raise ContentError(
            f"{where} {name}: {value!r} is not an IANA time zone name such as Europe/Zurich"
        )


def is_url_value(value) -> bool:
    """A web address field's value the forms accept (empty is fine)."""
    return value in (None, "") or (isinstance(value, str) and is_http_url(value.strip()))


def _url(row: dict, name: str, where: str) -> None:
    value = row.get(name)
    if not is_url_value(value):
        raise ContentError(
            f"{where} {name}: {value!r} is not a full web address starting with https:// or http://"
        )


def _day(row: dict, name: str, where: str) -> dt.date | None:
    value = day(row.get(name), f"{where} {name}")
    return _in_years(value, name, where)


def _instant(row: dict, name: str, where: str) -> dt.datetime | None:
    value = instant(row.get(name), f"{where} {name}")
    return _in_years(value, name, where)


def _in_years(value, name: str, where: str):
    if value is not None and not YEARS[0] <= value.year <= YEARS[1]:
        raise ContentError(f"{where} {name}: give a year between {YEARS[0]} and {YEARS[1]}")
    return value


def _storable(value: Any, path: str) -> None:
    """No NUL character (PostgreSQL refuses it) nor an integer beyond 32 bits, anywhere."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ContentError(f"{path or 'the document'}: remove the NUL character")
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if not MIN_INT <= value <= MAX_INT:
            raise ContentError(f"{path}: {value} is too large a number")
    elif isinstance(value, dict):
        for key, item in value.items():
            _storable(key, path)
            _storable(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _storable(item, f"{path}[{i}]")
