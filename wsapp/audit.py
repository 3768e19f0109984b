"""Records every change to the organizer area's records: one pair of session hooks.

before_flush takes the state of changed and deleted records while the old values are still
known; after_flush_postexec (when new records have ids) writes one `Change` per record with the
state before and after. Changes are recorded for requests (the organizer area); the content
loader's bulk replacement from the command line is not.
"""

from flask import g, has_request_context
from sqlalchemy import event, func, select

from wsapp.extensions import db
from wsapp.models import Change
from wsapp.services import history

PENDING = "audit_pending"


def _recording(session) -> bool:
    return has_request_context() and not session.info.get("audit_off")


@event.listens_for(db.session, "before_flush")
def _before_flush(session, flush_context, instances) -> None:
    _never_reuse_ids(session)
    if not _recording(session):
        return
    pending = session.info.setdefault(PENDING, [])
    with session.no_autoflush:
        for obj in session.new:
            if history.is_tracked(obj):
                pending.append(("create", obj, None))
        for obj in session.dirty:
            if history.is_tracked(obj):
                pending.append(("update", obj, history.snapshot(obj, before=True)))
        for obj in session.deleted:
            if history.is_tracked(obj):
                pending.append(("delete", obj, history.snapshot(obj)))


@event.listens_for(db.session, "after_flush_postexec")
def _after_flush(session, flush_context) -> None:
    pending = session.info.pop(PENDING, None)
    if not pending:
        return
    user_id = _user_id()
    workshop = g.get("manage_workshop")
    action_override = session.info.get("audit_action")
    with session.no_autoflush:
        for action, obj, before in pending:
            after = None if action == "delete" else history.snapshot(obj)
            if action == "update" and _same(before, after):
                continue
            session.add(
                Change(
                    user_id=user_id,
                    workshop_id=workshop.id if workshop else history.entity_workshop_id(obj),
                    entity=type(obj).__tablename__,
                    entity_id=obj.id,
                    action=action_override or action,
                    summary=history.describe(obj)[:300],
                    before=before,
                    after=after,
                )
            )


def _never_reuse_ids(session) -> None:
    """On SQLite, give new records ids no earlier record had.

    SQLite hands out max(id) + 1, so deleting the newest sponsor and adding another would give
    the new one the deleted one's id and mix their histories (PostgreSQL sequences never reuse).
    """
    new = [o for o in session.new if history.is_tracked(o) and inspect_id(o) is None]
    if not new or session.get_bind().dialect.name != "sqlite":
        return
    taken: dict[str, int] = {}
    with session.no_autoflush:
        for obj in new:
            table = type(obj).__table__
            if table.name not in taken:
                in_table = session.scalar(select(func.max(table.c.id))) or 0
                in_log = (
                    session.scalar(
                        select(func.max(Change.entity_id)).where(Change.entity == table.name)
                    )
                    or 0
                )
                taken[table.name] = max(in_table, in_log)
            taken[table.name] += 1
            obj.id = taken[table.name]


def inspect_id(obj):
    return obj.__dict__.get("id")


def _same(before: dict, after: dict) -> bool:
    ignore = {"version", "updated_dt"}
    return {k: v for k, v in before.items() if k not in ignore} == {
        k: v for k, v in after.items() if k not in ignore
    }


def _user_id() -> int | None:
    user = g.get("_login_user")
    if user is not None and getattr(user, "is_authenticated", False):
        return user.id
    return None


@event.listens_for(db.session, "after_soft_rollback")
def _forget(session, previous_transaction) -> None:
    session.info.pop(PENDING, None)
