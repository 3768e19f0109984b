"""Award categories, their candidates and casting a vote.

A vote is one statement, `INSERT ... ON CONFLICT (ballot_id, category_id) DO UPDATE`, so a
repeated or changed vote can never make a second row nor lose the first, whatever arrives at the
same moment. The voting window is [opens_dt, closes_dt): the opening instant is inside, the
closing instant is not. Organizer actions are in voting_admin.py.
"""

import datetime as dt
import functools
import hashlib
from dataclasses import dataclass

from sqlalchemy import bindparam, select

from wsapp.extensions import db
from wsapp.models import (
    AwardCategory,
    Ballot,
    Paper,
    Presentation,
    ScheduleItem,
    Vote,
    VotingMode,
    VotingSettings,
    WindowStatus,
    Workshop,
)

DEFAULT_CATEGORIES = [
    ("best-oral", "Best oral", Presentation.ORAL),
    ("best-poster", "Best poster", Presentation.POSTER),
]


class VotingError(Exception):
    """A vote that cannot be taken; `status` is the HTTP status a view answers with."""

    status = 409


class WindowClosed(VotingError):
    def __init__(self, window: WindowStatus):
        super().__init__(window.value)
        self.window = window


class NotCandidate(VotingError):
    status = 422


def insert_for_dialect(model):
    """An INSERT with on_conflict_do_update/do_nothing for the session's backend."""
    name = db.session.get_bind().dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - the app supports these two
        raise RuntimeError(f"voting needs PostgreSQL or SQLite, not {name}")
    return insert(model)


def settings_for(workshop: Workshop, lock: bool = False) -> VotingSettings:
    """The workshop's voting settings, created with defaults on first use."""
    query = select(VotingSettings).where(VotingSettings.workshop_id == workshop.id)
    if lock:
        query = query.with_for_update()
    settings = db.session.scalar(query)
    if settings is None:
        db.session.execute(
            insert_for_dialect(VotingSettings)
            .values(workshop_id=workshop.id, mode=VotingMode.CODES, last_code_serial=0)
            .on_conflict_do_nothing(index_elements=["workshop_id"])
        )
        settings = db.session.scalar(query)
    return settings


def voting_mode(workshop: Workshop) -> VotingMode:
    """Without a settings row a workshop is in codes mode (nobody votes without a code)."""
    mode = db.session.scalar(
        select(VotingSettings.mode).where(VotingSettings.workshop_id == workshop.id)
    )
    return mode or VotingMode.CODES


def categories(workshop: Workshop) -> list[AwardCategory]:
    return db.session.scalars(
        select(AwardCategory)
        .where(AwardCategory.workshop_id == workshop.id)
        .order_by(AwardCategory.sort_order, AwardCategory.id)
    ).all()


def category(workshop: Workshop, slug: str) -> AwardCategory | None:
    return db.session.scalar(
        select(AwardCategory).where(
            AwardCategory.workshop_id == workshop.id, AwardCategory.slug == slug
        )
    )


def is_candidate(category: AwardCategory, paper: Paper) -> bool:
    """A paper of the category's workshop and kind (spotlight papers stand at posters too)."""
    return paper.workshop_id == category.workshop_id and (
        category.presentation is None or category.presentation.takes(paper.presentation)
    )


def papers(workshop: Workshop) -> list[Paper]:
    return db.session.scalars(
        select(Paper).where(Paper.workshop_id == workshop.id).order_by(Paper.sort_order, Paper.id)
    ).all()


def candidates(category: AwardCategory, all_papers: list[Paper] | None = None) -> list[Paper]:
    """The category's candidates in programme order (pass the workshop's papers to save a query)."""
    pool = papers(category.workshop) if all_papers is None else all_papers
    return [p for p in pool if is_candidate(category, p)]


def shuffled(items: list[Paper], seed: str, category_id: int) -> list[Paper]:
    """The ballot's own order: sorted by a hash of (ballot seed, category, paper).

    Every ballot sees a uniformly random permutation, stable across reloads.
    """

    def key(paper: Paper) -> bytes:
        return hashlib.sha256(f"{seed}:{category_id}:{paper.id}".encode()).digest()

    return sorted(items, key=key)


def presentation_times(workshop: Workshop) -> dict[int, dt.datetime]:
    """When each paper is presented: the start of its schedule item, by paper id."""
    rows = db.session.execute(
        select(ScheduleItem.paper_id, ScheduleItem.start_dt).where(
            ScheduleItem.workshop_id == workshop.id, ScheduleItem.paper_id.is_not(None)
        )
    ).all()
    times: dict[int, dt.datetime] = {}
    for paper_id, start in rows:
        times[paper_id] = min(start, times.get(paper_id, start))
    return times


def current_votes(ballot: Ballot | None) -> dict[int, int]:
    """category id -> paper id of the ballot's votes."""
    if ballot is None:
        return {}
    rows = db.session.execute(
        select(Vote.category_id, Vote.paper_id).where(Vote.ballot_id == ballot.id)
    ).all()
    return dict(rows)


@dataclass
class Candidate:
    paper: Paper
    presents_dt: dt.datetime | None
    chosen: bool


@dataclass
class Section:
    """One category as a ballot shows it."""

    category: AwardCategory
    status: WindowStatus
    candidates: list[Candidate]
    chosen: Paper | None


def sections(
    workshop: Workshop,
    cats: list[AwardCategory],
    seed: str | None,
    ballot: Ballot | None,
    at: dt.datetime,
    pool: list[Paper] | None = None,
    times: dict[int, dt.datetime] | None = None,
    votes: dict[int, int] | None = None,
) -> list[Section]:
    """Every category of a ballot page, in three queries whatever the number of papers.

    Without a seed (nobody to vote yet) the candidates keep the programme's order. `pool`,
    `times` and `votes` (the ballot's, by category id) save their query when the caller knows
    them already.
    """
    pool = papers(workshop) if pool is None else pool
    times = presentation_times(workshop) if times is None else times
    votes = current_votes(ballot) if votes is None else votes
    result = []
    for cat in cats:
        rows = [
            Candidate(p, times.get(p.id), votes.get(cat.id) == p.id)
            for p in (
                shuffled(candidates(cat, pool), seed, cat.id) if seed else candidates(cat, pool)
            )
        ]
        chosen = next((row.paper for row in rows if row.chosen), None)
        result.append(Section(cat, cat.status(at), rows, chosen))
    return result


def cast_vote(
    ballot: Ballot,
    category: AwardCategory,
    paper_id: int,
    at: dt.datetime,
    pool: list[Paper] | None = None,
) -> Paper:
    """Record (or change) the ballot's vote in the category; one atomic upsert, and no other
    statement when the workshop's papers are given (`pool`)."""
    window = category.status(at)
    if window != WindowStatus.OPEN:
        raise WindowClosed(window)
    if pool is None:
        paper = db.session.get(Paper, paper_id)
    else:
        paper = next((p for p in pool if p.id == paper_id), None)
    if (
        paper is None
        or ballot.workshop_id != category.workshop_id
        or not is_candidate(category, paper)
    ):
        raise NotCandidate(str(paper_id))
    values = {"v_ballot": ballot.id, "v_category": category.id, "v_paper": paper.id, "v_at": at}
    db.session.execute(_upsert(db.session.get_bind().dialect.name), values)
    return paper


@functools.cache
def _upsert(dialect: str):
    """The vote's upsert, built once per dialect (building it is a good part of a vote's time)."""
    table = Vote.__table__
    insert = insert_for_dialect(table).values(
        ballot_id=bindparam("v_ballot"),
        category_id=bindparam("v_category"),
        paper_id=bindparam("v_paper"),
        created_dt=bindparam("v_at", type_=table.c.created_dt.type),
        updated_dt=bindparam("v_at", type_=table.c.updated_dt.type),
    )
    return insert.on_conflict_do_update(
        index_elements=["ballot_id", "category_id"],
        set_={"paper_id": insert.excluded.paper_id, "updated_dt": insert.excluded.updated_dt},
    )
