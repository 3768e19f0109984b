"""A schedule written as a kramdown definition list (just-the-class themes):

    Tuesday, Jan 3 (Morning)
    : [Educational tutorials](/tutorials) (Chair: Yi Ma)
    : 9:00 AM - 10:00 AM
       : [John Wright](/tutorials/#intro) (Columbia; *remote*)

The term is a day (and a part of it); a definition that is a time starts a row whose text is the
indented definition under it; any other definition names the session of the rows that follow.
CommonMark reads such a list as one paragraph, so it is taken apart line by line here.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from wsapp.importers.jekyll import items, schedule
from wsapp.importers.jekyll.blocks import Block, render_inline
from wsapp.importers.jekyll.clock import clock_range, find_dates
from wsapp.importers.jekyll.source import clean, soup
from wsapp.timezones.formats import zone

DEFINITION = re.compile(r"^(\s*):\s?(.*)$")


@dataclass
class Row:
    time: str
    text: str  # Markdown
    line: int


@dataclass
class Day:
    term: str  # "Tuesday, Jan 3 (Morning)"
    session: str = ""  # Markdown: "[Educational tutorials](/tutorials) (Chair: Yi Ma)"
    rows: list[Row] = field(default_factory=list)
    line: int = 0


def read(block: Block) -> list[Day]:
    """The days of a definition-list paragraph, or [] when the block is not one."""
    lines = block.source.splitlines()
    if not any(DEFINITION.match(line) for line in lines[1:]):
        return []
    days: list[Day] = []
    row: Row | None = None
    for offset, line in enumerate(lines):
        m = DEFINITION.match(line)
        number = block.line + offset
        if m is None:
            if line.strip():
                days.append(Day(line.strip(), line=number))
                row = None
            continue
        if not days:
            return []
        indent, text = len(m[1]), m[2].strip()
        day = days[-1]
        if indent and row is not None:
            row.text = f"{row.text} {text}".strip()
        elif not indent and clock_range(text):
            row = Row(text, "", number)
            day.rows.append(row)
        elif not indent and text:
            if day.rows:  # a second session in the same part of the day
                days.append(Day(day.term, line=number))
                day = days[-1]
            day.session = text
            row = None
    return [d for d in days if d.rows]


def anchor_id(text: str) -> str:
    """The id kramdown gives a heading ("Sparsity & Networks -- Practice" ->
    "sparsity--networks----practice"), with runs of dashes made one so near ids compare."""
    words = re.sub(r"[^\w\s-]", "", text.strip().lower())
    return re.sub(r"-+", "-", re.sub(r"\s", "-", words)).strip("-")


def build(days_of_list, tz, year, known, anchors, report) -> schedule.Schedule:
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
            end = None
            if times[1]:
                end = dt.datetime.combine(found[0].value, times[1], tzinfo=zone(tz))
            item = _row_item(row.text, session, known, anchors, result)
            if chair and not item["label"] and not item["moderator"]:
                item["moderator"] = items.key_for(chair, None, known, result.people)
                result.moderators.append(item["moderator"])
            item.update(start=start, end=end, block=block)
            result.items.append(item)
    schedule.finish(result, report.note)
    return result


def _cell(markdown: str):
    return soup(f"<td>{render_inline(markdown)}</td>").td


def _row_item(text: str, session: dict, known, anchors, result) -> dict:
    """One row: a linked name resolves to the talk its document describes; "Name (Place)"
    is a talk by that person; anything else is read like a session cell."""
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
            doc = anchors.get(f"{folder}#{anchor_id(fragment)}") or anchors.get(anchor_id(fragment))
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
