"""Dates and times as people write them: "October 6th, 2023", "08:55 am", "14:30", "9-10 AM"."""

import datetime as dt
import re

MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
DAY = r"(\d{1,2})(?:st|nd|rd|th)?(?![:.h]\d)"  # not the hour of "March 11:59 pm"
YEAR = r"(?:,?\s+(\d{4}))?"
RANGE_SEP = r"\s*(?:-|–|—|to|until)\s*"

# Each form: regex and the group order of (month, day, year, end day).
DATE_FORMS = [
    (re.compile(rf"\b{MONTH},?\s+{DAY}{RANGE_SEP}{DAY}\b{YEAR}", re.I), "mdey"),
    (re.compile(rf"\b{DAY}{RANGE_SEP}{DAY}\s+{MONTH}{YEAR}", re.I), "demy"),
    (re.compile(rf"\b{MONTH},?\s+{DAY}\b{YEAR}", re.I), "mdy"),
    (re.compile(rf"\b{DAY}\s+(?:of\s+)?{MONTH}{YEAR}", re.I), "dmy"),
    (re.compile(r"\b(\d{4})-(\d\d)-(\d\d)\b"), "ymd"),
]
TIME_12 = re.compile(r"(?<![\d:.])(\d{1,2})(?:[:.h](\d\d))?\s*([ap])\.?\s*m\b\.?", re.I)
TIME_24 = re.compile(r"(?<![\d:.])(\d{1,2})[:h](\d\d)(?![\d:])", re.I)
WORDS = {"noon": dt.time(12), "midday": dt.time(12)}


class Found:
    """A date or time found in text, with where it was."""

    def __init__(self, value, span: tuple[int, int], end=None, meridiem: str | None = None):
        self.value, self.span, self.end, self.meridiem = value, span, end, meridiem


def find_dates(text: str, year: int | None = None) -> list[Found]:
    """Every date in text, in order; a range "December 15-16, 2023" gives its end day too.

    A date without a year takes `year`; without either it is skipped.
    """
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    for pattern, order in DATE_FORMS:
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            parts = dict(zip(order, m.groups(), strict=True))
            month = parts["m"]
            month = int(month) if month.isdigit() else MONTHS[month[:3].lower()]
            y = int(parts["y"]) if parts.get("y") else year
            if y is None:
                continue
            try:
                start = dt.date(y, month, int(parts["d"]))
                end = dt.date(y, month, int(parts["e"])) if parts.get("e") else None
            except ValueError:
                continue
            found.append(Found(start, m.span(), end=end))
            taken.append(m.span())
    return sorted(found, key=lambda f: f.span)


def find_times(text: str) -> list[Found]:
    """Every clock time in text, in order: 12-hour ("9am", "08:55 pm") or 24-hour ("14:30")."""
    found: list[Found] = []
    for m in TIME_12.finditer(text):
        hour, minute = int(m[1]), int(m[2] or 0)
        if 1 <= hour <= 12 and minute < 60:
            hour = hour % 12 + (12 if m[3].lower() == "p" else 0)
            found.append(Found(dt.time(hour, minute), m.span(), meridiem=m[3].lower()))
    for m in TIME_24.finditer(text):
        if any(f.span[0] <= m.start() < f.span[1] for f in found):
            continue
        hour, minute = int(m[1]), int(m[2])
        if hour < 24 and minute < 60:
            found.append(Found(dt.time(hour, minute), m.span()))
    for word, value in WORDS.items():
        for m in re.finditer(rf"\b{word}\b", text, re.I):
            found.append(Found(value, m.span()))
    return sorted(found, key=lambda f: f.span)


MILITARY = re.compile(
    r"\s*([01]\d|2[0-3])([0-5]\d)(?:\s*(?:-|–|—|to)\s*([01]\d|2[0-3])([0-5]\d))?\s*"
)


def clock_range(text: str) -> tuple[dt.time, dt.time | None] | None:
    """The start (and end, for "9:00 - 9:30 am") of a schedule time cell, or None."""
    m = MILITARY.fullmatch(text)
    if m and (m[3] or m[1].startswith("0")):  # "0915 - 0945": a whole cell, never "2023"
        end = dt.time(int(m[3]), int(m[4])) if m[3] else None
        return dt.time(int(m[1]), int(m[2])), end
    times = find_times(text)
    if not times:
        return None
    start = times[0]
    if len(times) == 1:
        return start.value, None
    end = times[1]
    value = start.value
    # "1:00 - 2:30 pm": the first time borrows the second's meridiem.
    if start.meridiem is None and end.meridiem == "p" and value.hour < 12:
        shifted = value.replace(hour=value.hour + 12)
        if shifted <= end.value:
            value = shifted
    return value, end.value
