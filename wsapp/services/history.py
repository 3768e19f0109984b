"""Snapshots of records for the change log, and restoring a record from one (no commit)."""

import datetime as dt
import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, Enum, and_, inspect, or_, select
from sqlalchemy.exc import IntegrityError

from wsapp.extensions import db
from wsapp.models import Change, Image, Workshop
from wsapp.models.record import by_table
from wsapp.models.types import UTCDateTime

SKIP_ON_RESTORE = {"id", "version", "updated_dt"}


class RestoreError(ValueError):
    """The version cannot be brought back; the message says why."""


def is_tracked(obj) -> bool:
    """Changes to this record are logged: its kind declares `history` (models/record.py)."""
    return type(obj) in by_table().values()


def _dump(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _load(column, value):
    if value is None:
        return None
    if isinstance(column.type, UTCDateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return dt.date.fromisoformat(value)
    if isinstance(column.type, Enum) and column.type.enum_class:
        return column.type.enum_class(value)
    return value


def _columns(model):
    return inspect(model).column_attrs


def snapshot(obj, before: bool = False) -> dict:
    """Every column value (and the relations a restore needs) as JSON-ready data."""
    state = inspect(obj)
    data = {}
    for attr in _columns(type(obj)):
        if before:
            hist = state.attrs[attr.key].load_history()
            value = (hist.deleted or hist.unchanged or [getattr(obj, attr.key)])[0]
        else:
            value = getattr(obj, attr.key)
        data[attr.key] = _dump(value)
    data.update(obj.history_extras(before))
    return data


def describe(obj) -> str:
    """A short name for the record in lists and the change log."""
    return obj.describe()


def entity_workshop_id(obj) -> int | None:
    if isinstance(obj, Workshop):
        return obj.id
    return getattr(obj, "workshop_id", None)


def changes_for(
    workshop: Workshop,
    entity: str | None = None,
    entity_id: int | None = None,
    limit: int = 200,
    before_id: int | None = None,
    related=(),
) -> list[Change]:
    """The workshop's changes, newest first; of one record (and `related` (entity, id) pairs)."""
    query = select(Change).where(Change.workshop_id == workshop.id)
    if entity is not None:
        query = query.where(
            or_(
                *(
                    and_(Change.entity == name, Change.entity_id == key)
                    for name, key in [(entity, entity_id), *related]
                )
            )
        )
    if before_id:
        query = query.where(Change.id < before_id)
    return db.session.scalars(query.order_by(Change.id.desc()).limit(limit)).all()


def image_columns(model=Image) -> set[str]:
    """The columns, of any record kind, that refer to an image (a photo or a logo), or to
    `model`'s table (Document: a hosted PDF)."""
    return {
        column.key
        for kind in by_table().values()
        for column in kind.__table__.columns
        if any(fk.column.table.name == model.__tablename__ for fk in column.foreign_keys)
    }


def images_in(changes: list[Change], model=Image) -> dict:
    """The images (or `model`'s records: documents) the changes refer to, by id, to show them."""
    columns = image_columns(model)
    ids = {
        value
        for change in changes
        for state in (change.before, change.after)
        for key, value in (state or {}).items()
        if key in columns and isinstance(value, int)
    }
    if not ids:
        return {}
    return {i.id: i for i in db.session.scalars(select(model).where(model.id.in_(ids)))}


def recently_deleted(workshop: Workshop, limit: int = 50) -> list[Change]:
    """The latest deletion of each record that is still gone."""
    deletions = db.session.scalars(
        select(Change)
        .where(Change.workshop_id == workshop.id, Change.action == "delete")
        .order_by(Change.id.desc())
        .limit(limit * 4)
    ).all()
    alive: dict[str, set[int]] = {}
    for entity in {c.entity for c in deletions}:
        model = by_table()[entity]
        ids = [c.entity_id for c in deletions if c.entity == entity]
        alive[entity] = set(db.session.scalars(select(model.id).where(model.id.in_(ids))))
    seen, result = set(), []
    for change in deletions:
        key = (change.entity, change.entity_id)
        if key in seen or change.entity_id in alive[change.entity]:
            continue
        seen.add(key)
        result.append(change)
    return result[:limit]


def restore(change: Change, as_admin: bool):
    """Bring the record back to its state before `change` (re-creating it if it was deleted)."""
    if change.before is None:
        raise RestoreError(_l("there is no earlier version: this change created the record"))
    model = by_table()[change.entity]
    if model.__record__.shared and not as_admin:
        raise RestoreError(
            _l("other workshops show this record too: only a site admin can bring it back")
        )
    obj = db.session.get(model, change.entity_id)
    if obj is not None and change.action == "delete":
        raise RestoreError(_l("it is already back (or another record has taken its place)"))
    skip = SKIP_ON_RESTORE | (set() if as_admin else model.__record__.admin_only)
    values = {}
    for attr in _columns(model):
        if attr.key in skip or attr.key not in change.before:
            continue
        column = attr.columns[0]
        values[attr.key] = _check_reference(column, _load(column, change.before[attr.key]))
    if obj is None:  # added once every value is known: a half-filled record is never flushed
        obj = model(id=change.entity_id)
        db.session.add(obj)
    for key, value in values.items():
        setattr(obj, key, value)
    try:
        with db.session.begin_nested():
            db.session.flush()
            obj.restore_extras(change.before)
            db.session.flush()
    except IntegrityError as exc:
        raise RestoreError(
            _l(
                "it conflicts with a record that exists now (for example the same slug or the same "
                "person in the same role); change or delete that one first"
            )
        ) from exc
    return obj


def _check_reference(column, value):
    for fk in column.foreign_keys:
        if value is None or fk.column.table.name == "workshop" and column.key == "workshop_id":
            continue
        target = fk.column.table
        exists = db.session.execute(select(target.c.id).where(target.c.id == value)).first()
        if not exists:
            if column.nullable:
                return None
            raise RestoreError(
                _l(
                    "a record it refers to (%(table)s) no longer exists",
                    table=target.name.replace("_", " "),
                )
            )
    return value
