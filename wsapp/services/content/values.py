"""Values in content files: dates and date-times read strictly, written in a workshop's zone."""

import datetime as dt
from typing import Any

import yaml

from wsapp.timezones.formats import to_zone


class ContentError(ValueError):
    """The file does not follow the format; the message says where."""


def instant(value: Any, where: str) -> dt.datetime | None:
    """An aware date-time in UTC from an ISO 8601 string with an offset (None stays None)."""
    if value is None:
        return None
    written = value
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError as exc:
            raise ContentError(f"{where}: {value!r} is not an ISO 8601 date-time") from exc
    if not isinstance(value, dt.datetime):
        raise ContentError(f"{where}: expected a date-time with an offset, got {value!r}")
    if value.tzinfo is None:
        shown = written if isinstance(written, str) else value.isoformat()
        raise ContentError(f"{where}: {shown!r} has no UTC offset (add one, e.g. +00:00)")
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


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, whose dates that do not exist (2023-02-30) name their line."""

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a valid date ({exc})", node.start_mark
            ) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def read_yaml(text: str) -> Any:
    """A content file's YAML; yaml.YAMLError (with the line and column) when it is not."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader subclass)
