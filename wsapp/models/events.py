"""Session hooks: every change to what a workshop's pages show bumps its content_version.

The page cache keys on that counter, so an edit invalidates every cached page of the workshop on
every app server at once. A model opts out (votes, ballots, accounts) with
`__affects_pages__ = False`.
"""

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from wsapp.models.cfp import MovedDeadline
from wsapp.models.people import Person, Role
from wsapp.models.workshop import Workshop
from wsapp.timezones.clock import now


def _affected_workshops(session: Session, objects) -> set[int]:
    ids: set[int] = set()
    people: set[int] = set()
    for obj in objects:
        if not getattr(type(obj), "__affects_pages__", True):
            continue
        if isinstance(obj, Workshop):
            if obj.id is not None:
                ids.add(obj.id)
        elif isinstance(obj, Person):
            if obj.id is not None:
                people.add(obj.id)
        elif isinstance(obj, MovedDeadline):
            if obj.date is not None and obj.date.workshop_id is not None:
                ids.add(obj.date.workshop_id)
        elif getattr(obj, "workshop_id", None) is not None:
            ids.add(obj.workshop_id)
    if people:
        query = select(Role.__table__.c.workshop_id).where(Role.__table__.c.person_id.in_(people))
        ids.update(session.connection().execute(query).scalars())
    return ids


@event.listens_for(Session, "after_flush")
def _bump_content_versions(session: Session, flush_context) -> None:
    changed = [
        obj for obj in list(session.dirty) if session.is_modified(obj, include_collections=True)
    ]
    affected = _affected_workshops(session, [*session.new, *changed, *session.deleted])
    touch_workshops(session, affected)


def touch_workshops(session: Session, ids: set[int]) -> None:
    """Bump content versions by hand, for bulk statements that bypass the unit of work."""
    if ids:
        session.info["pages_changed"] = True  # wsapp.caching bumps the shared generation
        table = Workshop.__table__
        session.connection().execute(
            update(table)
            .where(table.c.id.in_(ids))
            .values(content_version=table.c.content_version + 1, updated_dt=now())
        )
