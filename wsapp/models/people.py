"""People and the roles they hold in workshop editions."""

import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint, case, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wsapp.extensions import db
from wsapp.models.media import Image, ImageKind
from wsapp.models.record import Field, In, Record, RecordMixin, never_reuse_ids
from wsapp.models.types import str_enum, version_column
from wsapp.models.workshop import Workshop, workshop_fk


class Person(RecordMixin, db.Model):
    """Someone who speaks, sits on a panel, moderates or organizes, in any edition."""

    __tablename__ = "person"
    __table_args__ = never_reuse_ids()
    __record__ = Record(
        key="persons",
        singular=_l("person"),
        plural=_l("People"),
        position=1,
        content="people",
        manage=False,  # edited with their roles
        fields=(
            Field("key", kind=In.REQUIRED),
            Field("name", kind=In.REQUIRED),
            Field("homepage", "homepage_url"),
            Field("photo", kind=In.IMAGE, of=ImageKind.PHOTO),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = version_column()
    __mapper_args__ = {"version_id_col": version}
    key: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    homepage_url: Mapped[str | None] = mapped_column(String(500))
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("image.id", ondelete="SET NULL"))

    # joined: every page that lists people shows their photos, so never one query per person
    photo: Mapped[Image | None] = relationship(lazy="joined")
    roles: Mapped[list["Role"]] = relationship(back_populates="person")

    def __repr__(self) -> str:
        return f"<Person {self.name}>"

    def affected_workshops(self, session) -> set[int]:
        """Every workshop that lists the person in a role."""
        if self.id is None:
            return set()
        query = select(Role.__table__.c.workshop_id).where(Role.__table__.c.person_id == self.id)
        return set(session.connection().execute(query).scalars())

    @property
    def initials(self) -> str:
        parts = [p for p in self.name.replace("-", " ").split() if p[:1].isalpha()]
        return "".join(p[0] for p in parts[:1] + parts[1:][-1:]).upper() or "?"


class RoleKind(enum.StrEnum):
    SPEAKER = "speaker"
    PANELIST = "panelist"
    ORGANIZER = "organizer"
    MODERATOR = "moderator"


ROLE_ORDER = (RoleKind.SPEAKER, RoleKind.PANELIST, RoleKind.MODERATOR, RoleKind.ORGANIZER)
ROLE_NAMES = {
    RoleKind.SPEAKER: _l("speaker"),
    RoleKind.PANELIST: _l("panelist"),
    RoleKind.ORGANIZER: _l("organizer"),
    RoleKind.MODERATOR: _l("moderator"),
}
ROLE_GROUPS = {
    RoleKind.SPEAKER: _l("Speakers"),
    RoleKind.PANELIST: _l("Panelists"),
    RoleKind.MODERATOR: _l("Moderators"),
    RoleKind.ORGANIZER: _l("Organizers"),
}


def _role_order() -> tuple:
    kind_order = case({k.value: i for i, k in enumerate(ROLE_ORDER)}, value=Role.kind)
    return (kind_order, Role.sort_order)


class Role(RecordMixin, db.Model):
    """A person's part in one edition, with the position and affiliation they had then."""

    __tablename__ = "role"
    __record__ = Record(
        key="people",
        singular=_l("person"),
        plural=_l("People"),
        position=10,
        split_by=(
            "kind",
            {
                "speakers": RoleKind.SPEAKER,
                "panelists": RoleKind.PANELIST,
                "organizers": RoleKind.ORGANIZER,
                "moderators": RoleKind.MODERATOR,
            },
        ),
        fields=(
            Field("person", kind=In.PERSON),
            Field("position", kind=In.TEXT),
            Field("affiliation", kind=In.TEXT),
        ),
        page="people.speakers",
        order_by=lambda: _role_order(),
        orderable=True,
    )
    __table_args__ = (UniqueConstraint("workshop_id", "person_id", "kind"), never_reuse_ids())

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = version_column()
    __mapper_args__ = {"version_id_col": version}
    workshop_id: Mapped[int] = workshop_fk()
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    kind: Mapped[RoleKind] = mapped_column(str_enum(RoleKind))
    position: Mapped[str] = mapped_column(String(200), default="")
    affiliation: Mapped[str] = mapped_column(String(200), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    person: Mapped[Person] = relationship(back_populates="roles", lazy="joined")
    workshop: Mapped[Workshop] = relationship()

    @property
    def caption(self) -> str:
        """ "Associate Professor, UIUC" or just "VinUniversity, Vietnam"."""
        return ", ".join(part for part in (self.position, self.affiliation) if part)

    def describe(self) -> str:
        kind = ROLE_NAMES.get(self.kind, self.kind.value if self.kind else "")
        return f"{self.person.name if self.person else '?'} ({kind})"

    def list_group(self, workshop, locale: str) -> str:
        return str(ROLE_GROUPS[self.kind])

    def list_detail(self, workshop, locale: str) -> str:
        return self.caption

    @classmethod
    def related_history(cls, obj, changes: list) -> list[tuple[str, int]]:
        """The role's people: their name, homepage and photo are edited with the role."""
        ids = {obj.person_id} if obj is not None else set()
        for change in changes:
            ids |= {(state or {}).get("person_id") for state in (change.before, change.after)}
        return [("person", i) for i in sorted(i for i in ids if i)]
