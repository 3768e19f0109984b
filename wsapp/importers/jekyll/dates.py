"""Important dates: "**Submission deadline**: <s>Sept 29th, 2023</s> Oct 6th, 2023, 11:59 PM AoE".

Struck-through values (<s>, <del>, <strike>) are earlier values of the same date, oldest first;
they take the current value's time and zone unless they state their own.
"""

import datetime as dt
import re
from dataclasses import dataclass
from html import escape

from bs4 import Tag

from wsapp.importers.jekyll.clock import find_dates, find_times
from wsapp.importers.jekyll.source import clean, soup
from wsapp.models.cfp import AOE
from wsapp.timezones.formats import zone

STRUCK = ["s", "del", "strike"]
END_OF_DAY = dt.time(23, 59)
AOE_WORDS = re.compile(r"\(?\s*\b(?:anywhere on earth|AoE)\b\s*\)?(?:\s*\(AoE\))?", re.I)
OFFSET = re.compile(r"\b(?:UTC|GMT)\s*([+-−])\s*(\d{1,2})(?::?(\d\d))?\b", re.I)
UTC = re.compile(r"\(?\b(?:UTC|GMT)\b\)?")
ABBREVIATIONS = {
    "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles", "PT": "America/Los_Angeles",
    "MST": "America/Denver", "MDT": "America/Denver",
    "CST": "America/Chicago", "CDT": "America/Chicago", "CT": "America/Chicago",
    "EST": "America/New_York", "EDT": "America/New_York", "ET": "America/New_York",
    "BST": "Europe/London", "CET": "Europe/Paris", "CEST": "Europe/Paris",
    "JST": "Asia/Tokyo", "KST": "Asia/Seoul", "SGT": "Asia/Singapore",
}  # fmt: skip
ABBREVIATION = re.compile(r"\(?\b(" + "|".join(ABBREVIATIONS) + r")\b\)?")


@dataclass
class DateValue:
    day: dt.date | None
    end: dt.date | None  # the last day of a range ("December 15-16, 2023")
    time: dt.time | None
    timezone: str | None  # None: the text names no zone
    rest: str  # what the text says besides the date, time and zone


def read_value(text: str, year: int | None = None) -> DateValue:
    """The date, time, zone and leftover words of one written value."""
    text = clean(text)
    tz = None
    for pattern, zone_of in (
        (AOE_WORDS, lambda m: AOE),
        (OFFSET, _offset_zone),
        (ABBREVIATION, lambda m: ABBREVIATIONS[m[1]]),
        (UTC, lambda m: "UTC"),
    ):
        m = pattern.search(text)
        if m and (found := zone_of(m)):
            tz = found
            text = text[: m.start()] + " " + text[m.end() :]
            break
    # "December 16th, 11:59PM PST, 2025": a year written after the time is the date's year.
    written_year = re.search(r"\b(?:19|20)\d\d\b", text)
    dates = find_dates(text, int(written_year[0]) if written_year else year)
    day = end = None
    if dates:
        day, end = dates[0].value, dates[0].end
        a, b = dates[0].span
        text = text[:a] + " " + text[b:]
    times = find_times(text)
    time = times[0].value if times else None
    if times:
        a, b = times[0].span
        text = text[:a] + " " + text[b:]
    if written_year and dates:
        text = re.sub(rf",?\s*\b{written_year[0]}\b", " ", text, count=1)
    rest = re.sub(r"\(\s*\)", " ", clean(text))
    rest = re.sub(r"^[\s,;:.\-–—]+|[\s,;:\-–—]+$", "", clean(rest))
    rest = re.sub(r"^\((.*)\)$", r"\1", rest).strip()
    if rest.count("(") != rest.count(")"):  # "(11:59 pm AoE)" with the time taken out
        rest = rest.strip("() ")
    if re.fullmatch(r"(at|by|on)?", rest, re.I):
        rest = ""
    return DateValue(day, end, time, tz, rest)


def _offset_zone(m: re.Match) -> str | None:
    if m[3] and m[3] != "00":
        return None  # Etc/ zones have whole hours only
    hours = int(m[2]) * (-1 if m[1] in "-−" else 1)
    # POSIX Etc/ names invert the sign: UTC-12 is Etc/GMT+12.
    return "UTC" if hours == 0 else f"Etc/GMT{-hours:+d}"


@dataclass
class DateItem:
    label: str
    value: DateValue
    earlier: list[DateValue]
    text: str  # the item as written, for the report


def read_item(li: Tag, year: int | None) -> DateItem:
    """One list item: the bold label, the struck earlier values and the current value."""
    written = clean(li.get_text())
    strong = li.find(["strong", "b"])
    label = ""
    if strong is not None and written.startswith(clean(strong.get_text())):
        label = clean(strong.get_text()).rstrip(":").strip()
        strong.extract()
    struck = [clean(s.get_text()) for s in li.find_all(STRUCK)]
    for s in li.find_all(STRUCK):
        s.extract()
    text = clean(li.get_text())
    if not label:
        head, colon, rest = text.partition(":")
        dates = find_dates(text, year)
        if colon and not (dates and dates[0].span[0] < len(head)):
            label, text = clean(head), rest
        elif dates and dates[0].span[0] > 0:  # "Submission deadline - October 6, 2023"
            label, text = text[: dates[0].span[0]].strip(" -–—,"), text[dates[0].span[0] :]
    text = re.sub(r"^[\s:]+", "", text)
    current = read_value(text, year)
    earlier = [read_value(old, current.day.year if current.day else year) for old in struck]
    return DateItem(label or "Date", current, earlier, written)


def item_from_row(cells: list[Tag]) -> Tag:
    """A table row (label | date) as the list item it stands for."""
    value = "".join(str(c) for c in cells[1].contents)
    return soup(f"<li><strong>{escape(clean(cells[0].get_text()))}</strong>: {value}</li>").li


def to_entry(item: DateItem, venue_tz: str, warn) -> dict | None:
    """The wsapp/1 `dates` entry, or None when no date can be read (reported by the caller)."""
    value = item.value
    if value.day is None:
        return None
    entry: dict = {"label": item.label, "note": value.rest}
    if value.time is None and value.timezone is not None:
        # "October 6, 2023 (AoE)": a deadline at the end of that day in that zone.
        value.time = END_OF_DAY
        warn(f"important date {item.label!r} names a zone but no time; due at 23:59 there")
    if value.time is None:
        entry["date"] = value.day.isoformat()
    else:
        tz = value.timezone
        if tz is None:
            tz = venue_tz
            warn(f"important date {item.label!r} names no time zone; read in {venue_tz}")
        entry["due"] = _instant(value.day, value.time, tz)
        entry["timezone"] = tz
    entry["earlier"] = []
    for old in item.earlier:
        if old.day is None:
            warn(f"important date {item.label!r}: no date in the struck value; not kept")
            continue
        time = old.time or value.time
        if time is None:
            entry["earlier"].append({"date": old.day.isoformat()})
            continue
        tz = old.timezone or entry.get("timezone") or venue_tz
        entry["earlier"].append({"due": _instant(old.day, time, tz), "timezone": tz})
    return entry


def _instant(day: dt.date, time: dt.time, tz: str) -> str:
    return dt.datetime.combine(day, time, tzinfo=zone(tz)).isoformat()


def table_rows(table) -> list[list[Tag]]:
    """A dates table's rows as (label, date) cell pairs, whichever column holds the dates
    ("| Date | Event |" puts them first)."""
    rows = [row for row in table.rows if len(row) >= 2]
    first = sum(1 for row in rows if find_dates(clean(row[0].get_text()), 2000))
    second = sum(1 for row in rows if find_dates(clean(row[1].get_text()), 2000))
    if first > second:
        return [[row[1], row[0], *row[2:]] for row in rows]
    return rows
