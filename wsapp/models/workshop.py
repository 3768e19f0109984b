"""A workshop edition: the aggregate every other record belongs to."""

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column

from wsapp.extensions import db
from wsapp.models.record import Field, In, Record, RecordMixin, never_reuse_ids
from wsapp.models.types import UTCDateTime
from wsapp.timezones.clock import now


class Workshop(RecordMixin, db.Model):
    __tablename__ = "workshop"
    __table_args__ = never_reuse_ids()
    __record__ = Record(
        key="settings",
        singular=_l("workshop"),
        plural=_l("Workshops"),
        position=0,
        content="workshop",
        manage=False,  # its own settings page
        page="home.index",
        admin_only=frozenset({"slug", "is_featured"}),
        not_in_file=frozenset({"content_version", "updated_dt"}),
        fields=(
            Field("slug", kind=In.REQUIRED),
            Field("title", kind=In.REQUIRED),
            Field("short_name"),
            Field("tagline_md", kind=In.TEXT),
            Field("description_md", kind=In.TEXT),
            Field("conference.name", "conference_name", In.TEXT),
            Field("conference.year", "conference_year"),
            Field("conference.url", "conference_url"),
            Field("conference.link_text", "conference_link_text"),
            Field("city", kind=In.TEXT),
            Field("country", kind=In.TEXT),
            Field("venue", kind=In.TEXT),
            Field("room", kind=In.TEXT),
            Field("timezone", default="UTC"),
            Field("start_date", kind=In.DATE),
            Field("end_date", kind=In.DATE),
            Field("contact_email"),
            Field("website_url"),
            Field("default_locale", default="en"),
            Field("published", "is_published", In.BOOL),
            Field("featured", "is_featured", In.BOOL),
            Field("scholar_tags", kind=In.BOOL, default=True),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str | None] = mapped_column(String(40))
    tagline_md: Mapped[str] = mapped_column(Text, default="")
    description_md: Mapped[str] = mapped_column(Text, default="")
    conference_name: Mapped[str] = mapped_column(String(120), default="")
    conference_year: Mapped[int | None] = mapped_column(Integer)
    conference_url: Mapped[str | None] = mapped_column(String(500))
    conference_link_text: Mapped[str | None] = mapped_column(String(300))
    city: Mapped[str] = mapped_column(String(120), default="")
    country: Mapped[str] = mapped_column(String(120), default="")
    venue: Mapped[str] = mapped_column(String(200), default="")
    room: Mapped[str] = mapped_column(String(120), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    contact_email: Mapped[str | None] = mapped_column(String(254))
    website_url: Mapped[str | None] = mapped_column(String(500))
    default_locale: Mapped[str] = mapped_column(String(10), default="en")
    is_published: Mapped[bool] = mapped_column(Boolean, default=False)
    is_featured: Mapped[bool] = mapped_column(Boolean, default=False)
    # Google Scholar's citation_* tags on paper pages; off for workshops not to be indexed.
    scholar_tags: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Bumped by any change to the workshop's pages (wsapp.models.events); keys the page cache.
    content_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    updated_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Workshop {self.slug}>"

    def affected_workshops(self, session) -> set[int]:
        return {self.id} if self.id is not None else set()

    def after_load(self) -> None:
        self.end_date = self.end_date or self.start_date

    def content_errors(self) -> list[str]:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            return [f"end_date {self.end_date} comes before start_date {self.start_date}"]
        return []

    @property
    def display_name(self) -> str:
        """ "Backdoors in Deep Learning @ NeurIPS 2023"."""
        if self.conference_name:
            year = f" {self.conference_year}" if self.conference_year else ""
            return f"{self.title} @ {self.conference_name}{year}"
        return self.title


def workshop_fk() -> Mapped[int]:
    """The foreign key every workshop-owned record carries."""
    return mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
