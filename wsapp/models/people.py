"""People and the roles they hold in workshop editions.

A `Person` is an identity shared by every workshop that lists them (key, canonical name, homepage,
photo): only site admins change it. What one workshop shows of them (the name as shown, homepage,
photo, position, affiliation) is its `Role`'s own copy, taken from the person when the role is
created, so no edit in one workshop changes another's pages (docs/organizers.md).
"""

import enum
from contextlib import nullcontext

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint, case, select
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship, validates

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
        manage=False,  # site admins edit it (blueprints/manage/people.py)
        shared=True,
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
        return initials(self.name)


def initials(name: str) -> str:
    """ "Bo Li" -> "BL": the placeholder where there is no photo."""
    parts = [p for p in name.replace("-", " ").split() if p[:1].isalpha()]
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
    """A person's part in one edition, and how that edition shows them: name, homepage, photo,
    position and affiliation (copied from the person when the role is made, then its own)."""

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
            # a file that leaves these out (one written before roles had them) shows the person's
            Field("name", kind=In.TEXT, inherit="person.name"),
            Field("homepage", "homepage_url", inherit="person.homepage_url"),
            Field("photo", kind=In.IMAGE, of=ImageKind.PHOTO, inherit="person.photo"),
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
    name: Mapped[str] = mapped_column(String(200), default="")  # as this workshop shows it
    homepage_url: Mapped[str | None] = mapped_column(String(500))
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("image.id", ondelete="SET NULL"))
    position: Mapped[str] = mapped_column(String(200), default="")
    affiliation: Mapped[str] = mapped_column(String(200), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    person: Mapped[Person] = relationship(back_populates="roles", lazy="joined")
    photo: Mapped[Image | None] = relationship(lazy="joined")
    workshop: Mapped[Workshop] = relationship()

    @validates("person")
    def _take_defaults(self, key, person):
        """A new role shows the person as the site knows them, until the workshop says otherwise."""
        if person is not None and not self.name:
            session = object_session(person)
            with session.no_autoflush if session is not None else nullcontext():
                self.name, self.homepage_url = person.name, person.homepage_url
                self.photo = person.photo
        return person

    @property
    def initials(self) -> str:
        return initials(self.name)

    @property
    def caption(self) -> str:
        """ "Associate Professor, UIUC" or just "VinUniversity, Vietnam"."""
        return ", ".join(part for part in (self.position, self.affiliation) if part)

    def describe(self) -> str:
        kind = ROLE_NAMES.get(self.kind, self.kind.value if self.kind else "")
        return f"{self.name or (self.person.name if self.person else '?')} ({kind})"

    def list_group(self, workshop, locale: str) -> str:
        return str(ROLE_GROUPS[self.kind])

    def list_detail(self, workshop, locale: str) -> str:
        return self.caption


class Cast:
    """The people of one workshop as it shows them: each person's role there, by kind.

    Schedule items name people (their identity); pages and exports show the role's name, homepage
    and photo instead, and the person's own only for someone without a role in the workshop.
    """

    sole_panel: int | None = None  # the id of the workshop's only panel, if it has one

    def __init__(self, roles: list[Role]):
        self._roles: dict[int, dict[RoleKind, Role]] = {}
        self.panelists = [role.person for role in roles if role.kind == RoleKind.PANELIST]
        names: dict[str, set] = {}
        for role in roles:
            self._roles.setdefault(role.person_id, {}).setdefault(role.kind, role)
            for name in (role.name, role.person.name):
                names.setdefault(" ".join(name.casefold().split()), set()).add(role.person)
        self._named = {name: people.pop() for name, people in names.items() if len(people) == 1}

    def named(self, name: str) -> Person | None:
        """The one person of the workshop shown or known by this name (None: none, or several)."""
        return self._named.get(" ".join(name.casefold().split()))

    def roles_of(self, person: Person) -> list[Role]:
        return list(self._roles.get(person.id, {}).values())

    def of(self, person: Person, prefer: RoleKind | None = None) -> "Role | Person":
        """The role that shows `person` (of kind `prefer` if they have one), else the person."""
        roles = self._roles.get(person.id)
        if not roles:
            return person
        for kind in (prefer, *ROLE_ORDER):
            if kind in roles:
                return roles[kind]
        return person
