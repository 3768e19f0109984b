"""The workshop edition's own settings."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from wsapp.extensions import db
from wsapp.forms.base import EditForm
from wsapp.forms.fields import HttpUrl, MarkdownField, Slug, blank_to_none, choices, strip
from wsapp.i18n import LANGUAGES
from wsapp.models import Series, Workshop
from wsapp.rules import RESERVED_SLUGS, is_email, is_valid_zone

ADMIN_FIELDS = ("slug", "is_featured")


class ZoneName:
    def __call__(self, form, field):
        if not is_valid_zone(field.data):
            raise ValidationError(_l("Give an IANA time zone name such as America/Chicago."))


class NewWorkshopForm(EditForm):
    slug = StringField(
        _l("Address name"),
        [DataRequired(), Length(max=80), Slug()],
        filters=[strip],
        description=_l("The workshop's address: /bugs-2023/"),
    )
    title = StringField(_l("Title"), [DataRequired(), Length(max=300)], filters=[strip])
    timezone = StringField(
        _l("Time zone of the venue"),
        [DataRequired(), Length(max=64), ZoneName()],
        filters=[strip],
        default="UTC",
        render_kw={"list": "zones"},
    )

    def validate_slug(self, field):
        query = select(Workshop.id).where(Workshop.slug == field.data)
        if self.record is not None and self.record.id:
            query = query.where(Workshop.id != self.record.id)
        if db.session.scalar(query) or field.data in RESERVED_SLUGS:
            raise ValidationError(_l("This address name is taken."))


class WorkshopForm(NewWorkshopForm):
    model = Workshop
    short_name = StringField(_l("Short name"), [Length(max=40)], filters=[blank_to_none])
    tagline_md = MarkdownField(_l("Tagline"), [Length(max=2000)])
    description_md = MarkdownField(_l("Description"), [Length(max=50000)])
    conference_name = StringField(_l("Conference"), [Length(max=120)], filters=[strip])
    conference_year = IntegerField(_l("Conference year"), [Optional(), NumberRange(1900, 2200)])
    conference_url = StringField(
        _l("Conference page"), [Optional(), Length(max=500), HttpUrl()], filters=[blank_to_none]
    )
    conference_link_text = StringField(
        _l("Conference link text"), [Length(max=300)], filters=[blank_to_none]
    )
    city = StringField(_l("City"), [Length(max=120)], filters=[strip])
    country = StringField(_l("Country"), [Length(max=120)], filters=[strip])
    venue = StringField(_l("Venue"), [Length(max=200)], filters=[strip])
    room = StringField(_l("Room"), [Length(max=120)], filters=[strip])
    start_date = DateField(_l("First day"), [Optional()])
    end_date = DateField(_l("Last day"), [Optional()])
    contact_email = StringField(_l("Contact e-mail"), [Length(max=254)], filters=[blank_to_none])
    default_locale = SelectField(
        _l("Default language"),
        choices=choices((lang.locale, lang.name) for lang in LANGUAGES),
        default="en",
        description=_l(
            "The language the workshop's texts are written in; visitors "
            "whose browser asks for none of the site's languages see "
            "the site in it."
        ),
    )
    website_url = StringField(
        _l("Old website"), [Optional(), Length(max=500), HttpUrl()], filters=[blank_to_none]
    )
    scholar_tags = BooleanField(
        _l("Google Scholar tags on paper pages"),
        description=_l(
            "Paper pages carry the citation tags Google Scholar indexes; turn them off if "
            "the workshop's papers should not be indexed."
        ),
    )
    series_id = SelectField(
        _l("Series"),
        coerce=int,
        default=0,
        description=_l(
            "The workshop's editions across the years: their pages link each other. A site "
            "admin adds a series on the Series page."
        ),
    )
    is_published = BooleanField(_l("Published (visible to everyone)"))
    is_featured = BooleanField(_l("Featured: the edition the site's home page shows"))

    def __init__(self, *args, is_admin: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_admin = is_admin
        series = db.session.execute(select(Series.id, Series.name).order_by(Series.name)).all()
        self.series_id.choices = [(0, _l("None")), *((s.id, s.name) for s in series)]
        if not is_admin:
            for name in ADMIN_FIELDS:
                delattr(self, name)

    def extra_kwargs(self) -> dict:
        return {"is_admin": self.is_admin}

    def fill(self, obj, workshop) -> None:
        super().fill(obj, workshop)
        self.series_id.data = obj.series_id or 0

    def values(self, workshop) -> dict | None:
        values = super().values(workshop)
        values["series_id"] = values.get("series_id") or None
        return values

    def validate_contact_email(self, field):
        if field.data and not is_email(field.data):
            raise ValidationError(_l("Give an e-mail address such as chairs@example.org."))

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The last day cannot come before the first."))
