"""Accepted papers: the list with its search, and a page per paper with how to cite it.

GET /<slug>/papers              papers.index   grouped by session; ?q= filters (htmx or plain GET)
GET /<slug>/papers/<paper_id>   papers.paper   abstract, links, when and where, BibTeX, Scholar tags
"""

from dataclasses import dataclass

from flask import abort, g, request, url_for
from flask_babel import lazy_gettext as _l

from wsapp.blueprints.common import public_page, workshop_blueprint
from wsapp.blueprints.context import locale, zone_context
from wsapp.caching import cached_page
from wsapp.htmx import render
from wsapp.services import documents
from wsapp.services.papers import citation, listing
from wsapp.services.schedule import Row, build_row
from wsapp.timezones.display import display_zone
from wsapp.timezones.formats import format_short_day, join_day_time

bp = workshop_blueprint("papers", __name__)

MAX_QUERY = 200


def has_papers(workshop) -> bool:
    """Whether the navigation shows the papers page (asked once per request)."""
    shown = g.setdefault("has_papers", {})
    if workshop.id not in shown:
        shown[workshop.id] = listing.has_papers(workshop)
    return shown[workshop.id]


@bp.get("/papers")
@public_page(bp, _l("Papers"), 25, shown=has_papers)
@cached_page
def index():
    workshop = g.workshop
    query = " ".join(request.args.get("q", "").split())[:MAX_QUERY]
    everything = listing.entries(workshop)
    found = listing.search(everything, query)
    return render(
        "papers/index.html",
        block="papers",
        workshop=workshop,
        query=query,
        total=len(everything),
        count=len(found),
        groups=listing.groups(found),
        slots=_rows(workshop, everything),
        **zone_context(workshop, _first_time(everything)),
    )


@bp.get("/papers/<int(max=2147483647):paper_id>")  # a larger id is no paper: 404
@cached_page
def paper(paper_id: int):
    workshop = g.workshop
    entry = listing.entry(workshop, paper_id)
    if entry is None:
        abort(404)
    found = entry.paper
    pdf_url = pdf_link(found, "pdf", _external=True) if found.pdf else None
    page_url = url_for(".paper", paper_id=found.id, _external=True)
    return render(
        "papers/paper.html",
        workshop=workshop,
        entry=entry,
        paper=found,
        slots=_rows(workshop, [entry]),
        scholar_tags=citation.scholar_tags(found, workshop, pdf_url),
        bibtex=citation.bibtex(found, workshop, page_url),
        **zone_context(workshop, _first_time([entry])),
    )


@bp.app_template_global("paper_pdf_url")
def pdf_link(paper, part: str = "pdf", **kwargs) -> str | None:
    """The address of a paper's hosted PDF ("pdf", "poster_pdf" or "slides_pdf"), or None."""
    document = getattr(paper, part)
    if document is None:
        return None
    suffix = {"pdf": "", "poster_pdf": "poster", "slides_pdf": "slides"}[part]
    name = documents.download_name(paper.title, suffix)
    return url_for("media.pdf", digest=document.sha256, filename=name, **kwargs)


@dataclass
class Slot:
    """A presenting schedule row as the papers pages show it, in the viewer's zone."""

    row: Row
    text: str  # "Fri, Dec 15, 11:00 – 11:15"


def _rows(workshop, entries) -> dict[int, Slot]:
    """Each presenting schedule row in the viewer's zone, by item id."""
    zone, loc = display_zone(), locale()
    items = {item.id: item for e in entries for item in (e.talk, e.poster) if item is not None}
    slots = {}
    for key, item in items.items():
        row = build_row(item, zone.name, loc, workshop.timezone)
        span = f"{row.start_text} – {row.end_text}"
        slots[key] = Slot(row, join_day_time(format_short_day(row.start.date(), loc), span, loc))
    return slots


def _first_time(entries):
    times = [item.start_dt for e in entries for item in (e.talk, e.poster) if item is not None]
    return min(times) if times else None
