"""The call for papers and the important dates."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from wsapp.forms.base import EditForm
from wsapp.forms.fields import (
    HttpUrl,
    LinesField,
    LocalDateTimeField,
    MarkdownField,
    TopicsField,
    blank_to_none,
    strip,
)
from wsapp.forms.workshop import ZoneName
from wsapp.models import AOE, CallForPapers, ImportantDate
from wsapp.timezones.formats import utc_to_local_naive


class CallForPapersForm(EditForm):
    model = CallForPapers
    invitation_md = MarkdownField(_l("Invitation"), [Length(max=50000)])
    submission_site_name = StringField(
        _l("Submission site"),
        [Length(max=120)],
        filters=[strip],
        description=_l("For example OpenReview."),
    )
    submission_url = StringField(
        _l("Submission address"), [Optional(), Length(max=500), HttpUrl()], filters=[blank_to_none]
    )
    topics_intro_md = MarkdownField(_l("Topics: introduction"), [Length(max=50000)])
    topics = TopicsField(
        _l("Topics"),
        [Length(max=50000)],
        description=_l("One topic per line; indent a sub-topic by two spaces under its topic."),
    )
    review_intro_md = MarkdownField(_l("Review: introduction"), [Length(max=50000)])
    review_criteria = LinesField(_l("Review criteria"), description=_l("One per line."))
    policies_md = MarkdownField(_l("Policies"), [Length(max=50000)])
    allows_dual_submission = BooleanField(_l("Dual submissions allowed"))
    is_non_archival = BooleanField(_l("Non-archival"))
    is_anonymous = BooleanField(_l("Anonymous (double-blind) review"))
    page_limit = IntegerField(_l("Page limit"), [Optional(), NumberRange(1, 1000)])
    page_limit_note = StringField(_l("Page limit note"), [Length(max=300)], filters=[strip])
    template_name = StringField(_l("Template name"), [Length(max=200)], filters=[strip])
    template_url = StringField(
        _l("Template address"), [Optional(), Length(max=500), HttpUrl()], filters=[blank_to_none]
    )
    instructions_md = MarkdownField(_l("Submission instructions"), [Length(max=50000)])
    reviewers_md = MarkdownField(_l("Call for reviewers"), [Length(max=50000)])
    reviewers_url = StringField(
        _l("Reviewer sign-up address"),
        [Optional(), Length(max=500), HttpUrl()],
        filters=[blank_to_none],
    )

    def validate_review_criteria(self, field):
        if any(len(c) > 1000 for c in field.data) or len(field.data) > 100:
            raise ValidationError(_l("At most 100 criteria of up to 1000 characters."))


class ImportantDateForm(EditForm):
    model = ImportantDate
    label = StringField(
        _l("Label"),
        [DataRequired(), Length(max=200)],
        filters=[strip],
        description=_l("For example Submission deadline."),
    )
    due = LocalDateTimeField(
        _l("Due (date and time)"), [Optional()], description=_l("In the time zone below.")
    )
    timezone = StringField(
        _l("Time zone"),
        [DataRequired(), Length(max=64), ZoneName()],
        filters=[strip],
        default=AOE,
        render_kw={"list": "zones"},
        description=_l("Etc/GMT+12 is Anywhere on Earth (AoE)."),
    )
    due_date = DateField(
        _l("Or a date alone"), [Optional()], description=_l("For example the workshop day.")
    )
    note = StringField(_l("Note"), [Length(max=200)], filters=[strip])
    is_submission_deadline = BooleanField(_l("This is the submission deadline"))
    keep_earlier = BooleanField(
        _l("When the date changes, show the earlier one struck through"), default=True
    )

    def fill(self, obj, workshop):
        for name in ("label", "timezone", "due_date", "note", "is_submission_deadline"):
            self[name].data = getattr(obj, name)
        self.due.data = utc_to_local_naive(obj.due_dt, obj.timezone or AOE)
        self.keep_earlier.data = True

    def values(self, workshop):
        if bool(self.due.data) == bool(self.due_date.data):
            self.due.errors.append(_l("Give either a date and time or a date alone."))
            return None
        due_dt = self.due.to_utc(self.timezone.data, fold=0) if self.due.data else None
        if self.due.errors:
            return None
        return {
            "label": self.label.data,
            "due_dt": due_dt,
            "due_date": self.due_date.data,
            "timezone": self.timezone.data,
            "note": self.note.data,
            "is_submission_deadline": self.is_submission_deadline.data,
            "keep_earlier": self.keep_earlier.data,
        }
