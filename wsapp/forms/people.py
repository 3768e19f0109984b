"""A person's role in a workshop: who (an existing person or a new one), as what, and how this
workshop shows them (name, homepage, photo, position, affiliation: the role's own, never the
shared person's; see docs/organizers.md)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

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


class RoleForm(EditForm):
    model = Role
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
        description=_l(
            "As this workshop shows it; other workshops keep their own. Leave it empty for the "
            "name the site knows."
        ),
    )
    homepage_url = StringField(
        _l("Homepage"),
        [Optional(), Length(max=500), HttpUrl()],
        filters=[blank_to_none],
        description=_l("Empty for a new role: the person's homepage, if the site knows one."),
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

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        people = db.session.execute(select(Person.id, Person.name).order_by(Person.name)).all()
        self.person_id.choices = choices([(0, _l("New person")), *people])

    def validate_name(self, field):
        if self.person_id.data == 0 and not field.data:
            raise ValidationError(_l("Give the new person's name, or choose someone above."))

    def validate_kind(self, field):
        person_id = self.person_id.data
        if not person_id or self.person_id.errors:  # not one of the choices: said there
            return
        query = select(Role.id).where(
            Role.workshop_id == self.workshop.id,
            Role.person_id == person_id,
            Role.kind == field.data,
        )
        if self.record is not None and self.record.id:
            query = query.where(Role.id != self.record.id)
        if db.session.scalar(query):
            raise ValidationError(_l("This person already has this role in this workshop."))

    def fill(self, obj, workshop):
        self.person_id.data = obj.person_id or 0
        self.kind.data = obj.kind.value if obj.kind else RoleKind.SPEAKER.value
        self.name.data, self.homepage_url.data = obj.name, obj.homepage_url
        self.position.data, self.affiliation.data = obj.position, obj.affiliation

    def values(self, workshop):
        return {
            "kind": RoleKind(self.kind.data),
            "position": self.position.data,
            "affiliation": self.affiliation.data,
            "person_id": self.person_id.data,
            "name": self.name.data,
            "homepage_url": self.homepage_url.data,
        }


class PersonForm(EditForm):
    """The shared person, for site admins: the defaults new roles start from in any workshop."""

    name = StringField(_l("Name"), [DataRequired(), Length(max=200)], filters=[strip])
    homepage_url = StringField(
        _l("Homepage"), [Optional(), Length(max=500), HttpUrl()], filters=[blank_to_none]
    )
    photo = ImageUploadField(_l("Photo"), kind=ImageKind.PHOTO, remove_label=_l("Remove the photo"))
