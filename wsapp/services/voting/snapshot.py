"""What every ballot of a workshop shares, kept per process by the workshop's content version.

The voting mode, the categories (with their windows), the papers and when each is presented
change only through edits, and every such edit bumps `Workshop.content_version`
(models/events.py), which the request reads with the workshop anyway. So a vote needs no query
for them: the page it was cast from was rendered from the same version, and another server's
edit is seen at the next request, as the page cache sees it.

The records are detached from the session that loaded them and shared read-only between
threads; callers pass them where a function would otherwise lazy-load (`candidates(cat, pool)`).
"""

import datetime as dt
import threading
from dataclasses import dataclass

from flask import current_app

from wsapp.extensions import db
from wsapp.models import AwardCategory, Paper, VotingMode, Workshop, events
from wsapp.services.voting import votes

MAX_WORKSHOPS = 256
EXTENSION = "wsapp_voting_snapshots"  # per app: one app is one database


@dataclass(frozen=True)
class Snapshot:
    version: int
    mode: VotingMode
    categories: list[AwardCategory]
    papers: list[Paper]
    times: dict[int, dt.datetime]  # paper id -> when it is presented

    def paper(self, paper_id: int | None) -> Paper | None:
        return next((p for p in self.papers if p.id == paper_id), None)


_lock = threading.Lock()


def snapshot(workshop: Workshop) -> Snapshot:
    """The workshop's voting data at its current content version (four queries on a miss)."""
    snapshots: dict[int, Snapshot] = current_app.extensions.setdefault(EXTENSION, {})
    found = snapshots.get(workshop.id)
    if found is not None and found.version == workshop.content_version:
        return found
    session = db.session
    found = _load(workshop, workshop.content_version)
    if session.new or session.dirty or events.edited(session):
        return found  # this transaction's own edits: not a committed version to keep
    for record in (*found.categories, *found.papers):
        if record in session:
            session.expunge(record)
    with _lock:
        if len(snapshots) >= MAX_WORKSHOPS:
            snapshots.clear()
        snapshots[workshop.id] = found
    return found


def _load(workshop: Workshop, version: int) -> Snapshot:
    return Snapshot(
        version=version,
        mode=votes.voting_mode(workshop),
        categories=list(votes.categories(workshop)),
        papers=list(votes.papers(workshop)),
        times=votes.presentation_times(workshop),
    )
