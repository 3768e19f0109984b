"""What every exporter has: an identifier, a content type, an extension and `get_data()`."""

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from typing import ClassVar

from flask_babel import gettext as _

from wsapp.models import ImportantDate, ItemKind, RoleKind, ScheduleItem, Workshop
from wsapp.services.people import split_names

DEFAULT_SITE = "urn:wsapp"  # the identity of a site without WSAPP_SITE_URL
# Authors named only in text get ids from here on, so they never meet a person's record id.
AUTHOR_IDS = 1_000_000_000


@dataclass(frozen=True)
class Presenter:
    """Someone an export lists for an item: a person of the workshop, or a name from its text."""

    id: int
    guid: uuid.UUID
    name: str  # as the workshop shows it
    role: RoleKind


@dataclass
class ExportContext:
    """The loaded records and the absolute URLs an export refers to."""

    workshop: Workshop
    items: list[ScheduleItem]
    dates: list[ImportantDate]
    base_url: str  # the site's root, "https://example.org/"
    schedule_url: str  # the schedule page; an item is at schedule_url#item-<id>
    dates_url: str  # where the important dates are listed
    locale: str = "en"
    site: str | None = None  # WSAPP_SITE_URL: what stable ids derive from (not the request's host)

    @property
    def stamp(self) -> dt.datetime:
        """When this content was created (iCalendar's DTSTAMP): the workshop's last change.

        Not the clock, so the same content is the same bytes and pollers keep their ETag."""
        return self.workshop.updated_dt

    def item_url(self, item: ScheduleItem) -> str:
        return f"{self.schedule_url}#item-{item.id}"

    def stable_id(self, kind: str, record_id: int | str) -> uuid.UUID:
        """A UUID that depends only on the site's identity, the workshop slug and the record's id.

        Editing a record's content or time keeps it, so calendars update an event instead of
        adding a second one; the site's every address and its frozen copy give the same one.
        """
        return uuid.uuid5(
            uuid.NAMESPACE_URL, f"{self._site}/{self.workshop.slug}/{kind}/{record_id}"
        )

    def person_id(self, key: str) -> uuid.UUID:
        """A person's UUID: the same in every workshop of the site."""
        return uuid.uuid5(uuid.NAMESPACE_URL, f"{self._site}/people/{key}")

    @property
    def _site(self) -> str:
        return self.site or DEFAULT_SITE

    def presenters(self, item: ScheduleItem) -> list[Presenter]:
        """Everyone the item lists, each once: its presenters (`presenting`: the sole panel's are
        the panelists), else the names of its author list (linked to the workshop's people where
        one has that name); then its moderator."""
        role = RoleKind.PANELIST if item.kind == ItemKind.PANEL else RoleKind.SPEAKER
        if item.presenting:
            found = [self._person(p, item.shown(p, role), role) for p in item.presenting]
        else:
            found = [self._named(name, item, role) for name in split_names(item.author_list)]
        if item.moderator is not None and all(p.id != item.moderator.id for p in found):
            found.append(self._person(item.moderator, item.shown_moderator, RoleKind.MODERATOR))
        return found

    def _person(self, person, shown, role: RoleKind) -> Presenter:
        return Presenter(person.id, self.person_id(person.key), shown.name, role)

    def _named(self, name: str, item: ScheduleItem, role: RoleKind) -> Presenter:
        person = item.cast.named(name) if item.cast is not None else None
        if person is not None:
            return self._person(person, item.cast.of(person, role), role)
        key = " ".join(name.casefold().split())
        digest = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")
        guid = uuid.uuid5(uuid.NAMESPACE_URL, f"{self._site}/people/~{key}")
        return Presenter(AUTHOR_IDS + digest % AUTHOR_IDS, guid, name, role)

    def people_line(self, item: ScheduleItem) -> str:
        """ "A, B; Moderator: C": who an item has, for a calendar's or an app's description."""
        found = self.presenters(item)
        names = ", ".join(p.name for p in found if p.role != RoleKind.MODERATOR)
        moderators = [p.name for p in found if p.role == RoleKind.MODERATOR]
        if moderators:
            moderator = _("Moderator: %(name)s", name=", ".join(moderators))
            names = "; ".join(filter(None, [names, moderator]))
        return names


class BaseExporter:
    """One export format; subclasses set the class attributes and implement get_data()."""

    identifier: ClassVar[str]  # names the file: <workshop slug>-<identifier>.<extension>
    content_type: ClassVar[str]
    extension: ClassVar[str]
    disposition: ClassVar[str] = "attachment"  # "inline" for files apps fetch by URL

    def __init__(self, context: ExportContext):
        self.context = context

    @property
    def filename(self) -> str:
        return f"{self.context.workshop.slug}-{self.identifier}.{self.extension}"

    def get_data(self) -> str:
        raise NotImplementedError
