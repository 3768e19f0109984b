"""Saving what an organizer form validated: one path for settings, the call and every record.

A view calls `save(...)` with the form's values and uploads, then commits once. Optimistic
locking refuses a save over someone else's newer version (`Conflict`); a value the database
would refuse, or a person edited meanwhile, is `Invalid` with the field to mark. What differs
between record kinds is in `apply`, dispatched on the record's class.
"""

from dataclasses import dataclass, field
from functools import singledispatch

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from wsapp.extensions import db
from wsapp.models import ImportantDate, Person, Role, ScheduleItem, Workshop
from wsapp.models.record import next_sort_order
from wsapp.services import images, people


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
    """An image field's outcome: a processed upload to store, or the current image removed."""

    processed: images.Processed | None = None
    remove: bool = False


@dataclass
class Edit:
    """What a form hands the service: validated values and image uploads, by attribute."""

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
    """Set each new image on `owner`, or clear the ones whose "Remove" box was ticked."""
    for attr, upload in uploads.items():
        if upload.processed is not None:
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
    """The role, and its person: an existing one (renamed if asked) or a new one."""
    values = edit.values
    person_id = values.pop("person_id")
    name, homepage = values.pop("name"), values.pop("homepage_url")
    seen_version = values.pop("person_version")
    photo = edit.uploads.get("photo") or Upload()
    photo_changes = photo.processed is not None or photo.remove
    if person_id:
        person = db.session.get(Person, person_id)
        if obj.person_id == person.id and name:
            changed = person.name != name or person.homepage_url != homepage or photo_changes
            if seen_version and seen_version != str(person.version) and changed:
                raise Invalid(
                    {
                        "name": [
                            _l(
                                "Someone else changed this person meanwhile (now: %(name)s, "
                                "%(url)s). Your input is kept; save again to replace it.",
                                name=person.name,
                                url=person.homepage_url or "-",
                            )
                        ]
                    },
                    shown={"person_version": str(person.version)},
                )
            person.name, person.homepage_url = name, homepage
    else:
        person = Person(key=people.new_key(name), name=name, homepage_url=homepage)
        db.session.add(person)
    if obj.person_id != person.id and "photo" in edit.uploads:
        edit.uploads["photo"].remove = False  # the box was shown beside another person's photo
    obj.person = person
    _plain(obj, edit, workshop)
    return person  # the photo belongs to the person, on every page and edition
