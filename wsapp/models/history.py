"""The change log: one row per created, changed, deleted or restored record."""

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wsapp.extensions import db
from wsapp.models.types import UTCDateTime
from wsapp.models.users import User
from wsapp.timezones.clock import now


class Change(db.Model):
    """Who changed what when, with the record's whole state before and after."""

    __tablename__ = "change"
    __affects_pages__ = False  # not shown on public pages: no cache invalidation
    __table_args__ = (Index("ix_change_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    # No foreign key: the log outlives what it describes.
    workshop_id: Mapped[int | None] = mapped_column(Integer, index=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(10))  # create | update | delete | restore
    summary: Mapped[str] = mapped_column(String(300), default="")
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)

    user: Mapped[User | None] = relationship(lazy="joined")

    @property
    def changed_fields(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every value that differs."""
        before, after = self.before or {}, self.after or {}
        keys = [k for k in (after or before) if k not in {"id", "version"}]
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
