"""The schedule of the page: its zone, its day(s), and the items of each schedule table.

A table under a heading that names a date ("Day 2, December 16") is on that date; several
tables without dates are consecutive days from the workshop date.
"""

import datetime as dt
import re

from wsapp.importers.jekyll import items, schedule, zones
from wsapp.importers.jekyll.clock import clock_range, find_dates
from wsapp.importers.jekyll.source import clean
from wsapp.timezones.formats import zone
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
    for days_of_list, block, heading in parts.day_lists:
        result = definitions_build(days_of_list, place.timezone, year or days[0].year, known,
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


def anchor_id(text: str) -> str:
    """The id kramdown gives a heading ("Sparsity & Networks -- Practice" ->
    "sparsity--networks----practice"), with runs of dashes made one so near ids compare."""
    words = re.sub(r"[^\w\s-]", "", text.strip().lower())
    return re.sub(r"-+", "-", re.sub(r"\s", "-", words)).strip("-")


def definitions_build(days_of_list, tz, year, known, anchors, report) -> schedule.Schedule:
    """The items of a definition-list schedule: a block per term, the session's chair as the
    moderator of its talks, talk titles and abstracts from the documents the rows link to."""
    result = schedule.Schedule()
    previous_term = None
    block = 0
    for day_of_list in days_of_list:
        found = find_dates(day_of_list.term, year)
        if not found:
            report.warn(f"schedule day {day_of_list.term!r} names no date: its "
                        f"{len(day_of_list.rows)} rows are not imported")  # fmt: skip
            continue
        if day_of_list.term != previous_term or day_of_list.session:
            block += 1
        previous_term = day_of_list.term
        session = items.read_session(_cell(day_of_list.session)) if day_of_list.session else {}
        chair = session.get("moderator")
        for row in day_of_list.rows:
            times = clock_range(row.time)
            start = dt.datetime.combine(found[0].value, times[0], tzinfo=zone(tz))
            end = dt.datetime.combine(found[0].value, times[1], tzinfo=zone(tz)) if times[1] else None
            item = _row_item(row.text, session, known, anchors, result)
            if chair and not item["label"] and not item["moderator"]:
                item["moderator"] = items.key_for(chair, None, known, result.people)
                result.moderators.append(item["moderator"])
            item.update(start=start, end=end, block=block)
            result.items.append(item)
    schedule.finish(result, report.note)
    return result


def _cell(markdown: str):
    from wsapp.importers.jekyll.blocks import render_inline
    from wsapp.importers.jekyll.source import soup

    return soup(f"<td>{render_inline(markdown)}</td>").td


def _row_item(text: str, session: dict, known, anchors, result) -> dict:
    """One row: a linked name resolves to the talk its document describes; "Name (Place)"
    is a talk by that person; anything else is read like a session cell."""
    from urllib.parse import unquote, urlsplit

    cell = _cell(text)
    plain = clean(cell.get_text())
    item = {"kind": session.get("kind") or "other", "number": None, "label": "", "title": None,
            "presenters": [], "presenters_text": "", "paper": None, "moderator": None}  # fmt: skip
    markers = [m[1] for m in items.MARKER.finditer(plain)]
    markers += [m[1] for m in re.finditer(rf";\s*\*?({items.MARKER_WORDS})\*?\s*\)", plain, re.I)]
    first = cell.find("a", href=True)
    lead = plain.split("(")[0].strip()
    if first is not None and clean(first.get_text()) == lead and items.looks_like_names(lead):
        url = urlsplit(first["href"])
        fragment, folder = unquote(url.fragment), url.path.strip("/").split("/")[-1]
        doc = None
        if fragment:  # "/speakers/#yi-ma": the speakers collection's Yi Ma, else any
            doc = anchors.get(f"{folder}#{anchor_id(fragment)}") or anchors.get(
                anchor_id(fragment)
            )
        name = clean(str((doc or {}).get("name") or lead))
        item["presenters"] = [items.key_for(name, (doc or {}).get("website"), known,
                                            result.people)]  # fmt: skip
        talk = (doc or {}).get("talk") or (doc or {}).get("tutorial")
        if talk:
            item["title"] = clean(str(talk)) + (f" ({', '.join(markers)})" if markers else "")
            item["abstract_md"] = clean(str(doc.get("abstract") or ""))
        elif markers:
            item["presenters_text"] = ""
        return item
    if items.looks_like_names(lead) and "(" in plain:
        item["presenters_text"] = plain  # "Yaser Al Yousuf (Abu Dhabi Residents Office)"
        return item
    info = items.read_session(cell, session.get("kind"))
    names = info["names"]
    item["label"] = info["label"]
    presenters_text = info["names_text"] or ", ".join(names)
    item["kind"] = items.kind_of(item["label"]) if item["label"] else item["kind"]
    item["title"] = info["title"]
    if info["moderator"]:
        item["moderator"] = items.key_for(info["moderator"], None, known, result.people)
        result.moderators.append(item["moderator"])
    if names and all(items.known_key(n, known) for n in names):
        item["presenters"] = [items.key_for(n, None, known, result.people) for n in names]
    else:
        item["presenters_text"] = presenters_text
    return item


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
