"""The accepted papers as the pages show them: where each is presented, grouped by session.

An oral or a spotlight is presented by the schedule rows that link it (ScheduleItem.paper); a
poster stands in a poster session, the `poster_session`-th poster session of the schedule in
time order (1 is the first), at its board. Everything loads in a fixed number of queries.
"""

import unicodedata
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, or_, select
from sqlalchemy.orm import selectinload

from wsapp.extensions import db
from wsapp.models import ItemKind, Paper, Presentation, ScheduleItem, Workshop
from wsapp.services.voting import results


@dataclass
class Entry:
    """One paper with the schedule rows that present it."""

    paper: Paper
    talk: ScheduleItem | None = None  # the (first) schedule row presenting it as a talk
    poster: ScheduleItem | None = None  # its poster session, if the schedule has it
    awards: list[str] = field(default_factory=list)  # published awards it won


@dataclass
class Group:
    key: str  # the HTML id: "orals", "spotlights", "poster-session-1", "posters"
    heading: str
    entries: list[Entry]
    session: ScheduleItem | None = None  # the poster session row the group is


def has_papers(workshop: Workshop) -> bool:
    return bool(db.session.scalar(select(exists().where(Paper.workshop_id == workshop.id))))


def papers(workshop: Workshop) -> list[Paper]:
    """The workshop's papers in the organizers' order, with their hosted PDFs."""
    return db.session.scalars(
        select(Paper)
        .where(Paper.workshop_id == workshop.id)
        .options(
            selectinload(Paper.pdf), selectinload(Paper.poster_pdf), selectinload(Paper.slides_pdf)
        )
        .order_by(Paper.sort_order, Paper.id)
    ).all()


def paper_ids(workshop: Workshop) -> list[int]:
    """The ids of the workshop's papers, for the sitemap (Google Scholar finds pages there)."""
    return db.session.scalars(
        select(Paper.id)
        .where(Paper.workshop_id == workshop.id)
        .order_by(Paper.sort_order, Paper.id)
    ).all()


def presenting_items(workshop: Workshop) -> list[ScheduleItem]:
    """The schedule rows that present papers: talks that link one, and the poster sessions."""
    return db.session.scalars(
        select(ScheduleItem)
        .where(
            ScheduleItem.workshop_id == workshop.id,
            or_(ScheduleItem.paper_id.is_not(None), ScheduleItem.kind == ItemKind.POSTER_SESSION),
        )
        .order_by(ScheduleItem.start_dt, ScheduleItem.sort_order, ScheduleItem.id)
    ).all()


def poster_sessions(items: list[ScheduleItem]) -> list[ScheduleItem]:
    """The poster sessions, in time order: `Paper.poster_session` 1 is the first."""
    return [item for item in items if item.kind == ItemKind.POSTER_SESSION]


def entries(workshop: Workshop, pool: list[Paper] | None = None) -> list[Entry]:
    """Every paper with where it is presented and the published awards it won."""
    pool = papers(workshop) if pool is None else pool
    items = presenting_items(workshop)
    sessions = poster_sessions(items)
    talks: dict[int, ScheduleItem] = {}
    for item in items:
        if item.paper_id is not None:
            talks.setdefault(item.paper_id, item)
    awards = award_names(workshop)
    found = []
    for paper in pool:
        number = paper.poster_session
        poster = sessions[number - 1] if number and 0 < number <= len(sessions) else None
        found.append(Entry(paper, talks.get(paper.id), poster, awards.get(paper.id, [])))
    return found


def posters_by_session(workshop: Workshop, items: list[ScheduleItem]) -> dict[int, list[Paper]]:
    """The papers standing in each poster session of `items` (the schedule), by board."""
    sessions = poster_sessions(items)
    if not sessions:
        return {}
    standing = db.session.scalars(
        select(Paper)
        .where(
            Paper.workshop_id == workshop.id,
            Paper.poster_session.between(1, len(sessions)),
            Paper.presentation.in_((Presentation.POSTER, Presentation.SPOTLIGHT)),
        )
        .order_by(Paper.sort_order, Paper.id)
    ).all()
    found: dict[int, list[Entry]] = {}
    for paper in standing:
        found.setdefault(sessions[paper.poster_session - 1].id, []).append(Entry(paper))
    return {key: [e.paper for e in _by_board(members)] for key, members in found.items()}


def entry(workshop: Workshop, paper_id: int) -> Entry | None:
    """One paper of the workshop with where it is presented, or None."""
    found = db.session.get(Paper, paper_id)
    if found is None or found.workshop_id != workshop.id:
        return None
    return entries(workshop, [found])[0]


def award_names(workshop: Workshop) -> dict[int, list[str]]:
    """Published award categories by the papers that won them (several when tied)."""
    won: dict[int, list[str]] = {}
    for tally in results.winners(workshop):
        for row in tally.winners:
            won.setdefault(row.paper.id, []).append(tally.category.name)
    return won


def groups(found: list[Entry]) -> list[Group]:
    """Orals, spotlights, each poster session, then posters not placed in one."""
    orals = [e for e in found if e.paper.presentation == Presentation.ORAL]
    spotlights = [e for e in found if e.paper.presentation == Presentation.SPOTLIGHT]
    posters = [e for e in found if e.paper.presentation == Presentation.POSTER]
    result = []
    if orals:
        result.append(Group("orals", str(_l("Oral presentations")), _by_talk(orals)))
    if spotlights:
        result.append(Group("spotlights", str(_l("Spotlight talks")), _by_talk(spotlights)))
    sessions: dict[int, list[Entry]] = {}
    for entry in posters:
        if entry.poster is not None:
            sessions.setdefault(entry.paper.poster_session, []).append(entry)
    for number, members in sorted(sessions.items()):
        session = members[0].poster
        heading = session.title or session.label
        if session.number is None and len(sessions) > 1:
            heading = f"{heading} {number}"
        result.append(Group(f"poster-session-{number}", heading, _by_board(members), session))
    unplaced = [e for e in posters if e.poster is None]
    if unplaced:
        heading = _l("Other posters") if sessions else _l("Posters")
        result.append(Group("posters", str(heading), _by_board(unplaced)))
    return result


def _by_talk(found: list[Entry]) -> list[Entry]:
    """Talks in the order they are given; those without a slot after, in the given order."""
    timed = sorted((e for e in found if e.talk), key=lambda e: e.talk.start_dt)
    return timed + [e for e in found if e.talk is None]


def _by_board(found: list[Entry]) -> list[Entry]:
    """Posters by board number ("2" before "10"); those without one after, in the given order."""

    def key(entry: Entry):
        board = (entry.paper.board or "").strip()
        digits = "".join(ch for ch in board if ch.isdigit())
        return (not board, int(digits) if digits else 0, board.casefold())

    return sorted(found, key=key)


def fold(text: str) -> str:
    """Text for matching: case and accents ignored ("Tramèr" matches "tramer")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def search(found: list[Entry], query: str) -> list[Entry]:
    """The entries whose title or authors contain every word of the query."""
    words = fold(query).split()
    if not words:
        return found
    return [
        entry
        for entry in found
        if all(word in fold(f"{entry.paper.title} {entry.paper.authors}") for word in words)
    ]
