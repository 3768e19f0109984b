"""What each section of a page yields: people, logos, dates, schedule tables, the call.

People come only from structures that hold people (tables, cards, lists whose items look like
people); an item that does not look like a person is listed in the report with its line and
left out. A section of a page other than the home page that maps to nothing is reported, not
added to the description.
"""

import re

from wsapp.importers.jekyll import dates as date_parts
from wsapp.importers.jekyll import definitions, links, people, schedule, zones
from wsapp.importers.jekyll.blocks import Block, Section
from wsapp.importers.jekyll.parts import ROLE_KINDS, Parts
from wsapp.importers.jekyll.report import Report
from wsapp.importers.jekyll.source import clean, soup
from wsapp.importers.jekyll.tables import Table, tables_in

DEADLINES_AT = re.compile(
    r"\b(deadlines|dates)\b.*\b(are|is)\b.*(\d[:.h]\d\d|\bAOE\b)|^\(?time ?zone:", re.I
)
DATES_ITEM = re.compile(r"^(important |key )?(dates?|deadlines?|timeline)\s*:?$", re.I)


def read_section(section: Section, kind, parts: Parts, used: set, report: Report) -> None:
    for block in section.blocks:
        votes = links.voting_links(block)
        if votes:
            report.voting_links += votes
            if links.only_voting(block):
                used.add(id(block))
                for img in soup(block.html).find_all("img"):
                    report.other_images.append((img.get("src", ""), "voting image, not imported"))
        conference = links.conference_link(block) if parts.conference is None else None
        if conference:
            parts.conference = conference
            used.add(id(block))
    if kind in ("intro", None, "cfp", "instructions"):
        _nested_dates(section, parts, used)
    if kind == "intro" and parts.page_kind == "intro":
        _stated_day(section, parts)
    if kind in ("intro", None):  # a schedule table without a Schedule heading
        for block in section.blocks:
            found = [t for t in tables_in(block) if schedule.looks_like_schedule(t)]
            if found:
                _add_tables(parts, found, block, section, report)
                used.add(id(block))
                report.note(f"the table at line {block.line} is read as the schedule")
    if kind in ROLE_KINDS:
        _people(section, kind, parts, used, report)
    elif kind == "people":
        _other_people(section, used, report)
    elif kind in ("sponsors", "institutions"):
        chosen = [b for b in section.blocks if id(b) not in used and _has_logo(b)]
        parts.logos[kind] += links.logos(chosen)
        used.update(id(b) for b in chosen)
    elif kind == "dates":
        for block in section.blocks:
            items = _items(block) if block.kind == "list" or "<li" in block.source else []
            if block.kind == "p" and not items:
                items = _lines(block)  # "**Label:** date<br>**Label:** date"
            items += [date_parts.item_from_row(row) for t in tables_in(block)
                      for row in date_parts.table_rows(t)]  # fmt: skip
            if items:
                _add_dates(parts, [date_parts.read_item(li, parts.year) for li in items])
                used.add(id(block))
            elif block.kind == "p" and DEADLINES_AT.search(clean(soup(block.html).get_text())):
                # "Deadlines are at 11:59 PM AOE": the time of every deadline given without one
                parts.deadline_time = date_parts.read_value(clean(soup(block.html).get_text()))
                used.add(id(block))
    elif kind == "schedule":
        _schedule(section, parts, used, report)
    elif kind in ("cfp", "instructions", "reviewers"):
        blocks = [b for b in section.blocks if id(b) not in used]
        getattr(parts, {"cfp": "call"}.get(kind, kind)).extend(blocks)


def _schedule(section: Section, parts: Parts, used: set, report: Report) -> None:
    label = zones.label_in_heading(section.context)
    if label:
        parts.labels.append(label)  # "### Schedule (times in PST, Vancouver)"
    for block in section.blocks:
        tables = tables_in(block)
        days = definitions.read(block) if block.kind == "p" else []
        if tables:
            _add_tables(parts, tables, block, section, report)
            used.add(id(block))
        elif days:
            signature = tuple((d.term, d.session, tuple(r.text for r in d.rows)) for d in days)
            if signature not in parts.table_signatures:
                parts.table_signatures.add(signature)
                parts.day_lists.append((days, block, section.context))
            else:
                report.note(f"the schedule at line {block.line} repeats one read before: read "
                            "once")  # fmt: skip
            used.add(id(block))
        elif block.kind == "p" and WORKSHOP_DATE.search(block.source):
            _stated_day(Section(0, "", block.line, [block]), parts)  # "**Workshop Date:** ..."
        elif block.kind == "p" and re.search(r"\btimes?\b", block.source, re.I):
            text = clean(soup(block.html).get_text())
            if zones.names_zone(text):
                parts.labels.append(text)  # "All times are in CEST (Paris)."
                used.add(id(block))


def _add_tables(parts: Parts, tables: list[Table], block: Block, section: Section, report):
    for table in tables:
        if not schedule.has_times(table):
            text = clean(" ".join(c.get_text() for row in table.rows for c in row))
            report.leave(section.title, block.line, text or "an empty table",
                         "not imported: a table without times")  # fmt: skip
            continue
        signature = tuple(tuple(clean(c.get_text()) for c in row) for row in table.rows)
        if signature in parts.table_signatures:
            report.note(f"the schedule table at line {block.line} repeats one read before: "
                        "read once")  # fmt: skip
            continue
        parts.table_signatures.add(signature)
        parts.tables.append((table, block, section.context))


def _people(section: Section, kind: str, parts: Parts, used: set, report: Report) -> None:
    for block in section.blocks:
        found = [(e, why, block.line) for e, why in people.in_block(block)]
        if block.kind == "list":
            lines = _item_lines(block)
            found += [(e, "list item", line) for li, line in zip(_items(block), lines, strict=False)
                      if (e := people.from_list_item(li))]  # fmt: skip
        kept = []
        for entry, source, line in found:
            problem = people.not_a_person(entry)
            if problem:
                report.leave(section.title, line, entry.name or entry.caption,
                             f"not imported as one of the {kind}: {problem}")  # fmt: skip
                report.warn(f"{report.where + ': ' if report.where else ''}line {line}: "
                            f"{entry.name!r} under '{section.title}' ({source}) does not look "
                            f"like a person ({problem}); left out")  # fmt: skip
                continue
            kept.append(entry)
        if found:
            used.add(id(block))
        parts.roles[kind] += kept


def _other_people(section: Section, used: set, report: Report) -> None:
    names = []
    for block in section.blocks:
        found = [e for e, _ in people.in_block(block)]
        if block.kind == "list":
            found += [e for li in _items(block) if (e := people.from_list_item(li))]
        names += [e.name for e in found if not people.not_a_person(e)]
        if found:
            used.add(id(block))
    if names:
        report.warn(f"'{section.title}' lists {len(names)} people ({', '.join(names)}) in a role "
                    "wsapp has no place for: not imported (add them in the organizer area if "
                    "they should be shown)")  # fmt: skip


WORKSHOP_DATE = re.compile(r"workshop date", re.I)
STATED = re.compile(
    r"\b(held|take place|takes place|join us|will be on|happening|workshop date)\b", re.I
)


def _stated_day(section: Section, parts: Parts) -> None:
    """ "(Singapore, April 27, 2025)" under the title, or "will be held ... on July 18-19,
    2025": the workshop's day, when no important date names it."""
    from wsapp.importers.jekyll.clock import find_dates

    for block in section.blocks:
        text = clean(soup(block.html).get_text())
        if len(text) > 300 or not (len(text) < 80 or STATED.search(text)):
            continue
        found = find_dates(text, parts.year)
        if found:
            parts.stated_days.append((found[0], text))


DEADLINE_WORDS = re.compile(r"deadline|notification|camera|submission|due\b", re.I)


def _nested_dates(section: Section, parts: Parts, used: set) -> None:
    """ "- **Dates:**" with the deadlines as its sub-items, inside a list about the call; or a
    list of "Submission deadline: May 19, 2025" items under a heading such as "Key
    Information"."""
    from wsapp.importers.jekyll.clock import find_dates

    for block in section.blocks:
        if block.kind != "list" or id(block) in used:
            continue
        top = [li for li in _items(block) if li.find_parent("li") is None]
        dated = [li for li in top if ":" in li.get_text() and find_dates(li.get_text(), 2000)
                 and DEADLINE_WORDS.search(li.get_text().split(":")[0])]  # fmt: skip
        if len(dated) >= 2 and len(dated) * 2 >= len(top):
            _add_dates(parts, [date_parts.read_item(li, parts.year) for li in dated])
            used.add(id(block))
            continue
        for li in _items(block):
            lead = li.find(["strong", "b"])
            sub = li.find(["ul", "ol"])
            if lead is None or sub is None or not DATES_ITEM.match(clean(lead.get_text())):
                continue
            items = sub.find_all("li", recursive=False)
            _add_dates(parts, [date_parts.read_item(item, parts.year) for item in items])
            sub.extract()


def _add_dates(parts: Parts, items: list) -> None:
    for item in items:
        item.page_kind = parts.page_kind
        parts.dates.append(item)


def _lines(block: Block) -> list:
    """A paragraph's lines (cut at <br> and line ends) as list items, when each has a date."""
    from wsapp.importers.jekyll.clock import find_dates

    html = re.sub(r"<br\s*/?>|\n", "\x00", soup(block.html).p.decode_contents())
    lines = [part for part in html.split("\x00") if clean(soup(part).get_text())]
    items = [soup(f"<li>{part}</li>").li for part in lines]
    dated = [li for li in items if find_dates(li.get_text(), 2000)]
    return items if lines and len(dated) == len(items) else []


def _item_lines(block: Block) -> list[int]:
    """The file line of each item of a list block (nested items included, in order)."""
    opens = [t for t in block.tokens if t.type == "list_item_open" and t.map]
    if not opens:
        return []
    first = block.tokens[0].map[0] if block.tokens[0].map else opens[0].map[0]
    return [block.line + t.map[0] - first for t in opens]


def _items(block: Block) -> list:
    """The <li> elements of a list block (Markdown rendered to HTML first)."""
    return soup(block.html).find_all("li")


def _has_logo(block: Block) -> bool:
    """Logos (linked or not), or a table or list of links; a sentence with links is not."""
    page = soup(block.html)
    return bool(page.find("img") or (block.kind != "p" and page.find("a", href=True)))


def leftovers(section: Section, kind, home: bool, parts: Parts, used: set, report: Report):
    """Blocks nothing mapped: the home page's intro and unknown sections go to the description,
    the rest are reported as not imported."""
    rest = [b for b in section.blocks if id(b) not in used and b.kind != "hr"]
    if kind in ("cfp", "instructions", "reviewers", "intro", None):
        # Kept as text; rich text shows no images, so they are listed.
        for block in rest:
            for img in soup(block.html).find_all("img"):
                why = f"in the text of '{section.title or 'the introduction'}': not shown"
                report.other_images.append((img.get("src", ""), why))
    if kind in ("cfp", "instructions", "reviewers"):
        return  # the call keeps whatever it does not recognise as text
    if kind == "intro" and home:
        parts.description += [b.source for b in rest]
        return
    if kind is None and home:
        heading = "#" * max(section.level, 3) + " " + section.title
        parts.description += [heading] + [b.source for b in rest]
        report.leave(section.title, section.line, f"section '{section.title}'",
                     "added to the description")  # fmt: skip
        return
    for block in rest:
        text = clean(soup(block.html).get_text()) or block.source
        if text:
            report.leave(section.title, block.line, text, "not imported")
