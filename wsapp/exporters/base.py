"""What every exporter has: an identifier, a content type, an extension and `get_data()`."""

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import ClassVar
from urllib.parse import urlsplit

from wsapp.models import ImportantDate, ScheduleItem, Workshop


@dataclass
class ExportContext:
    """The loaded records and the absolute URLs an export refers to."""

    workshop: Workshop
    items: list[ScheduleItem]
    dates: list[ImportantDate]
    base_url: str  # the site's root, "https://example.org/"
    schedule_url: str  # the schedule page; an item is at schedule_url#item-<id>
    dates_url: str  # where the important dates are listed
    now: dt.datetime
    locale: str = "en"

    def item_url(self, item: ScheduleItem) -> str:
        return f"{self.schedule_url}#item-{item.id}"

    def stable_id(self, kind: str, record_id: int | str) -> uuid.UUID:
        """A UUID that depends only on the site, the workshop slug and the record's id.

        Editing a record's content or time keeps it, so calendars update an event instead of
        adding a second one.
        """
        host = urlsplit(self.base_url).netloc or "wsapp"
        return uuid.uuid5(
            uuid.NAMESPACE_URL, f"https://{host}/{self.workshop.slug}/{kind}/{record_id}"
        )


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
