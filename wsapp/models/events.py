"""Session hooks: every change to what a workshop's pages show bumps its content_version.

The page cache keys on that counter, so an edit invalidates every cached page of the workshop on
every app server at once. Each record says which workshops show it (`affected_workshops`, see
models/record.py); a model that no page shows (votes, ballots, accounts) sets
`__affects_pages__ = False`.

On PostgreSQL such a transaction also sends `NOTIFY wsapp_content`, delivered as it commits (and
never if it rolls back): processes without Redis learn from it that the versions they hold are
old (wsapp/version_watch.py).
"""

from sqlalchemy import text, update
from sqlalchemy.orm import Session

from wsapp.extensions import listen_once
from wsapp.models.workshop import Workshop
from wsapp.timezones.clock import now

_PAGES_CHANGED = "pages_changed"  # session.info flag, until the commit
CONTENT_CHANNEL = "wsapp_content"
_NOTIFY = text(f"SELECT pg_notify('{CONTENT_CHANNEL}', '')")


def listen() -> None:
    """Install the hook (the app factory calls it)."""
    listen_once(Session, "after_flush", _bump_content_versions)


def pages_changed(session: Session) -> bool:
    """True once after a transaction that changed what pages show (read at its commit)."""
    return bool(session.info.pop(_PAGES_CHANGED, False))


def edited(session: Session) -> bool:
    """True while the session's transaction holds flushed changes to what pages show."""
    return bool(session.info.get(_PAGES_CHANGED, False))


def _affected_workshops(session: Session, objects) -> set[int]:
    ids: set[int] = set()
    for obj in objects:
        if not getattr(type(obj), "__affects_pages__", True):
            continue
        if hasattr(obj, "affected_workshops"):
            ids |= obj.affected_workshops(session)
        elif getattr(obj, "workshop_id", None) is not None:
            ids.add(obj.workshop_id)
    return ids


def _bump_content_versions(session: Session, flush_context) -> None:
    changed = [
        obj for obj in list(session.dirty) if session.is_modified(obj, include_collections=True)
    ]
    objects = [*session.new, *changed, *session.deleted]
    affected = _affected_workshops(session, objects)
    touch_workshops(session, affected)
    if not affected and any(getattr(type(obj), "__affects_pages__", True) for obj in objects):
        _notify(session)  # a workshop added or removed changes the site's pages too


def touch_workshops(session: Session, ids: set[int]) -> None:
    """Bump content versions by hand, for bulk statements that bypass the unit of work."""
    if ids:
        session.info[_PAGES_CHANGED] = True
        table = Workshop.__table__
        session.connection().execute(
            update(table)
            .where(table.c.id.in_(ids))
            .values(content_version=table.c.content_version + 1, updated_dt=now())
        )
        _notify(session)


def _notify(session: Session) -> None:
    """Tell every process at the commit (PostgreSQL sends one notice per transaction)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(_NOTIFY)
