"""The call for papers and the important dates."""

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wsapp.extensions import db
from wsapp.models.record import Field, In, Record, RecordMixin, never_reuse_ids, original
from wsapp.models.types import UTCDateTime, version_column
from wsapp.models.workshop import workshop_fk
from wsapp.timezones.clock import now

AOE = "Etc/GMT+12"  # "Anywhere on Earth" is UTC-12; the POSIX sign in Etc/ names is inverted.


class CallForPapers(RecordMixin, db.Model):
    """Everything an author needs to submit, one per workshop."""

    __tablename__ = "call_for_papers"
    __table_args__ = never_reuse_ids()
    __record__ = Record(
        key="cfp",
        singular=_l("call for papers"),
        plural=_l("Call for papers"),
        position=40,
        content="one",
        manage=False,  # its own page in the organizer area
        page="cfp.index",
        fields=(
            Field("invitation_md", kind=In.TEXT),
            Field("topics_intro_md", kind=In.TEXT),
            Field("topics", default=list),
            Field("review_intro_md", kind=In.TEXT),
            Field("review_criteria", default=list),
            Field("policies_md", kind=In.TEXT),
            Field("allows_dual_submission", kind=In.BOOL),
            Field("is_non_archival", kind=In.BOOL),
            Field("submission_site_name", kind=In.TEXT),
            Field("submission_url"),
            Field("page_limit"),
            Field("page_limit_note", kind=In.TEXT),
            Field("template_name", kind=In.TEXT),
            Field("template_url"),
            Field("is_anonymous", kind=In.BOOL, default=True),
            Field("instructions_md", kind=In.TEXT),
            Field("reviewers_md", kind=In.TEXT),
            Field("reviewers_url"),
        ),
    )

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

    def describe(self) -> str:
        return str(_l("Call for papers"))


class ImportantDate(RecordMixin, db.Model):
    """A deadline with its own timezone (usually AoE), or a date alone such as the workshop day."""

    __tablename__ = "important_date"
    __table_args__ = never_reuse_ids()
    __record__ = Record(
        key="dates",
        singular=_l("important date"),
        plural=_l("Important dates"),
        position=50,
        fields=(
            Field("label", kind=In.REQUIRED),
            Field("due", "due_dt", In.INSTANT, zone="timezone"),
            Field("date", "due_date", In.DATE),
            Field("timezone", default=AOE),
            Field("note", kind=In.TEXT),
            Field("submission_deadline", "is_submission_deadline", In.BOOL),
            Field("earlier", kind=In.CUSTOM),
        ),
        page="cfp.index",
        order_by=lambda: (ImportantDate.sort_order,),
        orderable=True,
    )

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

    def list_detail(self, workshop, locale: str) -> str:
        from wsapp.timezones.formats import format_deadline

        return format_deadline(self.due_dt, self.due_date, self.timezone, locale)

    def content_errors(self) -> list[str]:
        if self.due_dt is None and self.due_date is None:
            return ["give 'due' (a date-time) or 'date'"]
        return []

    def move_to(self, due_dt, due_date, timezone: str, keep_earlier: bool) -> None:
        """Set the date; the value it had is kept to be struck through (if asked and it moved)."""
        old = (self.due_dt, self.due_date, self.timezone)
        moved = self.id is not None and (old[0], old[1]) != (due_dt, due_date)
        self.due_dt, self.due_date, self.timezone = due_dt, due_date, timezone
        if moved and keep_earlier and (old[0] is not None or old[1] is not None):
            self.earlier.append(MovedDeadline(due_dt=old[0], due_date=old[1], timezone=old[2]))

    def _earlier_rows(self, dates: list["MovedDeadline"], context) -> list[dict]:
        return [
            {
                "due": context.iso(m.due_dt, m.timezone),
                "date": m.due_date.isoformat() if m.due_date else None,
                "timezone": m.timezone,
                "moved": context.iso(m.moved_dt, "UTC"),
            }
            for m in dates
        ]

    def write_custom(self, field, context):
        return self._earlier_rows(self.earlier, context)

    def read_custom(self, field, value, context, where: str) -> None:
        for i, old in enumerate(value or []):
            here = f"{where} earlier[{i}]"
            self.earlier.append(
                MovedDeadline(
                    due_dt=context.instant(old.get("due"), here),
                    due_date=context.day(old.get("date"), here),
                    timezone=context.zone(old.get("timezone") or self.timezone, here),
                    # The order is what counts; a file without times keeps the file's order.
                    moved_dt=context.instant(old.get("moved"), here)
                    or dt.datetime(2000, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=i),
                )
            )

    def history_extras(self, before: bool) -> dict:
        def iso(value):
            return value.isoformat() if value else None

        return {
            "earlier": [
                {
                    "due_dt": iso(m.due_dt),
                    "due_date": iso(m.due_date),
                    "timezone": m.timezone,
                    "moved_dt": iso(m.moved_dt),
                }
                for m in original(self, "earlier", before)
            ]
        }

    def restore_extras(self, data: dict) -> None:
        if "earlier" not in data:
            return

        def parse(value, cls):
            return cls.fromisoformat(value) if value else None

        self.earlier = [
            MovedDeadline(
                due_dt=parse(row["due_dt"], dt.datetime),
                due_date=parse(row["due_date"], dt.date),
                timezone=row["timezone"],
                moved_dt=parse(row["moved_dt"], dt.datetime),
            )
            for row in data["earlier"]
        ]


class MovedDeadline(db.Model):
    """An earlier value of a moved date, kept so the page can strike it through."""

    __tablename__ = "moved_deadline"
    __part_of__ = ImportantDate  # changed, logged, restored and written in files with its date

    id: Mapped[int] = mapped_column(primary_key=True)
    date_id: Mapped[int] = mapped_column(
        ForeignKey("important_date.id", ondelete="CASCADE"), index=True
    )
    due_dt: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    timezone: Mapped[str] = mapped_column(String(64), default=AOE)
    moved_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)

    date: Mapped[ImportantDate] = relationship(back_populates="earlier")

    def affected_workshops(self, session) -> set[int]:
        if self.date is not None and self.date.workshop_id is not None:
            return {self.date.workshop_id}
        return set()

    @property
    def is_date_only(self) -> bool:
        return self.due_dt is None
