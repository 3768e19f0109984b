"""Sponsors, institutions, news posts and the announcement banner."""

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from wsapp.extensions import db
from wsapp.models.media import Image
from wsapp.models.types import UTCDateTime, version_column
from wsapp.models.workshop import workshop_fk


class LogoLink:
    """What sponsors and institutions share: a name, a link and a logo, in the organizers' order."""

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = version_column()
    workshop_id: Mapped[int] = workshop_fk()
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(500))
    logo_id: Mapped[int | None] = mapped_column(ForeignKey("image.id", ondelete="SET NULL"))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    @declared_attr
    def logo(cls) -> Mapped[Image | None]:
        return relationship(lazy="joined")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.__table__.c.version}


class Sponsor(LogoLink, db.Model):
    __tablename__ = "sponsor"


class Institution(LogoLink, db.Model):
    """An organizer affiliation shown in the logo strip."""

    __tablename__ = "institution"


class NewsPost(db.Model):
    __tablename__ = "news_post"
    __table_args__ = (UniqueConstraint("workshop_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = version_column()
    __mapper_args__ = {"version_id_col": version}
    workshop_id: Mapped[int] = workshop_fk()
    slug: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(300))
    summary_md: Mapped[str] = mapped_column(Text, default="")
    body_md: Mapped[str] = mapped_column(Text, default="")
    published_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)


class Announcement(db.Model):
    """A banner such as "fill out this form for the post-workshop social", shown in its window."""

    __tablename__ = "announcement"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = version_column()
    __mapper_args__ = {"version_id_col": version}
    workshop_id: Mapped[int] = workshop_fk()
    text_md: Mapped[str] = mapped_column(Text)
    link_url: Mapped[str | None] = mapped_column(String(500))
    link_text: Mapped[str] = mapped_column(String(200), default="")
    starts_dt: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    ends_dt: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    def is_active(self, now: dt.datetime) -> bool:
        return (self.starts_dt is None or self.starts_dt <= now) and (
            self.ends_dt is None or now < self.ends_dt
        )
