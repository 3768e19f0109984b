"""What each workshop record declares about itself, once, for every feature built around records.

A model whose rows organizers edit inherits `RecordMixin` and sets `__record__ = Record(...)`:

- the change log and restore (services/history.py) track it, name it with `describe()` and keep
  the relations `history_extras()` / `restore_extras()` add;
- the content format (services/content/) reads and writes its `fields`, in `Record.position` order;
- the page cache (models/events.py) asks `affected_workshops()` which workshops' pages it shows on;
- the organizer area (blueprints/manage/) lists it under `key` with the form that declares
  `model=` (forms/base.py), groups, orders and moves it with the hooks below.

None of these keeps its own list of models: `records()` is the list. tests/test_records.py names
any model, column or form a new record kind forgot.
"""

import dataclasses
import enum
from collections.abc import Callable
from functools import cache
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session


def never_reuse_ids() -> dict:
    """Table options of a record kind: SQLite hands a deleted record's id to the next one unless
    asked not to, which would mix the two records' histories (PostgreSQL never reuses)."""
    return {"sqlite_autoincrement": True}


class MoveError(ValueError):
    """The record cannot move that way; the message says why."""


class In(enum.StrEnum):
    """How a field is written in a content file."""

    TEXT = "text"  # a string; missing or null reads as ""
    VALUE = "value"  # a plain value (string, number, list) or null
    REQUIRED = "required"  # a string that must be there and not empty
    BOOL = "bool"  # true or false; missing reads as false
    INSTANT = "instant"  # ISO 8601 date-time with offset, written in the record's zone
    DATE = "date"  # YYYY-MM-DD
    ENUM = "enum"  # one of the enum's values
    IMAGE = "image"  # a key into the file's images
    DOCUMENT = "document"  # a hosted PDF: {sha256, bytes, pages}, its file in the media folder
    PERSON = "person"  # a key into the file's people
    PEOPLE = "people"  # a list of person keys, in order
    PAPER = "paper"  # a key of one of the workshop's papers
    KEY = "key"  # the record's own key, by which other records refer to it
    CUSTOM = "custom"  # read and written by the model's read_custom / write_custom


@dataclasses.dataclass(frozen=True)
class Field:
    """One field of a record in the content format (docs/content-format.md)."""

    key: str  # the name in the file; "conference.name" nests
    attr: str | None = None  # the model attribute (default: the key)
    kind: In = In.VALUE
    of: Any = None  # In.ENUM: the enum class; In.IMAGE: the ImageKind
    default: Any = None  # for In.ENUM and In.VALUE when missing
    zone: str | None = None  # for In.INSTANT: the attribute naming its zone (default: venue's)
    # When the file leaves the key out, the value of this attribute path ("person.name"),
    # read after the fields before it; null in the file still means none.
    inherit: str | None = None

    @property
    def name(self) -> str:
        return self.attr or self.key


@dataclasses.dataclass(frozen=True)
class Record:
    """The declaration a record kind makes about itself."""

    key: str  # the organizer area's address (/manage/<slug>/<key>) and the file's list name
    singular: Any  # lazily translated: "sponsor"
    plural: Any  # "Sponsors"
    position: int  # order in content files, the organizer area and restores
    fields: tuple[Field, ...] = ()  # the content format; () when another module writes it
    content: str = "list"  # "list" | "one" (a single object) | "site" (top level) | "voting"
    # Lists by the value of one column, e.g. roles: {"speakers": RoleKind.SPEAKER, ...}
    split_by: tuple[str, dict[str, Any]] | None = None
    # Columns the content format leaves out on purpose (besides ids, versions and order).
    not_in_file: frozenset[str] = frozenset()
    history: bool = True  # changes go to the change log and can be restored
    manage: bool = True  # listed and edited in the organizer area under `key`
    page: str | None = None  # the public endpoint that shows one record (slug is added)
    list_page: str | None = None  # the public endpoint of the list, if not `page`
    page_args: Callable[[Any], dict] = lambda obj: {}
    order_by: Callable[[], tuple] = lambda: ()  # SQL order of the organizer list and the file
    orderable: bool = False  # organizers move records up and down (`sort_order`)
    admin_only: frozenset[str] = frozenset()  # columns only site admins may restore
    # One record for every workshop (a person): only site admins change or restore it.
    shared: bool = False


class RecordMixin:
    """Defaults for the hooks a record kind may override."""

    __record__: ClassVar[Record]

    def describe(self) -> str:
        """A short name for lists and the change log."""
        for name in ("title", "name", "label"):
            value = getattr(self, name, None)
            if value:
                return str(value)[:300]
        return f"#{self.id}"

    def after_load(self) -> None:
        """Derive what a content file may leave out, once the file's fields are set."""

    def content_errors(self) -> list[str]:
        """Why the record as a content file gives it is invalid (its form's rules); [] if valid."""
        return []

    def read_custom(self, field: Field, value, context, where: str) -> None:
        """Set an In.CUSTOM field from the file's value."""
        raise NotImplementedError(f"{type(self).__name__} reads no custom field {field.key}")

    def write_custom(self, field: Field, context):
        """An In.CUSTOM field's value for the file."""
        raise NotImplementedError(f"{type(self).__name__} writes no custom field {field.key}")

    def affected_workshops(self, session: Session) -> set[int]:
        """The workshops whose pages show this record (their cached pages are renewed)."""
        workshop_id = getattr(self, "workshop_id", None)
        return {workshop_id} if workshop_id is not None else set()

    def history_extras(self, before: bool) -> dict:
        """Relations a restore needs, beside the columns (before: as they were before the flush)."""
        return {}

    def restore_extras(self, data: dict) -> None:
        """Bring back what history_extras saved."""

    @classmethod
    def related_history(cls, obj, changes: list) -> list[tuple[str, int]]:
        """Other records whose changes belong in this one's history: (table, id) pairs."""
        return []

    def list_group(self, workshop, locale: str) -> str:
        """The organizer list's section for this record ("" when the list has none)."""
        return ""

    def list_detail(self, workshop, locale: str) -> str:
        """A line under the record's name in the organizer list."""
        return ""

    def move_among(self, siblings: list, step: int, workshop) -> None:
        """Swap with the neighbour in `siblings` (display order); step is -1 or 1."""
        index = siblings.index(self)
        other = index + step
        if not 0 <= other < len(siblings):
            raise MoveError(
                _l("it is already at the top") if step < 0 else _l("it is already at the bottom")
            )
        for position, sibling in enumerate(siblings):
            if sibling.sort_order != position:
                sibling.sort_order = position
        neighbour = siblings[other]
        self.sort_order, neighbour.sort_order = neighbour.sort_order, self.sort_order


def original(obj, key: str, before: bool) -> list:
    """A collection as it was before the pending flush (before=True) or as it is now."""
    from sqlalchemy import inspect

    state = inspect(obj)
    if before and key in state.committed_state:
        return list(state.committed_state[key] or [])
    return list(getattr(obj, key))


@cache
def records() -> tuple[type, ...]:
    """Every record kind, in `Record.position` order."""
    import wsapp.models  # noqa: F401  (every model is mapped before the registry is read)
    from wsapp.extensions import db

    found = [
        mapper.class_ for mapper in db.Model.registry.mappers if "__record__" in vars(mapper.class_)
    ]
    return tuple(sorted(found, key=lambda model: model.__record__.position))


@cache
def by_table() -> dict[str, type]:
    """The record kinds whose changes the change log keeps, by table name."""
    return {m.__tablename__: m for m in records() if m.__record__.history}


@cache
def by_key() -> dict[str, type]:
    """The record kinds of the organizer area, by their address key."""
    return {m.__record__.key: m for m in records() if m.__record__.manage}


def next_sort_order(session: Session, model, workshop_id: int) -> int:
    """The position after the last record of the workshop."""
    from sqlalchemy import func

    current = session.scalar(
        select(func.max(model.sort_order)).where(model.workshop_id == workshop_id)
    )
    return 0 if current is None else current + 1
