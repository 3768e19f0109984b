"""Bringing imported papers into a workshop: update by the source's id, never duplicate.

A paper is found again by its `source_id`; a paper typed by hand (no source id) with the same
title is adopted instead of duplicated. Papers the source no longer lists are removed (the
change log keeps them, and a restore links them to their schedule rows again), except those
that attendees voted for: those are kept and reported.
"""

import unicodedata

from sqlalchemy import func, select

from wsapp.extensions import db
from wsapp.importers.papers.records import FIELDS, Incoming, Report
from wsapp.models import Paper, Presentation, ScheduleItem, Vote, Workshop
from wsapp.models.record import next_sort_order
from wsapp.services import documents
from wsapp.services.papers.listing import poster_sessions, presenting_items


def title_key(title: str) -> str:
    text = unicodedata.normalize("NFKC", title or "").casefold()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text).split())


def apply_import(workshop: Workshop, source: str, incoming: list[Incoming], report: Report) -> None:
    """Create, update and remove the workshop's papers from `source` (no commit)."""
    existing = db.session.scalars(
        select(Paper).where(Paper.workshop_id == workshop.id).order_by(Paper.sort_order, Paper.id)
    ).all()
    by_source = {p.source_id: p for p in existing if p.source_id}
    by_title: dict[str, list[Paper]] = {}
    for paper in existing:
        if not paper.source_id:
            by_title.setdefault(title_key(paper.title), []).append(paper)
    seen: set[str] = set()
    report.read = len(incoming)
    sessions = poster_sessions(presenting_items(workshop))
    for item in incoming:
        if item.source_id in seen:
            report.problem(f"{item.source_id} is listed twice: the second one was skipped")
            continue
        seen.add(item.source_id)
        paper = by_source.get(item.source_id)
        if paper is None and by_title.get(title_key(item.title)):
            paper = by_title[title_key(item.title)].pop(0)
            report.note(f"“{paper.title}” was typed in by hand: it now follows {source}")
        _merge(workshop, paper, item, report, len(sessions))
    _remove_missing(workshop, source, existing, seen, report)
    db.session.flush()


def _merge(workshop, paper: Paper | None, item: Incoming, report: Report, sessions: int) -> None:
    values = {name: getattr(item, name) for name in FIELDS if getattr(item, name) is not None}
    is_new = paper is None
    if is_new:
        values.setdefault("presentation", Presentation.POSTER)
        if sessions == 1 and values["presentation"] != Presentation.ORAL:
            # the schedule's one poster session is where a new poster stands
            values.setdefault("poster_session", 1)
        paper = Paper(workshop_id=workshop.id, source_id=item.source_id, **values)
        paper.sort_order = next_sort_order(db.session, Paper, workshop.id)
        db.session.add(paper)
        db.session.flush()
        report.created.append(paper.title)
        changed = []
    else:
        changed = [name for name, value in values.items() if getattr(paper, name) != value]
        for name in changed:
            setattr(paper, name, values[name])
        if paper.source_id != item.source_id:
            paper.source_id = item.source_id
    if item.pdf is not None:
        document = documents.store(item.pdf)
        if paper.pdf is None or paper.pdf.sha256 != document.sha256:
            paper.pdf = document
            changed.append("pdf")
            report.pdfs += 1
    if is_new:
        return
    if changed:
        report.updated.append(f"{paper.title} ({', '.join(changed)})")
    else:
        report.unchanged += 1


def _remove_missing(workshop, source: str, existing, seen: set[str], report: Report) -> None:
    gone = [
        p
        for p in existing
        if p.source_id and p.source_id.startswith(f"{source}:") and p.source_id not in seen
    ]
    if not gone:
        return
    ids = [p.id for p in gone]
    votes = dict(
        db.session.execute(
            select(Vote.paper_id, func.count(Vote.id))
            .where(Vote.paper_id.in_(ids))
            .group_by(Vote.paper_id)
        ).all()
    )
    talks = dict(
        db.session.execute(
            select(ScheduleItem.paper_id, func.count(ScheduleItem.id))
            .where(ScheduleItem.paper_id.in_(ids))
            .group_by(ScheduleItem.paper_id)
        ).all()
    )
    for paper in gone:
        if votes.get(paper.id):
            report.kept.append(
                f"{paper.title}: attendees voted for it ({votes[paper.id]} votes); delete it "
                "in the organizer area if it was withdrawn"
            )
            continue
        note = " (the schedule row that presented it stays, without its paper)"
        report.removed.append(paper.title + (note if talks.get(paper.id) else ""))
        db.session.delete(paper)
