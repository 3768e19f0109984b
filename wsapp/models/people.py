"""People and the roles they hold in workshop editions."""

import enum

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wsapp.extensions import db
from wsapp.models.media import Image
from wsapp.models.types import str_enum, version_column
from wsapp.models.workshop import Workshop, workshop_fk


class Person(db.Model):
    """Someone who speaks, sits on a panel, moderates or organizes, in any edition."""

    __tablename__ = "person"

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

    @property
    def initials(self) -> str:
        parts = [p for p in self.name.replace("-", " ").split() if p[:1].isalpha()]
        return "".join(p[0] for p in parts[:1] + parts[1:][-1:]).upper() or "?"


class RoleKind(enum.StrEnum):
    SPEAKER = "speaker"
    PANELIST = "panelist"
    ORGANIZER = "organizer"
    MODERATOR = "moderator"


class Role(db.Model):
    """A person's part in one edition, with the position and affiliation they had then."""

    __tablename__ = "role"
    __table_args__ = (UniqueConstraint("workshop_id", "person_id", "kind"),)

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
