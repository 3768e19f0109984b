"""The call for papers and the important dates."""

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wsapp.extensions import db
from wsapp.models.types import UTCDateTime, version_column
from wsapp.models.workshop import workshop_fk
from wsapp.timezones.clock import now

AOE = "Etc/GMT+12"  # "Anywhere on Earth" is UTC-12; the POSIX sign in Etc/ names is inverted.


class CallForPapers(db.Model):
    """Everything an author needs to submit, one per workshop."""

    __tablename__ = "call_for_papers"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = version_column()
    __mapper_args__ = {"version_id_col": version}
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), unique=True
    )
    invitation_md: Mapped[str] = mapped_column(Text, default="")
    topics_intro_md: Mapped[str] = mapped_column(Text, default="")
    # A nested list: [{"text": "...", "children": [{"text": "...", "children": []}]}]
    topics: Mapped[list] = mapped_column(JSON, default=list)
    review_intro_md: Mapped[str] = mapped_column(Text, default="")
    review_criteria: Mapped[list] = mapped_column(JSON, default=list)
    policies_md: Mapped[str] = mapped_column(Text, default="")
    allows_dual_submission: Mapped[bool] = mapped_column(Boolean, default=False)
    is_non_archival: Mapped[bool] = mapped_column(Boolean, default=False)
    submission_site_name: Mapped[str] = mapped_column(String(120), default="")
    submission_url: Mapped[str | None] = mapped_column(String(500))
    page_limit: Mapped[int | None] = mapped_column(Integer)
    page_limit_note: Mapped[str] = mapped_column(String(300), default="")
    template_name: Mapped[str] = mapped_column(String(200), default="")
    template_url: Mapped[str | None] = mapped_column(String(500))
    is_anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    instructions_md: Mapped[str] = mapped_column(Text, default="")
    reviewers_md: Mapped[str] = mapped_column(Text, default="")
    reviewers_url: Mapped[str | None] = mapped_column(String(500))


class ImportantDate(db.Model):
    """A deadline with its own timezone (usually AoE), or a date alone such as the workshop day."""

    __tablename__ = "important_date"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = version_column()
    __mapper_args__ = {"version_id_col": version}
    workshop_id: Mapped[int] = workshop_fk()
    label: Mapped[str] = mapped_column(String(200))
    due_dt: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    timezone: Mapped[str] = mapped_column(String(64), default=AOE)
    note: Mapped[str] = mapped_column(String(200), default="")
    is_submission_deadline: Mapped[bool] = mapped_column(Boolean, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    earlier: Mapped[list["MovedDeadline"]] = relationship(
        back_populates="date",
        order_by="MovedDeadline.moved_dt",
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    @property
    def is_date_only(self) -> bool:
        return self.due_dt is None


class MovedDeadline(db.Model):
    """An earlier value of a moved date, kept so the page can strike it through."""

    __tablename__ = "moved_deadline"

    id: Mapped[int] = mapped_column(primary_key=True)
    date_id: Mapped[int] = mapped_column(
        ForeignKey("important_date.id", ondelete="CASCADE"), index=True
    )
    due_dt: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    timezone: Mapped[str] = mapped_column(String(64), default=AOE)
    moved_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)

    date: Mapped[ImportantDate] = relationship(back_populates="earlier")

    @property
    def is_date_only(self) -> bool:
        return self.due_dt is None
