"""Where a page links the ballot: the categories open now, each candidate's open categories, and
once results are published the award winners (home page, schedule rows; voting/_links.html)."""

import datetime as dt
from dataclasses import dataclass, field

from wsapp.models import AwardCategory, ItemKind, Presentation, ScheduleItem, Workshop
from wsapp.services.voting.results import Tally, tallies
from wsapp.services.voting.votes import categories, is_candidate, papers


@dataclass
class BallotLinks:
    open: list[AwardCategory] = field(default_factory=list)  # voting now
    awards: list[Tally] = field(default_factory=list)  # published, with a winner
    candidate_in: dict[int, list[AwardCategory]] = field(default_factory=dict)  # paper id ->
    won: dict[int, list[AwardCategory]] = field(default_factory=dict)  # paper id -> categories

    def __bool__(self) -> bool:
        return bool(self.open or self.awards)

    def ballots_of(self, item: ScheduleItem) -> list[AwardCategory]:
        """The open categories a schedule row's paper is a candidate in (for the poster session:
        those of posters, whose papers have no rows of their own)."""
        if item.paper_id is not None:
            return self.candidate_in.get(item.paper_id, [])
        if item.kind == ItemKind.POSTER_SESSION:
            return [c for c in self.open if c.presentation == Presentation.POSTER]
        return []


def ballot_links(workshop: Workshop, now: dt.datetime) -> BallotLinks:
    """What to link at `now`: one query without voting, two while it is open, three with
    published results."""
    cats = categories(workshop)
    links = BallotLinks()
    voting = [c for c in cats if c.is_open(now)]
    published = any(c.results_published for c in cats)
    pool = papers(workshop) if voting or published else []
    if voting:
        for paper in pool:
            found = [c for c in voting if is_candidate(c, paper)]
            if found:
                links.candidate_in[paper.id] = found
        # a ballot without candidates is not worth a link
        with_candidates = {c.id for found in links.candidate_in.values() for c in found}
        links.open = [c for c in voting if c.id in with_candidates]
    if published:
        awards = tallies(workshop, published_only=True, cats=cats, pool=pool)
        links.awards = [t for t in awards if t.winners]
        for award in links.awards:
            for row in award.winners:
                links.won.setdefault(row.paper.id, []).append(award.category)
    return links
