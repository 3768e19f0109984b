"""Records every change to the organizer area's records: one pair of session hooks.

before_flush takes the state of changed and deleted records while the old values are still
known; after_flush_postexec (when new records have ids) writes one `Change` per record with the
state before and after. Changes are recorded in requests (the organizer area); the content
loader's bulk replacement from the command line is not. `init_app` installs the hooks; a view
says which workshop it acts for with `acting_for(workshop)` (the organizer-area decorators do)
and names an action the flush cannot see with `recorded_as(Action.RESTORE)`. A service that writes
its own one entry for many records (a next edition's copy) runs inside `recorded_by_service()`.
"""

import enum
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, g, has_request_context
from flask_login import current_user
from sqlalchemy import event

from wsapp.extensions import db
from wsapp.models import Change
from wsapp.services import history

_PENDING = "audit_pending"  # session.info: this module's own list, from one hook to the next


class Action(enum.StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    RESTORE = "restore"


def init_app(app: Flask) -> None:
    """Install the change log's session hooks (once per process: the session is shared)."""
    for name, hook in (
        ("before_flush", _before_flush),
        ("after_flush_postexec", _after_flush),
        ("after_soft_rollback", _forget),
    ):
        if not event.contains(db.session, name, hook):
            event.listen(db.session, name, hook)


def acting_for(workshop) -> None:
    """Attribute this request's changes to `workshop` (a person's change belongs to several)."""
    g.audit_workshop_id = workshop.id


@contextmanager
def recorded_as(action: Action) -> Iterator[None]:
    """Log the changes flushed inside the block as `action` (a restore rewrites records)."""
    g.audit_action = action
    try:
        yield
    finally:
        g.pop("audit_action", None)


@contextmanager
def recorded_by_service() -> Iterator[None]:
    """Log nothing for the records flushed inside the block: the service writes its own entry."""
    g.audit_by_service = True
    try:
        yield
    finally:
        g.pop("audit_by_service", None)


def _before_flush(session, flush_context, instances) -> None:
    if not has_request_context() or g.get("audit_by_service"):
        return
    pending = session.info.setdefault(_PENDING, [])
    with session.no_autoflush:
        for obj in session.new:
            if history.is_tracked(obj):
                pending.append((Action.CREATE, obj, None))
        for obj in session.dirty:
            if history.is_tracked(obj):
                pending.append((Action.UPDATE, obj, history.snapshot(obj, before=True)))
        for obj in session.deleted:
            if history.is_tracked(obj):
                pending.append((Action.DELETE, obj, history.snapshot(obj)))


def _after_flush(session, flush_context) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    user = current_user
    user_id = user.id if user.is_authenticated else None
    workshop_id = g.get("audit_workshop_id")
    override = g.get("audit_action")
    with session.no_autoflush:
        for action, obj, before in pending:
            after = None if action == Action.DELETE else history.snapshot(obj)
            if action == Action.UPDATE and _same(before, after):
                continue
            session.add(
                Change(
                    user_id=user_id,
                    workshop_id=workshop_id or history.entity_workshop_id(obj),
                    entity=type(obj).__tablename__,
                    entity_id=obj.id,
                    action=(override or action).value,
                    summary=history.describe(obj)[:300],
                    before=before,
                    after=after,
                )
            )


def _same(before: dict, after: dict) -> bool:
    ignore = {"version", "updated_dt"}
    return {k: v for k, v in before.items() if k not in ignore} == {
        k: v for k, v in after.items() if k not in ignore
    }


def _forget(session, previous_transaction) -> None:
    session.info.pop(_PENDING, None)
