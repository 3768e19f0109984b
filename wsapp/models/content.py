"""Sponsors, institutions, news posts and the announcement banner."""

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from wsapp.extensions import db
from wsapp.models.media import Image, ImageKind
from wsapp.models.record import Field, In, Record, RecordMixin, never_reuse_ids
from wsapp.models.types import UTCDateTime, version_column
from wsapp.models.workshop import workshop_fk

LOGO_FIELDS = (
    Field("name", kind=In.REQUIRED),
    Field("url"),
    Field("logo", kind=In.IMAGE, of=ImageKind.LOGO),
)


class LogoLink(RecordMixin):
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

    def list_detail(self, workshop, locale: str) -> str:
        return self.url or ""


class Sponsor(LogoLink, db.Model):
    __tablename__ = "sponsor"
    __table_args__ = never_reuse_ids()
    __record__ = Record(
        key="sponsors",
        singular=_l("sponsor"),
        plural=_l("Sponsors"),
        position=60,
        fields=LOGO_FIELDS,
        page="people.organizers",
        order_by=lambda: (Sponsor.sort_order,),
        orderable=True,
    )


class Institution(LogoLink, db.Model):
    """An organizer affiliation shown in the logo strip."""

    __tablename__ = "institution"
    __table_args__ = never_reuse_ids()
    __record__ = Record(
        key="institutions",
        singular=_l("institution"),
        plural=_l("Institutions"),
        position=70,
        fields=LOGO_FIELDS,
        page="people.organizers",
        order_by=lambda: (Institution.sort_order,),
        orderable=True,
    )


class NewsPost(RecordMixin, db.Model):
    __tablename__ = "news_post"
    __record__ = Record(
        key="news",
        singular=_l("news post"),
        plural=_l("News"),
        position=80,
        fields=(
            Field("slug", kind=In.REQUIRED),
            Field("title", kind=In.REQUIRED),
            Field("published", "published_dt", In.INSTANT),
            Field("summary_md", kind=In.TEXT),
            Field("body_md", kind=In.TEXT),
        ),
        page="news.post",
        list_page="news.index",
        page_args=lambda post: {"post": post.slug},
        order_by=lambda: (NewsPost.published_dt.desc(),),
    )
    __table_args__ = (UniqueConstraint("workshop_id", "slug"), never_reuse_ids())

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = version_column()
    __mapper_args__ = {"version_id_col": version}
    workshop_id: Mapped[int] = workshop_fk()
    slug: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(300))
    summary_md: Mapped[str] = mapped_column(Text, default="")
    body_md: Mapped[str] = mapped_column(Text, default="")
    published_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)

    def list_detail(self, workshop, locale: str) -> str:
        from wsapp.timezones import formats

        return formats.format_day_time(
            formats.to_zone(self.published_dt, workshop.timezone), locale
        )


class Announcement(RecordMixin, db.Model):
    """A banner such as "fill out this form for the post-workshop social", shown in its window."""

    __tablename__ = "announcement"
    __table_args__ = never_reuse_ids()
    __record__ = Record(
        key="announcements",
        singular=_l("announcement"),
        plural=_l("Announcements"),
        position=90,
        fields=(
            Field("text_md", kind=In.REQUIRED),
            Field("link_url"),
            Field("link_text", kind=In.TEXT),
            Field("starts", "starts_dt", In.INSTANT),
            Field("ends", "ends_dt", In.INSTANT),
        ),
        page="home.index",
        order_by=lambda: (Announcement.id,),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = version_column()
    __mapper_args__ = {"version_id_col": version}
    workshop_id: Mapped[int] = workshop_fk()
    text_md: Mapped[str] = mapped_column(Text)
    link_url: Mapped[str | None] = mapped_column(String(500))
    link_text: Mapped[str] = mapped_column(String(200), default="")
    starts_dt: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    ends_dt: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    def describe(self) -> str:
        return (self.text_md or "")[:80]

    def list_detail(self, workshop, locale: str) -> str:
        from wsapp.timezones import formats

        def local(instant):
            return formats.format_day_time(formats.to_zone(instant, workshop.timezone), locale)

        return " – ".join(local(i) for i in (self.starts_dt, self.ends_dt) if i)

    def is_active(self, now: dt.datetime) -> bool:
        return (self.starts_dt is None or self.starts_dt <= now) and (
            self.ends_dt is None or now < self.ends_dt
        )
