"""A workshop edition, the aggregate every other record belongs to, and the series it is part of."""

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, inspect, select, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wsapp.extensions import db
from wsapp.models.record import Field, In, Record, RecordMixin, never_reuse_ids
from wsapp.models.types import UTCDateTime, version_column
from wsapp.timezones.clock import now


class Series(RecordMixin, db.Model):
    """A workshop's editions across the years ("BUGS": 2023, 2024): their pages link each other."""

    __tablename__ = "series"
    __table_args__ = never_reuse_ids()
    __record__ = Record(
        key="series",
        singular=_l("series"),
        plural=_l("Series"),
        position=2,
        content="series",  # services/content/site.py: listed once, workshops name its slug
        manage=False,  # site admins edit it (blueprints/manage/series.py)
        shared=True,
        fields=(
            Field("slug", kind=In.REQUIRED),
            Field("name", kind=In.REQUIRED),
            Field("short_name"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = version_column()
    __mapper_args__ = {"version_id_col": version}
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str | None] = mapped_column(String(40))

    editions: Mapped[list["Workshop"]] = relationship(back_populates="series")

    def __repr__(self) -> str:
        return f"<Series {self.slug}>"

    def affected_workshops(self, session) -> set[int]:
        """Every edition of the series shows its name in the editions links."""
        if self.id is None:
            return set()
        table = Workshop.__table__
        query = select(table.c.id).where(table.c.series_id == self.id)
        return set(session.connection().execute(query).scalars())


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
        # series_id: written as the series' slug (the custom field "series")
        not_in_file=frozenset({"content_version", "updated_dt", "series_id"}),
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
            Field("series", kind=In.CUSTOM),
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
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("series.id", ondelete="SET NULL"), index=True
    )

    series: Mapped[Series | None] = relationship(back_populates="editions")

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Workshop {self.slug}>"

    def affected_workshops(self, session) -> set[int]:
        """Its own pages, and those of every edition of the series it is in or leaves (their
        editions links name it)."""
        if self.id is None:
            return set()
        state = inspect(self).attrs
        ids, objects = state.series_id.history, state.series.history
        series = {i for i in (*ids.deleted, *ids.unchanged, *ids.added) if i}
        series |= {s.id for s in (*objects.deleted, *objects.unchanged, *objects.added) if s}
        series.discard(None)
        if not series:
            return {self.id}
        table = Workshop.__table__
        query = select(table.c.id).where(table.c.series_id.in_(series))
        return {self.id, *session.connection().execute(query).scalars()}

    def read_custom(self, field, value, context, where: str) -> None:
        self.series = context.series_named(value, where)

    def write_custom(self, field, context):
        return self.series.slug if self.series is not None else None

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
