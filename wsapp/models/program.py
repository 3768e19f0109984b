"""The programme: the schedule, whose rows present talks and accepted papers."""

import datetime as dt
import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text, select, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wsapp.extensions import db
from wsapp.models.papers import Paper
from wsapp.models.people import Person, RoleKind
from wsapp.models.record import Field, In, MoveError, Record, RecordMixin, never_reuse_ids, original
from wsapp.models.types import UTCDateTime, str_enum, version_column
from wsapp.models.workshop import workshop_fk
from wsapp.timezones import formats


class ItemKind(enum.StrEnum):
    OPENING = "opening"
    INVITED_TALK = "invited_talk"
    ORAL = "oral"
    COFFEE_BREAK = "coffee_break"
    LUNCH_BREAK = "lunch_break"
    POSTER_SESSION = "poster_session"
    PANEL = "panel"
    CLOSING = "closing"
    OTHER = "other"


KIND_LABELS = {
    ItemKind.OPENING: _l("Opening Remarks"),
    ItemKind.INVITED_TALK: _l("Invited Talk"),
    ItemKind.ORAL: _l("Oral"),
    ItemKind.COFFEE_BREAK: _l("Coffee Break"),
    ItemKind.LUNCH_BREAK: _l("Lunch Break"),
    ItemKind.POSTER_SESSION: _l("Poster Session"),
    ItemKind.PANEL: _l("Panel Discussion"),
    ItemKind.CLOSING: _l("Closing Remarks"),
    ItemKind.OTHER: _l("Session"),
}

BREAKS = {ItemKind.COFFEE_BREAK, ItemKind.LUNCH_BREAK}

presenters = Table(
    "schedule_item_presenter",
    db.metadata,
    Column("item_id", ForeignKey("schedule_item.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("person.id", ondelete="CASCADE"), primary_key=True),
    Column("sort_order", Integer, nullable=False, default=0),
)


class ScheduleItem(RecordMixin, db.Model):
    """One row of the schedule, stored in UTC."""

    __tablename__ = "schedule_item"
    __table_args__ = never_reuse_ids()
    __record__ = Record(
        key="schedule",
        singular=_l("schedule item"),
        plural=_l("Schedule"),
        position=30,
        fields=(
            Field("start", "start_dt", In.INSTANT),
            Field("end", "end_dt", In.INSTANT),
            Field("kind", kind=In.ENUM, of=ItemKind, default=ItemKind.OTHER),
            Field("number"),
            Field("label", "written_label", In.TEXT),
            Field("title"),
            Field("presenters", kind=In.PEOPLE),
            Field("presenters_text", kind=In.TEXT),
            Field("paper", kind=In.PAPER),
            Field("moderator", kind=In.PERSON),
            Field("block", default=0),
            Field("abstract_md", kind=In.TEXT),
        ),
        page="schedule.index",
        order_by=lambda: (ScheduleItem.start_dt, ScheduleItem.sort_order),
        orderable=True,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = version_column()
    __mapper_args__ = {"version_id_col": version}
    workshop_id: Mapped[int] = workshop_fk()
    start_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    end_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    kind: Mapped[ItemKind] = mapped_column(str_enum(ItemKind))
    number: Mapped[int | None] = mapped_column(Integer)
    # The organizers' own label ("Welcome", "Keynote", "Contributed Talk 1"); "" shows the kind's.
    written_label: Mapped[str] = mapped_column(String(200), default="", server_default="")
    title: Mapped[str | None] = mapped_column(String(500))
    abstract_md: Mapped[str] = mapped_column(Text, default="")
    presenters_text: Mapped[str] = mapped_column(Text, default="")
    paper_id: Mapped[int | None] = mapped_column(ForeignKey("paper.id", ondelete="SET NULL"))
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    block: Mapped[int] = mapped_column(Integer, default=0)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    paper: Mapped[Paper | None] = relationship()
    moderator: Mapped[Person | None] = relationship()
    presenters: Mapped[list[Person]] = relationship(
        secondary=presenters, order_by=presenters.c.sort_order
    )
    # How the workshop shows people (models.people.Cast), set by the loader of public pages
    # (services/queries.py); without it the people's own values show.
    cast = None

    def shown(self, person: Person, prefer: RoleKind):
        """The person as the workshop shows them: their role there (of kind `prefer` if any)."""
        return self.cast.of(person, prefer) if self.cast is not None else person

    @property
    def presenting(self) -> list[Person]:
        """The presenters; for the workshop's only panel, if it names none, its panelists (a
        workshop page lists them under Panelists, the row naming only the moderator; a
        conference app has only the row)."""
        if self.presenters or self.presenters_text or self.cast is None:
            return list(self.presenters)
        return self.cast.panelists if self.cast.sole_panel == self.id else []

    @property
    def shown_presenters(self) -> list:
        """The presenters as the workshop shows them (roles: name, homepage_url, photo)."""
        prefer = RoleKind.PANELIST if self.kind == ItemKind.PANEL else RoleKind.SPEAKER
        return [self.shown(person, prefer) for person in self.presenters]

    @property
    def shown_moderator(self):
        if self.moderator is None:
            return None
        return self.shown(self.moderator, RoleKind.MODERATOR)

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def label(self) -> str:
        """The label as written, else the kind's: "Invited Talk 3", "Oral 1", "Coffee Break"."""
        if self.written_label:
            return self.written_label
        return f"{self.kind_label} {self.number}" if self.number else self.kind_label

    @property
    def is_break(self) -> bool:
        return self.kind in BREAKS

    @property
    def author_list(self) -> str:
        """Free-text presenters, falling back to the linked paper's authors."""
        if self.presenters_text:
            return self.presenters_text
        return self.paper.authors if self.paper else ""

    def describe(self) -> str:
        return self.title or (self.label if self.kind else "")

    def content_errors(self) -> list[str]:
        if self.start_dt is None or self.end_dt is None or self.end_dt < self.start_dt:
            return ["'start' and 'end' are required and end >= start"]
        return []

    def set_presenters(self, people: list[Person]) -> None:
        """Set the presenters in this order (the link table keeps the order the ORM does not)."""
        self.presenters = list(people)
        db.session.flush()
        for position, person in enumerate(people):
            db.session.execute(
                update(presenters)
                .where(presenters.c.item_id == self.id, presenters.c.person_id == person.id)
                .values(sort_order=position)
            )
        db.session.expire(self, ["presenters"])

    def history_extras(self, before: bool) -> dict:
        return {"presenters": [p.id for p in original(self, "presenters", before)]}

    def restore_extras(self, data: dict) -> None:
        if "presenters" not in data:
            return
        people = {
            p.id: p
            for p in db.session.scalars(select(Person).where(Person.id.in_(data["presenters"])))
        }
        self.set_presenters([people[i] for i in data["presenters"] if i in people])

    def local_day(self, tz: str):
        return formats.to_zone(self.start_dt, tz).date()

    def list_group(self, workshop, locale: str) -> str:
        return formats.format_day(self.local_day(workshop.timezone), locale)

    def list_detail(self, workshop, locale: str) -> str:
        start = formats.to_zone(self.start_dt, workshop.timezone)
        end = formats.to_zone(self.end_dt, workshop.timezone)
        return f"{formats.format_day_time(start, locale)} – {formats.format_clock(end, locale)}"

    def move_among(self, siblings: list, step: int, workshop) -> None:
        """Trade time slots with the neighbour on the same venue day.

        The earlier of the two starts where the pair started, each keeps its own length, and the
        gap between them stays; so moving "Invited Talk 3" up puts it before "Invited Talk 2".
        """
        index = siblings.index(self)
        other = index + step
        if not 0 <= other < len(siblings):
            raise MoveError(
                _l("it is already the first item")
                if step < 0
                else _l("it is already the last item")
            )
        first, second = sorted((self, siblings[other]), key=siblings.index)
        tz = workshop.timezone
        if first.local_day(tz) != second.local_day(tz):
            raise MoveError(
                _l("items move only within their day; change the time to move it to another")
            )
        gap = second.start_dt - first.end_dt
        start = first.start_dt
        first_len, second_len = first.end_dt - first.start_dt, second.end_dt - second.start_dt
        second.start_dt, second.end_dt = start, start + second_len
        first.start_dt = second.end_dt + gap
        first.end_dt = first.start_dt + first_len
        first.block, second.block = second.block, first.block
        first.sort_order, second.sort_order = second.sort_order, first.sort_order
