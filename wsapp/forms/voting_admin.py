"""Forms of the organizer's voting pages: mode, categories, windows, state buttons, codes."""

import datetime as dt

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, ValidationError

from wsapp.forms.base import Form
from wsapp.forms.fields import LocalDateTimeField, Slug, choices
from wsapp.forms.program import FOLD_CHOICES
from wsapp.models import ManualState, VotingMode
from wsapp.services.voting import votes as voting
from wsapp.services.voting.codes import MAX_BATCH

MODE_CHOICES = [
    (VotingMode.CODES.value, _l("Ballot codes: organizers hand out printed single-use codes")),
    (VotingMode.OPEN.value, _l("Open: anyone may vote, one ballot per browser")),
]
KIND_CHOICES = [
    ("", _l("Every paper")),
    ("oral", _l("Orals")),
    ("spotlight", _l("Spotlights")),
    ("poster", _l("Posters (and spotlights)")),
]


class ModeForm(Form):
    mode = RadioField(
        _l("Who may vote"), choices=choices(MODE_CHOICES), validators=[InputRequired()]
    )


class CategoryForm(Form):
    """A new award category; `workshop` is needed to refuse a slug already taken."""

    name = StringField(
        _l("Name"),
        [InputRequired(), Length(max=120)],
        filters=[lambda v: v.strip() if v else v],
        description=_l("For example “Best student paper”."),
    )
    slug = StringField(
        _l("Address name"),
        [InputRequired(), Length(max=60), Slug()],
        filters=[lambda v: v.strip().lower() if v else v],
        description=_l("Part of the voting address, e.g. best-student-paper."),
    )
    presentation = SelectField(_l("Candidates"), choices=choices(KIND_CHOICES), default="")

    def __init__(self, *args, workshop=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.workshop = workshop

    def validate_slug(self, field):
        if field.data in ("results",):  # /vote/results is the public results page
            raise ValidationError(_l("This address name is reserved; choose another."))
        if self.workshop is not None and voting.category(self.workshop, field.data):
            raise ValidationError(_l("Another category already uses this address name."))


class WindowForm(Form):
    """A category's voting window, typed as wall-clock times of the workshop's timezone."""

    opens = LocalDateTimeField(_l("Opens (venue time)"))
    closes = LocalDateTimeField(
        _l("Closes (venue time)"),
        description=_l(
            "Votes are taken until just before this time. Leave empty to keep voting open."
        ),
    )
    fold = SelectField(_l("If the time happens twice"), choices=choices(FOLD_CHOICES), default="")

    @property
    def needs_fold(self) -> bool:
        return bool(self.fold.data or self.opens.ambiguous or self.closes.ambiguous)

    def window(self, tz: str) -> tuple[dt.datetime | None, dt.datetime | None] | None:
        """The validated window in UTC, or None after adding field errors (call validate first)."""
        fold = int(self.fold.data) if self.fold.data else None
        opens, closes = self.opens.to_utc(tz, fold), self.closes.to_utc(tz, fold)
        if self.opens.errors or self.closes.errors:
            return None
        if closes is not None and opens is None:
            self.opens.errors.append(_l("Give the opening time too (or clear both)."))
            return None
        if opens and closes and closes <= opens:
            self.closes.errors.append(_l("The window must close after it opens."))
            return None
        return opens, closes


class StateForm(Form):
    state = SelectField(choices=[s.value for s in ManualState], validators=[InputRequired()])


class PublishForm(Form):
    published = SelectField(choices=["1", "0"], validators=[InputRequired()])


class CodesForm(Form):
    count = IntegerField(
        _l("How many new codes"), [InputRequired(), NumberRange(1, MAX_BATCH)], default=100
    )
