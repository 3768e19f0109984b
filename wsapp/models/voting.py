"""Best oral / best poster voting: award categories, ballot codes, ballots and votes.

Integrity lives in the schema: one vote per (ballot, category) is a unique constraint, and a
changed vote is one upsert on it (services/voting.py), so concurrent requests can neither
duplicate nor lose a vote. Ballots and votes are not site content (content_io skips them).
"""

import datetime as dt
import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wsapp.extensions import db
from wsapp.models.papers import Presentation
from wsapp.models.record import Field, In, Record, RecordMixin, never_reuse_ids
from wsapp.models.types import UTCDateTime, str_enum
from wsapp.models.workshop import Workshop, workshop_fk
from wsapp.timezones.clock import now


class VotingMode(enum.StrEnum):
    CODES = "codes"  # printed single-use ballot codes
    OPEN = "open"  # anyone; one ballot per browser, ballots per IP rate-limited


class ManualState(enum.StrEnum):
    AUTO = "auto"  # follow opens_dt/closes_dt
    OPEN = "open"  # open now, whatever the window says
    CLOSED = "closed"  # closed now, whatever the window says


class WindowStatus(enum.StrEnum):
    UNSCHEDULED = "unscheduled"
    NOT_YET = "not_yet"
    OPEN = "open"
    CLOSED = "closed"


class VotingSettings(db.Model):
    """How a workshop's attendees get a ballot; one row per workshop, created on demand."""

    __tablename__ = "voting_settings"
    __part_of__ = Workshop  # its voting settings, written in files under the workshop's voting

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), unique=True
    )
    mode: Mapped[VotingMode] = mapped_column(str_enum(VotingMode), default=VotingMode.CODES)
    # The highest code serial issued; codes are derived from (key, workshop, serial).
    last_code_serial: Mapped[int] = mapped_column(Integer, default=0)


class AwardCategory(RecordMixin, db.Model):
    """ "Best oral": its candidates are the workshop's papers of one presentation kind."""

    __tablename__ = "award_category"
    __record__ = Record(
        key="voting",
        singular=_l("award category"),
        plural=_l("Award categories"),
        position=100,
        content="voting",  # services/content/voting.py: matched by slug, votes kept
        manage=False,  # the voting page of the organizer area
        page="voting.index",
        order_by=lambda: (AwardCategory.sort_order, AwardCategory.id),
        fields=(
            Field("slug", kind=In.REQUIRED),
            Field("name", kind=In.REQUIRED),
            Field("presentation", kind=In.ENUM, of=Presentation),
            Field("opens", "opens_dt", In.INSTANT),
            Field("closes", "closes_dt", In.INSTANT),
            Field("state", "manual_state", In.ENUM, of=ManualState, default=ManualState.AUTO),
            Field("results_published", kind=In.BOOL),
        ),
    )
    __table_args__ = (UniqueConstraint("workshop_id", "slug"), never_reuse_ids())

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = workshop_fk()
    slug: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(120))
    # None: every accepted paper is a candidate (e.g. "best student paper").
    presentation: Mapped[Presentation | None] = mapped_column(str_enum(Presentation))
    # The window is [opens_dt, closes_dt): opening instant included, closing instant excluded.
    opens_dt: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closes_dt: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    manual_state: Mapped[ManualState] = mapped_column(
        str_enum(ManualState), default=ManualState.AUTO
    )
    results_published: Mapped[bool] = mapped_column(Boolean, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    workshop: Mapped[Workshop] = relationship()

    def __repr__(self) -> str:
        return f"<AwardCategory {self.slug}>"

    def status(self, now: dt.datetime) -> WindowStatus:
        """Open iff manually opened, or (auto and opens_dt <= now < closes_dt)."""
        if self.manual_state == ManualState.OPEN:
            return WindowStatus.OPEN
        if self.manual_state == ManualState.CLOSED:
            return WindowStatus.CLOSED
        if self.opens_dt is None:
            return WindowStatus.UNSCHEDULED
        if now < self.opens_dt:
            return WindowStatus.NOT_YET
        if self.closes_dt is not None and now >= self.closes_dt:
            return WindowStatus.CLOSED
        return WindowStatus.OPEN

    def is_open(self, now: dt.datetime) -> bool:
        return self.status(now) == WindowStatus.OPEN

    def content_errors(self) -> list[str]:
        if self.opens_dt and self.closes_dt and self.closes_dt <= self.opens_dt:
            return ["'closes' must be after 'opens'"]
        return []


class BallotCode(db.Model):
    """A printed single-use code. Only an HMAC of it is stored, with a 3-character hint."""

    __tablename__ = "ballot_code"
    __affects_pages__ = False  # votes never invalidate cached pages
    __table_args__ = (
        UniqueConstraint("workshop_id", "serial", name="uq_ballot_code_serial"),
        UniqueConstraint("workshop_id", "code_hash", name="uq_ballot_code_code_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = workshop_fk()
    serial: Mapped[int] = mapped_column(Integer)
    code_hash: Mapped[str] = mapped_column(String(64))
    hint: Mapped[str] = mapped_column(String(8))
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)


class Ballot(db.Model):
    """One voter's ballot: from a code, or from an open-mode browser. Holds one vote per category.

    The browser holds a random token in a signed cookie; only its sha256 is stored here.
    """

    __tablename__ = "ballot"
    __affects_pages__ = False  # votes never invalidate cached pages

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = workshop_fk()
    code_id: Mapped[int | None] = mapped_column(
        ForeignKey("ballot_code.id", ondelete="CASCADE"), unique=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)

    # Joined: the code's hash seeds the ballot's candidate order, needed whenever it is shown.
    code: Mapped[BallotCode | None] = relationship(lazy="joined")


class Vote(db.Model):
    """A ballot's choice in one category; changing it updates this row (never a second row)."""

    __tablename__ = "vote"
    __affects_pages__ = False  # votes never invalidate cached pages
    __table_args__ = (
        UniqueConstraint("ballot_id", "category_id"),
        Index("ix_vote_category_paper", "category_id", "paper_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballot.id", ondelete="CASCADE"))
    category_id: Mapped[int] = mapped_column(ForeignKey("award_category.id", ondelete="CASCADE"))
    # No cascade from papers: replacing the papers of a workshop with votes is refused instead.
    paper_id: Mapped[int] = mapped_column(ForeignKey("paper.id"), index=True)
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)
    updated_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)
