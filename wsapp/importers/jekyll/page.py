"""A workshop page, or a whole Jekyll site, mapped to one wsapp/1 workshop.

Each page is cut into sections; a section's kind comes from its heading (or, on a page about
one thing, from the page's title). What every section yields is gathered in one Parts and put
together by assemble; people, dates and tables found on several pages are kept once.
"""

import dataclasses
import re
from contextlib import nullcontext
from pathlib import Path

from wsapp.importers.jekyll import sitedir
from wsapp.importers.jekyll.assemble import assemble
from wsapp.importers.jekyll.blocks import IAL, parse_sections
from wsapp.importers.jekyll.liquid import LiquidError, Template
from wsapp.importers.jekyll.parts import Options, PageError, Parts
from wsapp.importers.jekyll.report import Report
from wsapp.importers.jekyll.sections import classify, kind_of
from wsapp.importers.jekyll.source import Source, read_source
from wsapp.importers.jekyll.titles import page_title, site_title
from wsapp.importers.jekyll.walk import leftovers, read_section

USED_FRONT_MATTER = {"desc_title", "description"}
LIQUID = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)


@dataclasses.dataclass
class Reading:
    """One page to read: its source, its kind, and whether it is the home page."""

    source: Source
    kind: str | None
    home: bool
    name: str


def read_page(path: Path, options: Options, track=None) -> tuple[dict, Report]:
    """One page file as a wsapp/1 workshop dict (plus its people), and the report; no database."""
    src = read_source(path)
    report = Report(page=path.name, comments=src.comments, repaired_lines=src.repaired_lines)
    report.unused_front_matter = [k for k in src.front if k not in USED_FRONT_MATTER]
    title, conference, year, tagline = page_title(src.front, options)
    zone_in_front = str(src.front.get("timezone") or "").strip()
    if LIQUID.search(src.body):
        variables = {"page": src.front, "site": {}, "jekyll": {"environment": "production"}}
        try:
            src.body = Template(src.body).render(variables, None, report.note)
        except LiquidError as exc:
            report.note(f"Liquid not run ({exc}): its tags are left out")
            src.body = LIQUID.sub("", src.body)
        report.note("Liquid tags ran without the rest of the site (import the site's folder "
                    "to let them see _config.yml, _data/ and the collections)")  # fmt: skip
    parts = _read([Reading(src, "intro", True, path.name)], Parts(year=year), report, track)
    if zone_in_front:
        parts.labels.append(zone_in_front)
        report.note(f"the front matter sets timezone: {zone_in_front}")
    return assemble(title, conference, year, tagline, parts, options, report), report


def read_site(root: Path, options: Options, track=None) -> tuple[dict, Report]:
    """A Jekyll site checkout (pages, _config.yml, _data/, collections) as one workshop."""
    try:
        site = sitedir.read_site(root, options.home)
    except sitedir.SiteError as exc:
        raise PageError(str(exc)) from exc
    report = Report(page=f"{root.name}/")
    for note in site.notes:
        report.note(note)
    report.skipped_pages = site.skipped
    readings = []
    for page in site.pages:
        name = str(page.path.relative_to(root))
        report.where = name
        src = sitedir.render(site, page, report.note)
        report.comments += [dataclasses.replace(c, page=name) for c in src.comments]
        home = page is site.home
        kind = "intro" if home else _page_kind(page)
        readings.append(Reading(src, kind, home, name))
    report.where = ""
    report.pages = [r.name for r in readings]
    title, conference, year, tagline = site_title(site, options)
    parts = Parts(anchors=_anchors(site), year=year)
    parts = _read(readings, parts, report, track)
    for where, value in (("_config.yml", site.config.get("timezone")),
                         (site.home.path.name, site.home.front.get("timezone"))):  # fmt: skip
        if isinstance(value, str) and value.strip():
            parts.labels.append(value.strip())  # Jekyll's own `timezone:` (an IANA name)
            report.note(f"{where} sets timezone: {value.strip()}")
    return assemble(title, conference, year, tagline, parts, options, report), report


def _read(readings: list[Reading], parts: Parts, report: Report, track) -> Parts:
    track = track or (lambda items, label: nullcontext(items))
    used: set[int] = set()
    sections = []
    attributes = sum(len(IAL.findall(r.source.body)) for r in readings)
    if attributes:
        report.note(f"{attributes} kramdown attribute lists ({{: ...}}) ignored")
    for reading in readings:
        cut = parse_sections(reading.source.body, reading.source.body_line)
        sections += [(reading, s, k) for s, k in classify(cut, reading.kind)]
    with track(sections, "Reading sections") as bar:
        for reading, section, kind in bar:
            report.where = reading.name if len(readings) > 1 else ""
            parts.page_kind = reading.kind
            read_section(section, kind, parts, used, report)
    for reading, section, kind in sections:
        report.where = reading.name if len(readings) > 1 else ""
        leftovers(section, kind, reading.home, parts, used, report)
    report.where = ""
    return parts


def _page_kind(page) -> str | None:
    """What a page other than the home page is about, from its title, address or file name."""
    for text in (page.front.get("title"), page.front.get("permalink"), page.path.stem):
        kind = kind_of(str(text or "").replace("_", " ").replace("-", " ").strip("/"))
        if kind:
            return kind
    return None


def _anchors(site: sitedir.Site) -> dict[str, dict]:
    """Collection documents by the heading ids a page links to ("/speakers/#yi-ma")."""
    from wsapp.importers.jekyll.definitions import anchor_id

    found: dict[str, dict] = {}
    for collection, docs in site.collections.items():
        for doc in docs:
            for key in ("name", "title", "talk", "tutorial"):
                value = doc.get(key)
                if isinstance(value, str) and value.strip():
                    found.setdefault(f"{collection}#{anchor_id(value)}", doc)
                    found.setdefault(anchor_id(value), doc)
    return found
