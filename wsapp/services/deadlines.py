"""Important dates as a page shows them: as written, in the viewer's zone, and how long is left."""

import datetime as dt
from dataclasses import dataclass

from wsapp.models import ImportantDate
from wsapp.timezones.formats import (
    format_clock,
    format_day,
    format_deadline,
    format_duration,
    join_day_time,
    to_zone,
    zone_city,
    zone_label,
)


@dataclass
class DateView:
    entry: ImportantDate
    written: str  # "October 6th, 2023, 11:59 PM AoE", as the organizers wrote it
    earlier: list[str]  # the values it had before it moved, to strike through
    local: dt.datetime | None = None  # the instant in the viewer's zone, when that zone differs
    local_text: str = ""  # "October 7th, 2023, 1:59 PM"
    local_zone: str = ""  # "CEST, GMT+02:00, Zurich"
    remaining: dt.timedelta | None = None  # until it is due; negative once passed
    remaining_text: str = ""  # "3 days, 4 hours"

    @property
    def is_past(self) -> bool:
        return self.remaining is not None and self.remaining <= dt.timedelta(0)

    @property
    def is_open(self) -> bool:
        return self.remaining is not None and not self.is_past


def date_views(
    dates: list[ImportantDate], tz: str, locale: str, now: dt.datetime, city: str = ""
) -> list[DateView]:
    """Each date as written, plus (for instants) the viewer's equivalent and the time left."""
    views = []
    for entry in dates:
        view = DateView(
            entry=entry,
            written=format_deadline(entry.due_dt, entry.due_date, entry.timezone, locale),
            earlier=[
                format_deadline(old.due_dt, old.due_date, old.timezone, locale)
                for old in entry.earlier
            ],
        )
        if entry.due_dt is not None:
            view.remaining = entry.due_dt - now
            view.remaining_text = format_duration(view.remaining, locale)
            if tz != entry.timezone:
                view.local = to_zone(entry.due_dt, tz)
                view.local_text = join_day_time(
                    format_day(view.local.date(), locale), format_clock(view.local, locale), locale
                )
                view.local_zone = zone_label(tz, entry.due_dt, city or zone_city(tz, locale))
        views.append(view)
    return views


def any_open(views: list[DateView]) -> bool:
    """True while some deadline is still ahead (the countdowns then need refreshing)."""
    return any(view.is_open for view in views)
