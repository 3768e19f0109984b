"""A workshop series, and the next edition asked for from a workshop's page."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from wsapp.extensions import db
from wsapp.forms.base import CsrfForm, EditForm
from wsapp.forms.fields import Slug, blank_to_none, strip
from wsapp.models import Series, Workshop
from wsapp.rules import RESERVED_SLUGS, YEARS


class SeriesForm(EditForm):
    slug = StringField(
        _l("Address name"),
        [DataRequired(), Length(max=80), Slug()],
        filters=[strip],
        description=_l("Names the series in content files: bugs"),
    )
    name = StringField(_l("Name"), [DataRequired(), Length(max=300)], filters=[strip])
    short_name = StringField(_l("Short name"), [Length(max=40)], filters=[blank_to_none])

    def validate_slug(self, field):
        query = select(Series.id).where(Series.slug == field.data)
        if self.record is not None and self.record.id:
            query = query.where(Series.id != self.record.id)
        if db.session.scalar(query):
            raise ValidationError(_l("This address name is taken."))


class NextEditionForm(CsrfForm):
    slug = StringField(
        _l("Address name of the new edition"),
        [DataRequired(), Length(max=80), Slug()],
        filters=[strip],
    )
    year = IntegerField(_l("Year"), [InputRequired(), NumberRange(*YEARS)])

    def validate_slug(self, field):
        taken = db.session.scalar(select(Workshop.id).where(Workshop.slug == field.data))
        if taken or field.data in RESERVED_SLUGS:
            raise ValidationError(_l("This address name is taken."))
