"""Snapshots of records for the change log, and restoring a record from one (no commit)."""

import datetime as dt
import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, Enum, and_, inspect, or_, select
from sqlalchemy.exc import IntegrityError

from wsapp.extensions import db
from wsapp.models import (
    Announcement,
    AwardCategory,
    CallForPapers,
    Change,
    Image,
    ImportantDate,
    Institution,
    MovedDeadline,
    NewsPost,
    Paper,
    Person,
    Role,
    RoleKind,
    ScheduleItem,
    Sponsor,
    Workshop,
)
from wsapp.models.types import UTCDateTime
from wsapp.services.editing import set_presenters

MODELS = {
    model.__tablename__: model
    for model in (
        Workshop,
        ScheduleItem,
        Role,
        Person,
        Paper,
        CallForPapers,
        ImportantDate,
        Sponsor,
        Institution,
        NewsPost,
        Announcement,
        AwardCategory,
    )
}
SKIP_ON_RESTORE = {"id", "version", "updated_dt"}
ADMIN_ONLY = {Workshop: {"slug", "is_featured"}}


class RestoreError(ValueError):
    """The version cannot be brought back; the message says why."""


def is_tracked(obj) -> bool:
    return type(obj) in MODELS.values()


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
    data.update(_extras(obj, state, before))
    return data


def _original(obj, state, key: str, before: bool) -> list:
    if before and key in state.committed_state:
        return list(state.committed_state[key] or [])
    return list(getattr(obj, key))


def _extras(obj, state, before: bool) -> dict:
    if isinstance(obj, ScheduleItem):
        return {"presenters": [p.id for p in _original(obj, state, "presenters", before)]}
    if isinstance(obj, ImportantDate):
        return {
            "earlier": [
                {
                    "due_dt": _dump(m.due_dt),
                    "due_date": _dump(m.due_date),
                    "timezone": m.timezone,
                    "moved_dt": _dump(m.moved_dt),
                }
                for m in _original(obj, state, "earlier", before)
            ]
        }
    if isinstance(obj, Paper) and obj.id is not None:
        ids = db.session.scalars(select(ScheduleItem.id).where(ScheduleItem.paper_id == obj.id))
        return {"schedule_items": sorted(ids)}
    return {}


ROLE_NAMES = {
    RoleKind.SPEAKER: _l("speaker"),
    RoleKind.PANELIST: _l("panelist"),
    RoleKind.ORGANIZER: _l("organizer"),
    RoleKind.MODERATOR: _l("moderator"),
}


def describe(obj) -> str:
    """A short name for the record in lists and the change log."""
    if isinstance(obj, Role):
        kind = ROLE_NAMES.get(obj.kind, obj.kind.value if obj.kind else "")
        return f"{obj.person.name if obj.person else '?'} ({kind})"
    if isinstance(obj, ScheduleItem):
        return obj.title or (obj.label if obj.kind else "")
    if isinstance(obj, Announcement):
        return (obj.text_md or "")[:80]
    if isinstance(obj, CallForPapers):
        return str(_l("Call for papers"))
    for name in ("title", "name", "label"):
        if getattr(obj, name, None):
            return str(getattr(obj, name))[:300]
    return f"#{obj.id}"


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


def people_of_role(role: Role | None, changes: list[Change]) -> list[tuple[str, int]]:
    """The people a role's changes involve: their name, homepage and photo are edited with it."""
    ids = {role.person_id} if role is not None else set()
    for change in changes:
        ids |= {(state or {}).get("person_id") for state in (change.before, change.after)}
    return [("person", i) for i in sorted(i for i in ids if i)]


IMAGE_COLUMNS = {"photo_id", "logo_id"}


def images_in(changes: list[Change]) -> dict[int, Image]:
    """The images the changes' photo and logo columns refer to, by id, to show them."""
    ids = {
        value
        for change in changes
        for state in (change.before, change.after)
        for key, value in (state or {}).items()
        if key in IMAGE_COLUMNS and isinstance(value, int)
    }
    if not ids:
        return {}
    return {i.id: i for i in db.session.scalars(select(Image).where(Image.id.in_(ids)))}


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
        model = MODELS[entity]
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
    model = MODELS[change.entity]
    obj = db.session.get(model, change.entity_id)
    if obj is not None and change.action == "delete":
        raise RestoreError(_l("it is already back (or another record has taken its place)"))
    if obj is None:
        obj = model(id=change.entity_id)
        db.session.add(obj)
    skip = SKIP_ON_RESTORE | (set() if as_admin else ADMIN_ONLY.get(model, set()))
    for attr in _columns(model):
        if attr.key in skip or attr.key not in change.before:
            continue
        column = attr.columns[0]
        value = _load(column, change.before[attr.key])
        value = _check_reference(column, value)
        setattr(obj, attr.key, value)
    try:
        with db.session.begin_nested():
            db.session.flush()
            _restore_extras(obj, change.before)
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


def _restore_extras(obj, data: dict) -> None:
    if isinstance(obj, ScheduleItem) and "presenters" in data:
        people = {
            p.id: p
            for p in db.session.scalars(select(Person).where(Person.id.in_(data["presenters"])))
        }
        set_presenters(obj, [people[i] for i in data["presenters"] if i in people])
    elif isinstance(obj, ImportantDate) and "earlier" in data:
        obj.earlier = [
            MovedDeadline(
                due_dt=_load(MovedDeadline.__table__.c.due_dt, row["due_dt"]),
                due_date=_load(MovedDeadline.__table__.c.due_date, row["due_date"]),
                timezone=row["timezone"],
                moved_dt=_load(MovedDeadline.__table__.c.moved_dt, row["moved_dt"]),
            )
            for row in data["earlier"]
        ]
    elif isinstance(obj, Paper) and data.get("schedule_items"):
        for item in db.session.scalars(
            select(ScheduleItem).where(
                ScheduleItem.id.in_(data["schedule_items"]),
                ScheduleItem.paper_id.is_(None),
                ScheduleItem.workshop_id == obj.workshop_id,
            )
        ):
            item.paper_id = obj.id
