"""Values in content files: dates and date-times read strictly, written in a workshop's zone."""

import datetime as dt
from typing import Any

from wsapp.timezones.formats import to_zone


class ContentError(ValueError):
    """The file does not follow the format; the message says where."""


def instant(value: Any, where: str) -> dt.datetime | None:
    """An aware date-time in UTC from an ISO 8601 string with an offset (None stays None)."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError as exc:
            raise ContentError(f"{where}: {value!r} is not an ISO 8601 date-time") from exc
    if not isinstance(value, dt.datetime):
        raise ContentError(f"{where}: expected a date-time with an offset, got {value!r}")
    if value.tzinfo is None:
        raise ContentError(f"{where}: {value!r} has no UTC offset")
    return value.astimezone(dt.UTC)


def day(value: Any, where: str) -> dt.date | None:
    """A date from YYYY-MM-DD (None stays None)."""
    if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ContentError(f"{where}: {value!r} is not a YYYY-MM-DD date") from exc


def iso(moment: dt.datetime | None, tz: str) -> str | None:
    """An instant as ISO 8601 in the zone `tz` (what the file shows organizers)."""
    return to_zone(moment, tz).isoformat() if moment else None
