"""Saving what an organizer form validated: one path for settings, the call and every record.

A view calls `save(...)` with the form's values and uploads, then commits once. Optimistic
locking refuses a save over someone else's newer version (`Conflict`); a value the database
would refuse is `Invalid` with the field to mark. What differs between record kinds is in
`apply`, dispatched on the record's class.
"""

from dataclasses import dataclass, field
from functools import singledispatch

from sqlalchemy import select

from wsapp.extensions import db
from wsapp.models import ImportantDate, Person, Role, ScheduleItem, Workshop
from wsapp.models.record import next_sort_order
from wsapp.services import documents, images, people


class Invalid(Exception):
    """The values cannot be saved: `errors` maps field names to messages; `shown` gives fields
    new values to show (the version now current, so saving again is a deliberate choice)."""

    def __init__(self, errors: dict[str, list] | None = None, message=None, shown=None):
        super().__init__(message or errors)
        self.errors = errors or {}
        self.message = message
        self.shown = shown or {}


class Conflict(Exception):
    """Someone saved the record since the form was opened."""


@dataclass
class Upload:
    """An upload field's outcome: a processed image or checked PDF to store, or the current
    file removed."""

    processed: images.Processed | documents.CheckedPdf | None = None
    remove: bool = False


@dataclass
class Edit:
    """What a form hands the service: validated values and uploads, by attribute."""

    values: dict
    uploads: dict[str, Upload] = field(default_factory=dict)
    version: str | None = None  # the version the form showed; None for a new record


def save(obj, edit: Edit, workshop: Workshop | None) -> None:
    """Check the version, write the values and store the uploads (no commit)."""
    is_new = obj.id is None
    if not is_new and edit.version != str(obj.version):
        raise Conflict()
    if is_new:
        if hasattr(obj, "sort_order") and obj.workshop_id is not None:
            obj.sort_order = next_sort_order(db.session, type(obj), obj.workshop_id)
        db.session.add(obj)
    edit = Edit(dict(edit.values), dict(edit.uploads), edit.version)  # the hooks take values
    with db.session.no_autoflush:
        owner = apply(obj, edit, workshop)
        store_uploads(owner, edit.uploads)


def store_uploads(owner, uploads: dict[str, Upload]) -> None:
    """Set each new image or PDF on `owner`, or clear those whose "Remove" box was ticked."""
    for attr, upload in uploads.items():
        if isinstance(upload.processed, documents.CheckedPdf):
            setattr(owner, attr, documents.store(upload.processed))
        elif upload.processed is not None:
            setattr(owner, attr, images.store(upload.processed))
        elif upload.remove:
            setattr(owner, attr, None)


@singledispatch
def apply(obj, edit: Edit, workshop):
    """Set the values on the record; returns the record whose images the uploads set."""
    for name, value in edit.values.items():
        setattr(obj, name, value)
    return obj


def _plain(obj, edit: Edit, workshop):
    return apply.dispatch(object)(obj, edit, workshop)


@apply.register
def _(obj: Workshop, edit: Edit, workshop):
    _plain(obj, edit, workshop)
    if obj.is_featured:  # one featured edition: the site's home page
        for other in db.session.scalars(
            select(Workshop).where(Workshop.is_featured.is_(True), Workshop.id != obj.id)
        ):
            other.is_featured = False
    return obj


@apply.register
def _(obj: ScheduleItem, edit: Edit, workshop):
    presenters = edit.values.pop("presenters", None)
    _plain(obj, edit, workshop)
    if presenters is not None:
        db.session.flush()
        if [p.id for p in obj.presenters] != [p.id for p in presenters]:
            obj.set_presenters(presenters)
    return obj


@apply.register
def _(obj: ImportantDate, edit: Edit, workshop):
    when = {key: edit.values.pop(key) for key in ("due_dt", "due_date", "timezone")}
    keep = edit.values.pop("keep_earlier", True)
    _plain(obj, edit, workshop)
    obj.move_to(**when, keep_earlier=keep)
    return obj


@apply.register
def _(obj: Role, edit: Edit, workshop):
    """The role, shown as the form says; its person is chosen or created, never changed.

    The person is shared by every workshop that lists them: what this workshop shows of them is
    the role's own copy (docs/organizers.md). A new role, or one given another person, starts
    from what the site knows of that person where the form leaves a field empty.
    """
    values = edit.values
    person_id = values.pop("person_id")
    name, homepage = values.pop("name"), values.pop("homepage_url")
    upload = edit.uploads.pop("photo", None) or Upload()
    if person_id:
        person = db.session.get(Person, person_id)
    else:
        person = Person(key=people.new_key(name), name=name, homepage_url=homepage)
        db.session.add(person)
    fresh = obj.id is None or obj.person_id != person.id
    obj.person = person
    obj.name = name or person.name
    obj.homepage_url = homepage or (person.homepage_url if fresh else None)
    if upload.processed is not None:
        obj.photo = images.store(upload.processed)
    elif fresh:
        obj.photo = person.photo  # a "Remove" box ticked beside another person's photo is moot
    elif upload.remove:
        obj.photo = None
    if person.id is None and person.photo is None:
        person.photo = obj.photo  # a new person's first photo is their default elsewhere
    _plain(obj, edit, workshop)
    return obj
