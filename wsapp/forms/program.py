"""Papers and schedule items; schedule times are typed in the workshop's own time zone."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from wsapp.extensions import db
from wsapp.forms.base import EditForm
from wsapp.forms.fields import (
    HttpUrl,
    LinesField,
    LocalDateTimeField,
    MarkdownField,
    TimeRequired,
    blank_to_none,
    choices,
    strip,
)
from wsapp.forms.uploads import PdfUploadField
from wsapp.models import (
    KIND_LABELS,
    PRESENTATION_LABELS,
    Cast,
    ItemKind,
    Paper,
    Person,
    Presentation,
    Role,
    RoleKind,
    ScheduleItem,
)
from wsapp.services.papers.listing import poster_sessions, presenting_items
from wsapp.timezones.formats import to_zone, utc_to_local_naive

FOLD_CHOICES = [
    ("", _l("Choose")),
    ("0", _l("The first time (before the clocks go back)")),
    ("1", _l("The second time (after the clocks go back)")),
]


class PaperForm(EditForm):
    model = Paper
    title = StringField(_l("Title"), [DataRequired(), Length(max=500)], filters=[strip])
    authors = TextAreaField(
        _l("Authors"),
        [Length(max=5000)],
        filters=[strip],
        description=_l("Separated by commas, or one per line."),
    )
    presentation = SelectField(
        _l("Presentation"),
        choices=choices((kind.value, label) for kind, label in PRESENTATION_LABELS.items()),
    )
    abstract_md = MarkdownField(_l("Abstract"), [Length(max=50000)])
    poster_session = SelectField(
        _l("Poster session"),
        coerce=int,
        default=0,
        description=_l("The session of the schedule where its poster stands."),
    )
    board = StringField(
        _l("Poster board"),
        [Length(max=20)],
        filters=[blank_to_none],
        description=_l('The board number attendees look for: "12" or "A12".'),
    )
    pdf = PdfUploadField(_l("Paper (PDF hosted on the site)"), remove_label=_l("Remove the PDF"))
    poster_pdf = PdfUploadField(_l("Poster (PDF)"), remove_label=_l("Remove the poster"))
    slides_pdf = PdfUploadField(_l("Slides (PDF)"), remove_label=_l("Remove the slides"))
    paper_url = StringField(
        _l("Paper elsewhere"),
        [Optional(), Length(max=500), HttpUrl()],
        filters=[blank_to_none],
        description=_l("arXiv or the proceedings, when the PDF is not hosted here."),
    )
    openreview_url = StringField(
        _l("OpenReview"), [Optional(), Length(max=500), HttpUrl()], filters=[blank_to_none]
    )
    code_url = StringField(
        _l("Code"), [Optional(), Length(max=500), HttpUrl()], filters=[blank_to_none]
    )
    video_url = StringField(
        _l("Video"), [Optional(), Length(max=500), HttpUrl()], filters=[blank_to_none]
    )
    slides_url = StringField(
        _l("Slides elsewhere"), [Optional(), Length(max=500), HttpUrl()], filters=[blank_to_none]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sessions = poster_sessions(presenting_items(self.workshop))
        options = [(0, _l("None"))] + [
            (number, _session_label(item, number, len(sessions), self.workshop.timezone))
            for number, item in enumerate(sessions, start=1)
        ]
        current = self.record.poster_session if self.record is not None else None
        if current and current > len(sessions):
            options.append(
                (current, _l("Poster session %(num)s (not in the schedule)", num=current))
            )
        self.poster_session.choices = choices(options)

    def fill(self, obj, workshop):
        super().fill(obj, workshop)
        self.presentation.data = obj.presentation.value if obj.presentation else "poster"
        self.poster_session.data = obj.poster_session or 0

    def values(self, workshop):
        values = super().values(workshop)
        values["presentation"] = Presentation(values["presentation"])
        values["poster_session"] = values["poster_session"] or None
        return values


def _session_label(item: ScheduleItem, number: int, count: int, tz: str) -> str:
    """ "Poster Session 2 · 2023-12-15 15:00" (venue time), as the select lists it."""
    start = to_zone(item.start_dt, tz)
    name = item.title or item.label
    if item.number is None and count > 1:
        name = f"{name} {number}"
    return f"{name} · {start:%Y-%m-%d %H:%M}"


class ScheduleItemForm(EditForm):
    model = ScheduleItem
    start = LocalDateTimeField(_l("Start (venue time)"), [TimeRequired()])
    end = LocalDateTimeField(_l("End (venue time)"), [TimeRequired()])
    fold = SelectField(_l("If the time happens twice"), choices=choices(FOLD_CHOICES), default="")
    kind = SelectField(_l("Kind"), choices=choices((k.value, v) for k, v in KIND_LABELS.items()))
    number = IntegerField(
        _l("Number"),
        [Optional(), NumberRange(1, 999)],
        description=_l('"Invited Talk 3" has number 3.'),
    )
    written_label = StringField(
        _l("Label"),
        [Length(max=200)],
        filters=[strip],
        description=_l(
            'As the schedule shows it ("Welcome", "Keynote", "Spotlight"); empty: the kind\'s '
            "name and number."
        ),
    )
    title = StringField(_l("Title"), [Length(max=500)], filters=[blank_to_none])
    presenters = LinesField(
        _l("Presenters"), description=_l("One person per line, by name, as listed under People.")
    )
    presenters_text = TextAreaField(
        _l("Presenters as text"),
        [Length(max=2000)],
        filters=[strip],
        description=_l("Shown when no presenters are listed above."),
    )
    paper_id = SelectField(_l("Paper"), coerce=int, default=0)
    moderator_id = SelectField(_l("Moderator"), coerce=int, default=0)
    block = IntegerField(
        _l("Block"),
        [Optional(), NumberRange(0, 999)],
        default=0,
        description=_l("Items of one block are grouped between rules."),
    )
    abstract_md = MarkdownField(_l("Abstract"), [Length(max=50000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        papers = db.session.execute(
            select(Paper.id, Paper.title)
            .where(Paper.workshop_id == self.workshop.id)
            .order_by(Paper.sort_order, Paper.id)
        ).all()
        self.paper_id.choices = choices([(0, _l("None"))] + [(i, t[:90]) for i, t in papers])
        people = self._people()
        self.moderator_id.choices = choices(
            [(0, _l("None"))] + [(p.id, self._name(p, RoleKind.MODERATOR)) for p in people]
        )

    def _people(self) -> list[Person]:
        """Everyone with a role in this workshop (and whoever the item names now)."""
        roles = db.session.scalars(select(Role).where(Role.workshop_id == self.workshop.id)).all()
        self.cast = Cast(roles)
        people = {role.person for role in roles}
        item = self.record
        if item is not None and item.id:
            people.update(item.presenters)
            if item.moderator:
                people.add(item.moderator)
        return sorted(people, key=lambda p: (self._name(p).casefold(), p.id))

    def _name(self, person: Person, prefer: RoleKind = RoleKind.SPEAKER) -> str:
        """The name this workshop shows for the person (its People list)."""
        return self.cast.of(person, prefer).name

    def validate_presenters(self, field):
        by_name: dict[str, list[Person]] = {}
        for person in self._people():
            names = {person.name, *(role.name for role in self.cast.roles_of(person))}
            for name in {n.casefold() for n in names}:
                by_name.setdefault(name, []).append(person)
        found, problems = [], []
        for line in field.data:
            matches = by_name.get(line.casefold(), [])
            if len(matches) != 1:
                problems.append(line)
            elif matches[0] in found:
                raise ValidationError(_l("%(name)s is listed twice.", name=line))
            else:
                found.append(matches[0])
        if problems:
            raise ValidationError(
                _l(
                    "Not a person of this workshop: %(names)s. Add them under People first.",
                    names=", ".join(problems)[:300],
                )
            )
        self.presenter_people = found

    def fill(self, obj, workshop):
        tz = workshop.timezone
        self.start.data = utc_to_local_naive(obj.start_dt, tz)
        self.end.data = utc_to_local_naive(obj.end_dt, tz)
        self.kind.data = obj.kind.value if obj.kind else ItemKind.OTHER.value
        for name in ("number", "written_label", "title", "presenters_text", "block", "abstract_md"):
            self[name].data = getattr(obj, name)
        self.presenters.data = [self._name(p) for p in obj.presenters] if obj.id else []
        self.paper_id.data = obj.paper_id or 0
        self.moderator_id.data = obj.moderator_id or 0

    @property
    def needs_fold(self) -> bool:
        return bool(
            self.fold.data or self.fold.errors or self.start.ambiguous or self.end.ambiguous
        )

    def values(self, workshop):
        fold = int(self.fold.data) if self.fold.data else None
        start = self.start.to_utc(workshop.timezone, fold)
        end = self.end.to_utc(workshop.timezone, fold)
        if start is None or end is None:
            return None
        if end < start:
            self.end.errors.append(_l("The end cannot come before the start."))
            return None
        return {
            "start_dt": start,
            "end_dt": end,
            "kind": ItemKind(self.kind.data),
            "number": self.number.data,
            "written_label": self.written_label.data or "",
            "title": self.title.data,
            "presenters_text": self.presenters_text.data,
            "block": self.block.data or 0,
            "abstract_md": self.abstract_md.data or "",
            "paper_id": self.paper_id.data or None,
            "moderator_id": self.moderator_id.data or None,
            "presenters": getattr(self, "presenter_people", []),
        }
