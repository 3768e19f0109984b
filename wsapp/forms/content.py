"""Sponsors, institutions, news posts and announcements."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from wsapp.extensions import db
from wsapp.forms.base import EditForm
from wsapp.forms.fields import (
    HttpUrl,
    LocalDateTimeField,
    MarkdownField,
    Slug,
    TimeRequired,
    blank_to_none,
    strip,
)
from wsapp.forms.uploads import ImageUploadField
from wsapp.models import Announcement, ImageKind, Institution, NewsPost, Sponsor


class SponsorForm(EditForm):
    model = Sponsor
    name = StringField(_l("Name"), [DataRequired(), Length(max=200)], filters=[strip])
    url = StringField(
        _l("Web address"), [Optional(), Length(max=500), HttpUrl()], filters=[blank_to_none]
    )
    logo = ImageUploadField(_l("Logo"), kind=ImageKind.LOGO, remove_label=_l("Remove the logo"))


class InstitutionForm(SponsorForm):
    model = Institution


class NewsPostForm(EditForm):
    model = NewsPost
    title = StringField(_l("Title"), [DataRequired(), Length(max=300)], filters=[strip])
    slug = StringField(
        _l("Address name"),
        [DataRequired(), Length(max=120), Slug()],
        filters=[strip],
        description=_l("Part of the post's address, e.g. call-for-papers-open."),
    )
    published = LocalDateTimeField(_l("Published (workshop time)"), [TimeRequired()])
    summary_md = MarkdownField(_l("Summary"), [Length(max=5000)])
    body_md = MarkdownField(_l("Text"), [Length(max=100000)])

    def validate_slug(self, field):
        query = select(NewsPost.id).where(
            NewsPost.workshop_id == self.workshop.id, NewsPost.slug == field.data
        )
        if self.record is not None and self.record.id:
            query = query.where(NewsPost.id != self.record.id)
        if db.session.scalar(query):
            raise ValidationError(_l("Another post of this workshop has this address name."))

    def fill(self, obj, workshop):
        super().fill(obj, workshop)
        from wsapp.timezones.formats import utc_to_local_naive

        self.published.data = utc_to_local_naive(obj.published_dt, workshop.timezone)

    def values(self, workshop):
        published = self.published.to_utc(workshop.timezone, fold=0)
        if published is None:
            return None
        values = super().values(workshop)
        values.pop("published")
        values["published_dt"] = published
        return values


class AnnouncementForm(EditForm):
    model = Announcement
    text_md = MarkdownField(_l("Text"), [DataRequired(), Length(max=2000)])
    link_url = StringField(
        _l("Link"), [Optional(), Length(max=500), HttpUrl()], filters=[blank_to_none]
    )
    link_text = StringField(_l("Link text"), [Length(max=200)], filters=[strip])
    starts = LocalDateTimeField(
        _l("Show from (workshop time)"), [Optional()], description=_l("Empty: from now on.")
    )
    ends = LocalDateTimeField(
        _l("Show until (workshop time)"),
        [Optional()],
        description=_l("Empty: until you delete it."),
    )

    def fill(self, obj, workshop):
        from wsapp.timezones.formats import utc_to_local_naive

        super().fill(obj, workshop)
        self.starts.data = utc_to_local_naive(obj.starts_dt, workshop.timezone)
        self.ends.data = utc_to_local_naive(obj.ends_dt, workshop.timezone)

    def values(self, workshop):
        starts = self.starts.to_utc(workshop.timezone, fold=0)
        ends = self.ends.to_utc(workshop.timezone, fold=0)
        if self.starts.errors or self.ends.errors:
            return None
        if starts and ends and ends <= starts:
            self.ends.errors.append(_l("The end must come after the start."))
            return None
        values = super().values(workshop)
        del values["starts"], values["ends"]
        values.update(starts_dt=starts, ends_dt=ends)
        return values
