"""Counting votes: exact tallies with tied ranks, winners, CSV and the data of a bar chart."""

import csv
import io
from dataclasses import dataclass

from sqlalchemy import func, select

from wsapp.extensions import db
from wsapp.models import AwardCategory, Paper, Vote, Workshop
from wsapp.services.voting.votes import candidates, categories, papers


@dataclass
class Row:
    paper: Paper
    votes: int
    rank: int  # standard competition ranking: 1, 1, 3 for a tie at the top
    tied: bool = False  # another paper shares this rank


@dataclass
class Tally:
    category: AwardCategory
    rows: list[Row]

    @property
    def total(self) -> int:
        return sum(row.votes for row in self.rows)

    @property
    def winners(self) -> list[Row]:
        """The papers ranked first, several if tied; none before any vote."""
        return [row for row in self.rows if row.rank == 1 and row.votes > 0]

    @property
    def max_votes(self) -> int:
        return max((row.votes for row in self.rows), default=0)


def _counts(category_ids: list[int]) -> dict[tuple[int, int], int]:
    if not category_ids:
        return {}
    rows = db.session.execute(
        select(Vote.category_id, Vote.paper_id, func.count(Vote.id))
        .where(Vote.category_id.in_(category_ids))
        .group_by(Vote.category_id, Vote.paper_id)
    ).all()
    return {(c, p): n for c, p, n in rows}


def _rank(category: AwardCategory, pool: list[Paper], counts: dict) -> Tally:
    shown = candidates(category, pool)
    # A paper that got votes but is no longer a candidate (its kind changed) still shows.
    voted_ids = {p for (c, p), _ in counts.items() if c == category.id}
    shown += [p for p in pool if p.id in voted_ids and p not in shown]
    scored = sorted(
        ((p, counts.get((category.id, p.id), 0)) for p in shown),
        key=lambda pair: (-pair[1], pair[0].sort_order, pair[0].id),
    )
    rows: list[Row] = []
    for position, (paper, votes) in enumerate(scored, start=1):
        rank = rows[-1].rank if rows and rows[-1].votes == votes else position
        rows.append(Row(paper, votes, rank))
    for row in rows:
        row.tied = sum(1 for other in rows if other.rank == row.rank) > 1
    return Tally(category, rows)


def tally(category: AwardCategory) -> Tally:
    """Exact counts for every candidate, most votes first, ties sharing a rank."""
    return _rank(category, papers(category.workshop), _counts([category.id]))


def tallies(workshop: Workshop, published_only: bool = False, cats=None, pool=None) -> list[Tally]:
    """Every category's tally, in three queries whatever the number of categories (fewer when
    the caller has loaded the categories or the papers)."""
    cats = [
        c for c in (categories(workshop) if cats is None else cats)
        if c.results_published or not published_only
    ]  # fmt: skip
    pool = (papers(workshop) if pool is None else pool) if cats else []
    counts = _counts([c.id for c in cats])
    return [_rank(c, pool, counts) for c in cats]


def winners(workshop: Workshop) -> list[Tally]:
    """Published categories that have a winner (for the home page)."""
    return [t for t in tallies(workshop, published_only=True) if t.winners]


def results_csv(items: list[Tally]) -> str:
    """category,rank,votes,title,authors: one line per candidate."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["category", "rank", "votes", "tied", "title", "authors"])
    for item in items:
        for row in item.rows:
            writer.writerow(
                [
                    item.category.name,
                    row.rank,
                    row.votes,
                    "yes" if row.tied else "no",
                    row.paper.title,
                    row.paper.authors,
                ]
            )
    return out.getvalue()
