"""Accounts, workshop memberships and invitations."""

import datetime as dt

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from wsapp.extensions import db
from wsapp.models.types import UTCDateTime
from wsapp.models.workshop import Workshop, workshop_fk
from wsapp.timezones.clock import now


def normalize_email(email: str) -> str:
    """E-mail addresses compare case-insensitively: they are stored lower-cased and trimmed."""
    return (email or "").strip().lower()


class User(UserMixin, db.Model):
    """Someone who logs in: a site admin, or an organizer of some workshops."""

    __tablename__ = "user_account"
    __affects_pages__ = False  # not shown on public pages: no cache invalidation

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # None until the user sets a password through an invitation.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)
    last_login_dt: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    memberships: Mapped[list["WorkshopOrganizer"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<User {self.email}>"

    @validates("email")
    def _normalize(self, key, value):
        return normalize_email(value)

    @property
    def is_active(self) -> bool:
        return self.active


class WorkshopOrganizer(db.Model):
    """A user's right to manage one workshop edition."""

    __tablename__ = "workshop_organizer"
    __affects_pages__ = False  # not shown on public pages: no cache invalidation
    __table_args__ = (UniqueConstraint("user_id", "workshop_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    workshop_id: Mapped[int] = workshop_fk()
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)

    user: Mapped[User] = relationship(back_populates="memberships")
    workshop: Mapped[Workshop] = relationship()


class Invitation(db.Model):
    """A single-use link that makes someone an organizer of a workshop; only its hash is kept."""

    __tablename__ = "invitation"
    __affects_pages__ = False  # not shown on public pages: no cache invalidation

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    workshop_id: Mapped[int] = workshop_fk()
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)
    expires_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    used_dt: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    workshop: Mapped[Workshop] = relationship()
    invited_by: Mapped[User | None] = relationship()

    @validates("email")
    def _normalize(self, key, value):
        return normalize_email(value)

    def is_usable(self, now: dt.datetime) -> bool:
        return self.used_dt is None and now < self.expires_dt
