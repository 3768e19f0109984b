"""The programme: accepted papers and the schedule."""

import datetime as dt
import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wsapp.extensions import db
from wsapp.models.people import Person
from wsapp.models.types import UTCDateTime, str_enum, version_column
from wsapp.models.workshop import workshop_fk


class Presentation(enum.StrEnum):
    ORAL = "oral"
    POSTER = "poster"


class Paper(db.Model):
    """An accepted paper."""

    __tablename__ = "paper"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = version_column()
    __mapper_args__ = {"version_id_col": version}
    workshop_id: Mapped[int] = workshop_fk()
    title: Mapped[str] = mapped_column(String(500))
    authors: Mapped[str] = mapped_column(Text, default="")
    presentation: Mapped[Presentation] = mapped_column(str_enum(Presentation))
    paper_url: Mapped[str | None] = mapped_column(String(500))
    openreview_url: Mapped[str | None] = mapped_column(String(500))
    code_url: Mapped[str | None] = mapped_column(String(500))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<Paper {self.title[:40]}>"


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


class ScheduleItem(db.Model):
    """One row of the schedule, stored in UTC."""

    __tablename__ = "schedule_item"

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
