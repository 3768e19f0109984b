"""A person's role in a workshop: who (an existing person or a new one), as what, and where from."""

import re
import unicodedata

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from wsapp.extensions import db
from wsapp.forms.base import EditForm
from wsapp.forms.fields import HttpUrl, blank_to_none, choices, strip
from wsapp.forms.uploads import ImageUploadField
from wsapp.models import ImageKind, Person, Role, RoleKind

KIND_CHOICES = [
    (RoleKind.SPEAKER.value, _l("Speaker")),
    (RoleKind.PANELIST.value, _l("Panelist")),
    (RoleKind.ORGANIZER.value, _l("Organizer")),
    (RoleKind.MODERATOR.value, _l("Moderator")),
]
KIND_LABELS = dict(KIND_CHOICES)


def person_key(name: str) -> str:
    """A stable key from a name: "Bo Li" -> "bo-li" (numbered if taken)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:100] or "person"
    key, n = base, 1
    while db.session.scalar(select(Person.id).where(Person.key == key)):
        n += 1
        key = f"{base}-{n}"
    return key


class RoleForm(EditForm):
    person_id = SelectField(
        _l("Person"),
        coerce=int,
        default=0,
        description=_l("Someone already on the site, or a new person."),
    )
    name = StringField(
        _l("Name"),
        [Length(max=200)],
        filters=[strip],
        description=_l("For a new person, or to rename this role's person on every page."),
    )
    homepage_url = StringField(
        _l("Homepage"), [Optional(), Length(max=500), HttpUrl()], filters=[blank_to_none]
    )
    kind = SelectField(_l("Role"), choices=choices(KIND_CHOICES), default=RoleKind.SPEAKER.value)
    position = StringField(
        _l("Position"),
        [Length(max=200)],
        filters=[strip],
        description=_l("For example Associate Professor."),
    )
    affiliation = StringField(_l("Affiliation"), [Length(max=200)], filters=[strip])
    photo = ImageUploadField(_l("Photo"), kind=ImageKind.PHOTO, remove_label=_l("Remove the photo"))
    person_version = HiddenField()

    def __init__(self, *args, role: Role | None = None, workshop_id: int | None = None, **kw):
        super().__init__(*args, **kw)
        self.role, self.workshop_id = role, workshop_id
        people = db.session.execute(select(Person.id, Person.name).order_by(Person.name)).all()
        self.person_id.choices = choices([(0, _l("New person")), *people])

    def field_names(self):
        return [n for n in super().field_names() if n != "person_version"]

    def validate_name(self, field):
        if self.person_id.data == 0 and not field.data:
            raise ValidationError(_l("Give the new person's name, or choose someone above."))

    def validate_kind(self, field):
        person_id = self.person_id.data
        if not person_id or self.person_id.errors:  # not one of the choices: said there
            return
        query = select(Role.id).where(
            Role.workshop_id == self.workshop_id,
            Role.person_id == person_id,
            Role.kind == field.data,
        )
        if self.role is not None and self.role.id:
            query = query.where(Role.id != self.role.id)
        if db.session.scalar(query):
            raise ValidationError(_l("This person already has this role in this workshop."))

    def fill(self, obj, workshop):
        self.person_id.data = obj.person_id or 0
        self.kind.data = obj.kind.value if obj.kind else RoleKind.SPEAKER.value
        self.position.data, self.affiliation.data = obj.position, obj.affiliation
        if obj.person is not None:
            self.name.data = obj.person.name
            self.homepage_url.data = obj.person.homepage_url
            self.person_version.data = str(obj.person.version)

    def image_owner(self, obj):
        return obj.person  # the photo belongs to the person, on every page and edition

    def person_is_stale(self, person: Person) -> bool:
        """True if the person was changed by someone else since this form was opened."""
        return bool(self.person_version.data) and self.person_version.data != str(person.version)

    def values(self, workshop):
        return {
            "kind": RoleKind(self.kind.data),
            "position": self.position.data,
            "affiliation": self.affiliation.data,
        }

    def save(self, obj, workshop) -> bool:
        values = self.values(workshop)
        if self.person_id.data:
            person = db.session.get(Person, self.person_id.data)
            if obj.person_id == person.id and self.name.data:
                if self.person_is_stale(person) and (
                    person.name != self.name.data
                    or person.homepage_url != self.homepage_url.data
                    or self.photo.has_file()
                    or self.photo.remove
                ):
                    self.name.errors.append(
                        _l(
                            "Someone else changed this person meanwhile (now: %(name)s, %(url)s). "
                            "Your input is kept; save again to replace it.",
                            name=person.name,
                            url=person.homepage_url or "-",
                        )
                    )
                    self.person_version.data = str(person.version)
                    return False
                person.name = self.name.data
                person.homepage_url = self.homepage_url.data
        else:
            person = Person(
                key=person_key(self.name.data),
                name=self.name.data,
                homepage_url=self.homepage_url.data,
            )
            db.session.add(person)
        if obj.person_id != person.id:
            self.photo.remove = False  # the box was shown beside another person's photo
        obj.person = person
        for name, value in values.items():
            setattr(obj, name, value)
        self.save_images(person)
        return True
