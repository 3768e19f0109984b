"""A whole workshop page mapped to one wsapp/1 workshop (docs/content-format.md)."""

import re
from contextlib import nullcontext
from pathlib import Path

from wsapp.importers.jekyll import dates as date_parts
from wsapp.importers.jekyll import links, people, schedule, zones
from wsapp.importers.jekyll.assemble import assemble
from wsapp.importers.jekyll.blocks import Block, Section, parse_sections
from wsapp.importers.jekyll.parts import ROLE_KINDS, Options, PageError, Parts
from wsapp.importers.jekyll.report import Report
from wsapp.importers.jekyll.sections import classify
from wsapp.importers.jekyll.source import clean, read_source, soup, split_title
from wsapp.importers.jekyll.tables import tables_in

USED_FRONT_MATTER = {"desc_title", "description"}


def read_page(path: Path, options: Options, track=None) -> tuple[dict, Report]:
    """The page as a wsapp/1 workshop dict (plus its people), and the report; no database."""
    track = track or (lambda items, label: nullcontext(items))
    src = read_source(path)
    report = Report(page=path.name, comments=src.comments, repaired_lines=src.repaired_lines)
    report.unused_front_matter = [k for k in src.front if k not in USED_FRONT_MATTER]
    title, conference, year = split_title(src.front)
    if not title:
        raise PageError(f"{path.name}: the front matter has no desc_title or title")
    parts, used = Parts(), set()
    sections = classify(parse_sections(src.body, src.body_line))
    with track(sections, "Reading sections") as bar:
        for section, kind in bar:
            _read_section(section, kind, year, parts, used, report)
    for section, kind in sections:
        _leftovers(section, kind, parts, used, report)
    return assemble(title, conference, year, src.front, parts, options, report), report


def _read_section(section: Section, kind, year, parts: Parts, used: set, report: Report) -> None:
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
    if kind in ("intro", None):  # a schedule table without a Schedule heading
        for block in section.blocks:
            found = [t for t in tables_in(block) if schedule.looks_like_schedule(t)]
            if found:
                parts.tables += [(t, block, section.title) for t in found]
                used.add(id(block))
                report.note(f"the table at line {block.line} is read as the schedule")
    if kind in ROLE_KINDS:
        for block in section.blocks:
            found = [e for t in tables_in(block) for e in people.from_table(t)]
            if block.kind == "list":
                found += [people.from_list_item(li) for li in _items(block)]
            if found:
                parts.roles[kind] += [e for e in found if e]
                used.add(id(block))
    elif kind in ("sponsors", "institutions"):
        chosen = [b for b in section.blocks if id(b) not in used and _has_logo(b)]
        parts.logos[kind] += links.logos(chosen)
        used.update(id(b) for b in chosen)
    elif kind == "dates":
        for block in section.blocks:
            items = _items(block) if block.kind == "list" or "<li" in block.source else []
            rows = [row for t in tables_in(block) for row in t.rows if len(row) >= 2]
            items += [date_parts.item_from_row(row) for row in rows]  # | label | date |
            if items:
                parts.dates += [date_parts.read_item(li, year) for li in items]
                used.add(id(block))
    elif kind == "schedule":
        heading = re.search(r"\(([^)]*)\)", section.title)
        if heading and _names_zone(heading[1]):  # "### Schedule (times in PST, Vancouver)"
            parts.labels.append(heading[1])
        for block in section.blocks:
            tables = tables_in(block)
            if tables:
                parts.tables += [(t, block, section.title) for t in tables]
                used.add(id(block))
            elif block.kind == "p" and re.search(r"\btimes?\b", block.source, re.I):
                text = clean(soup(block.html).get_text())
                if _names_zone(text):
                    parts.labels.append(text)  # "All times are in CEST (Paris)."
                    used.add(id(block))
    elif kind in ("cfp", "instructions", "reviewers"):
        blocks = [b for b in section.blocks if id(b) not in used]
        getattr(parts, {"cfp": "call"}.get(kind, kind)).extend(blocks)


def _names_zone(text: str) -> bool:
    city = zones.parse_label(text)[1]
    return bool(city and zones.city_zone(city) or zones.IANA_NAME.search(text))


def _items(block: Block) -> list:
    """The <li> elements of a list block (Markdown rendered to HTML first)."""
    return soup(block.html).find_all("li")


def _has_logo(block: Block) -> bool:
    """Logos (linked or not), or a table or list of links; a sentence with links is not."""
    page = soup(block.html)
    return bool(page.find("img") or (block.kind != "p" and page.find("a", href=True)))


def _leftovers(section: Section, kind, parts: Parts, used: set, report: Report) -> None:
    """Blocks nothing mapped: the intro and unknown sections go to the description, the rest
    are reported as not imported."""
    rest = [b for b in section.blocks if id(b) not in used and b.kind != "hr"]
    if kind in ("cfp", "instructions", "reviewers", "intro", None):
        # Kept as text; rich text shows no images, so they are listed.
        for block in rest:
            for img in soup(block.html).find_all("img"):
                why = f"in the text of '{section.title or 'the introduction'}': not shown"
                report.other_images.append((img.get("src", ""), why))
    if kind in ("cfp", "instructions", "reviewers"):
        return  # the call keeps whatever it does not recognise as text
    if kind == "intro":
        parts.description += [b.source for b in rest]
        return
    if kind is None:
        heading = "#" * max(section.level, 3) + " " + section.title
        parts.description += [heading] + [b.source for b in rest]
        report.leave(section.title, section.line, f"section '{section.title}'",
                     "added to the description")  # fmt: skip
        return
    for block in rest:
        text = clean(soup(block.html).get_text()) or block.source
        report.leave(section.title, block.line, text, "not imported")
