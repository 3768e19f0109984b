"""What became of each mail the app sent: the record shown to organizers and admins.

The message itself is never stored (it carries a single-use link whose token must not be kept):
only who it went to, what it was about and how delivery went.
"""

import datetime as dt
import enum

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from wsapp.extensions import db
from wsapp.models.types import UTCDateTime, str_enum
from wsapp.timezones.clock import now


class MailStatus(enum.StrEnum):
    QUEUED = "queued"  # committed, waiting for the worker
    RETRYING = "retrying"  # a temporary failure; another attempt follows
    SENT = "sent"  # the SMTP server accepted it
    FAILED = "failed"  # refused, or still failing after the last attempt


class MailKind(enum.StrEnum):
    INVITATION = "invitation"
    PASSWORD_RESET = "password_reset"
    EMAIL_CHANGE = "email_change"
    PASSWORD_CHANGED = "password_changed"
    EMAIL_CHANGED = "email_changed"


class OutgoingMail(db.Model):
    """One message handed to the mail worker, and its delivery status."""

    __tablename__ = "outgoing_mail"
    __affects_pages__ = False  # not shown on public pages: no cache invalidation

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[MailKind] = mapped_column(str_enum(MailKind))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    status: Mapped[MailStatus] = mapped_column(str_enum(MailStatus), default=MailStatus.QUEUED)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)
    updated_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitation.id", ondelete="SET NULL"), index=True
    )

    def __repr__(self) -> str:
        return f"<OutgoingMail {self.kind} to {self.recipient}: {self.status}>"
