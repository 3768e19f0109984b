"""The schedule of the page: its zone, its day(s), and the items of each schedule table.

A table under a heading that names a date ("Day 2, December 16") is on that date; several
tables without dates are consecutive days from the workshop date.
"""

import datetime as dt
import re

from wsapp.importers.jekyll import definitions, schedule, zones
from wsapp.importers.jekyll.clock import find_dates
from wsapp.importers.jekyll.parts import Options, PageError, Parts
from wsapp.importers.jekyll.report import Report


def venue(parts: Parts, options: Options, day, report: Report) -> zones.Venue:
    """The venue's zone and city: from the schedule's label, or --timezone."""
    if not parts.tables and not parts.day_lists:
        cities = zones.known_cities(" ".join(parts.description + [d.text for d in parts.dates]))
        if not options.timezone and cities:
            tz, country = zones.CITIES[cities[0]]
            report.note(f"no schedule yet: the workshop timezone is {tz}, the zone of "
                        f"{cities[0].title()}, which the page names (pass --timezone to change "
                        "it)")  # fmt: skip
            return zones.Venue(tz, cities[0].title(), country, "")
        tz = options.timezone or "UTC"
        if not options.timezone:
            report.warn("no schedule on the page; the workshop timezone is UTC (pass --timezone)")
        zones.resolve("", tz, day or dt.date.today(), report.warn)
        return zones.Venue(tz, "", "", "")
    if day is None:
        raise PageError("the page has a schedule but no workshop date (an important date "
                        "labelled 'Workshop date'); pass --date YYYY-MM-DD")  # fmt: skip
    label = _label(parts)
    place = " ".join(parts.description + parts.labels + [d.text for d in parts.dates])
    try:
        found = zones.resolve(label, options.timezone, day, report.warn, place)
    except zones.ZoneError as exc:
        raise PageError(str(exc)) from exc
    source = "--timezone" if options.timezone else f"the label {label!r}"
    report.note(f"schedule times read in {found.timezone} on {day.isoformat()} (from {source})")
    return found


def _label(parts: Parts) -> str:
    """The zone statement: the time column's "(CST/GMT-06:00, New Orleans)", else a sentence
    or a heading that names a city."""
    if parts.tables:
        table = parts.tables[0][0]
        cols, _ = schedule.columns(table, lambda message: None)
        header = table.header[cols["time"]] if cols["time"] < len(table.header) else ""
        m = re.search(r"\(([^)]*)\)", header)
        if m:
            return m[1].strip()
    labels = parts.labels
    return next((t for t in labels if zones.parse_label(t)[1]), labels[0] if labels else "")


def build(parts: Parts, place, days, year, persons: dict, roles: dict, report: Report):
    """Schedule items and papers of every table; new people (moderators, linked names) are
    added to `persons`, moderators to `roles`."""
    known = {p["name"].casefold(): key for key, p in persons.items()}
    items, papers, blocks, moderators = [], [], 0, []
    for index, (table, block, heading) in enumerate(parts.tables):
        day = _day_of(heading, index, days, year, len(parts.tables), report)
        result = schedule.build(table, place.timezone, day, known, report.warn, report.note)
        if not result.items:
            report.leave(heading or "Schedule", block.line, "a table without times",
                         "not imported")  # fmt: skip
            continue
        for item in result.items:
            item["block"] += blocks
        blocks = max(i["block"] for i in result.items)
        items += result.items
        papers += result.papers
        for key, person in result.people.items():
            persons.setdefault(key, person)
        for column in result.extra_columns:
            report.note(f"schedule column {column!r} is kept in each item's abstract")
        moderators += result.moderators
    for days_of_list, _block, _heading in parts.day_lists:
        result = definitions.build(days_of_list, place.timezone, year or days[0].year, known,
                                   parts.anchors, report)  # fmt: skip
        for item in result.items:
            item["block"] += blocks
        blocks = max([blocks] + [i["block"] for i in result.items])
        items += result.items
        papers += result.papers
        for key, person in result.people.items():
            persons.setdefault(key, person)
        moderators += result.moderators
    if moderators:
        roles["moderators"] = [_role_of(key, roles) for key in dict.fromkeys(moderators)]
    return items, papers


def _day_of(heading: str, index: int, days, year, tables: int, report: Report) -> dt.date:
    start, end = days
    named = find_dates(heading, year or start.year)
    if named:
        return named[0].value
    if tables > 1 and index and end and end > start:
        day = min(start + dt.timedelta(days=index), end)
        report.note(f"schedule table {index + 1} ({heading!r}) names no date; read as {day}")
        return day
    return start


def _role_of(key: str, roles: dict) -> dict:
    """A moderator's caption is the one they have elsewhere on the page, if any."""
    for kind in ("organizers", "speakers", "panelists"):
        for role in roles.get(kind, []):
            if role["person"] == key:
                return {**role}
    return {"person": key, "position": "", "affiliation": ""}
