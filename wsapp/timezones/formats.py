"""Time zones and formats: everything is stored in UTC and converted only when rendered."""

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel import Locale
from babel.dates import (
    format_date,
    format_skeleton,
    get_datetime_format,
    get_time_format,
    get_timezone_location,
    parse_pattern,
)
from babel.lists import format_list
from babel.units import format_unit

AOE_ZONES = {"Etc/GMT+12"}


@lru_cache(maxsize=1024)
def zone(name: str) -> ZoneInfo:
    """The ZoneInfo for an IANA name; raises ValueError for an unknown one."""
    if name not in _known_zones():
        raise ValueError(f"unknown time zone {name!r}")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:  # pragma: no cover - guarded above
        raise ValueError(f"unknown time zone {name!r}") from exc


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def known_zones() -> frozenset[str]:
    """Every IANA name this server can convert to."""
    return _known_zones()


def is_valid_zone(name: str | None) -> bool:
    return bool(name) and name in _known_zones()


def to_zone(instant: dt.datetime, tz: str) -> dt.datetime:
    return instant.astimezone(zone(tz))


def gmt_offset(local: dt.datetime) -> str:
    """ "GMT-06:00" for a zone-aware datetime."""
    offset = local.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"GMT{sign}{hours:02d}:{mins:02d}"


def zone_label(tz: str, at: dt.datetime, city: str = "") -> str:
    """ "CST, GMT-06:00, New Orleans": computed from the IANA zone for the given instant."""
    if tz in AOE_ZONES:
        return "AoE, GMT-12:00"
    local = to_zone(at, tz)
    abbreviation = local.tzname() or ""
    parts = [gmt_offset(local)]
    # Zones without a real abbreviation report a numeric one ("-03"), which says nothing new.
    if abbreviation and abbreviation[0].isalpha() and abbreviation != "GMT":
        parts.insert(0, abbreviation)
    if city:
        parts.append(city)
    return ", ".join(parts)


def format_clock(local: dt.datetime, locale: str) -> str:
    """A time of day in the locale's own short form (12 or 24 hours); Babel's format_time."""
    babel_locale, pattern = _short_time(locale)
    # What format_time(local, "short", locale=locale) does, without re-parsing locale and
    # pattern on each of the hundreds of calls a schedule makes.
    return pattern.apply(local.timetz(), babel_locale, reference_date=local.date())


@lru_cache(maxsize=64)
def _short_time(locale: str):
    babel_locale = Locale.parse(locale)
    return babel_locale, parse_pattern(get_time_format("short", locale=babel_locale))


def _ordinal(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return f"{day}th"
    return f"{day}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th') }"


def format_day(day: dt.date, locale: str) -> str:
    """ "October 6th, 2023" in English as organizers write it; the locale's long date elsewhere."""
    if locale.split("_")[0] == "en":
        return f"{format_date(day, 'MMMM', locale=locale)} {_ordinal(day.day)}, {day.year}"
    return format_date(day, format="long", locale=locale)


def join_day_time(day_text: str, time_text: str, locale: str) -> str:
    """A date and a time in the locale's order: "Oct 6, 2023, 11:59 PM"; "23:59 6 thg 10, 2023"."""
    return _glue(locale).replace("{1}", day_text).replace("{0}", time_text)


@lru_cache(maxsize=64)
def _glue(locale: str) -> str:
    return str(get_datetime_format("medium", locale=locale)).replace("'", "")


def format_day_time(local: dt.datetime, locale: str) -> str:
    """ "Fri, Dec 15, 2023, 8:30 AM": a short weekday and date with the clock, for lists."""
    day = format_skeleton("yMMMEd", local.date(), locale=locale)
    return join_day_time(day, format_clock(local, locale), locale)


@lru_cache(maxsize=4096)
def format_deadline(instant: dt.datetime | None, day: dt.date | None, tz: str, locale: str) -> str:
    """An important date as organizers wrote it: in its own zone, "11:59 PM AoE".

    Kept per process (a ballot shows the same few instants to every voter, in a few zones)."""
    if instant is None:
        return format_day(day, locale) if day else ""
    local = to_zone(instant, tz)
    suffix = "AoE" if tz in AOE_ZONES else (local.tzname() or gmt_offset(local))
    clock = f"{format_clock(local, locale)} {suffix}"
    return join_day_time(format_day(local.date(), locale), clock, locale)


def venue_instant(day: dt.date, clock: dt.time, tz: str) -> dt.datetime:
    """The UTC instant of a wall-clock time at the venue."""
    return dt.datetime.combine(day, clock, tzinfo=zone(tz)).astimezone(dt.UTC)


def zone_city(tz: str, locale: str) -> str:
    """The zone's exemplar city in the locale ("Zürich" in German); empty for UTC and Etc/ zones."""
    if tz in ("UTC", "localtime", "Factory") or "/" not in tz or tz.startswith("Etc/"):
        return ""
    return get_timezone_location(tz, locale=locale, return_city=True)


def format_short_day(day: dt.date, locale: str) -> str:
    """ "Fri, Dec 15": the locale's own abbreviated weekday, month and day."""
    return format_skeleton("MMMEd", day, locale=locale)


_UNITS = (("duration-day", 86400), ("duration-hour", 3600), ("duration-minute", 60))


def _unit(value: int, unit: str, locale: str) -> str:
    # Some locales lack Babel's long unit patterns; Babel then prints the unit's id.
    for length in ("long", "short", "narrow"):
        text = format_unit(value, unit, length=length, locale=locale)
        if "duration-" not in text:
            return text
    return str(value)  # pragma: no cover - every CLDR locale has one of the three


def format_duration(delta: dt.timedelta, locale: str) -> str:
    """ "3 days, 4 hours": the two largest units, counted in whole minutes rounded up."""
    seconds = -(-max(int(delta.total_seconds()), 0) // 60) * 60
    parts = []
    for unit, size in _UNITS:
        value, seconds = divmod(seconds, size)
        if value or parts:
            parts.append((value, unit))
    if not parts:
        return _unit(0, "duration-minute", locale)
    parts = [p for p in parts[:2] if p[0]] or parts[:1]
    return format_list([_unit(v, u, locale) for v, u in parts], style="unit", locale=locale)


class LocalTimeError(ValueError):
    """A wall-clock time that does not name exactly one instant in its zone."""


class NonexistentTime(LocalTimeError):
    pass


class AmbiguousTime(LocalTimeError):
    pass


def local_to_utc(naive: dt.datetime, tz: str, fold: int | None = None) -> dt.datetime:
    """The UTC instant of a wall-clock time in `tz`.

    A time skipped when the clocks go forward raises NonexistentTime; a time that happens twice
    when they go back raises AmbiguousTime unless `fold` picks the first (0) or second (1).
    """
    zone_info = zone(tz)
    first = naive.replace(tzinfo=zone_info, fold=0)
    second = naive.replace(tzinfo=zone_info, fold=1)
    round_trip = first.astimezone(dt.UTC).astimezone(zone_info).replace(tzinfo=None)
    if round_trip != naive.replace(tzinfo=None, fold=0):
        raise NonexistentTime(naive)
    if first.utcoffset() != second.utcoffset():
        if fold is None:
            raise AmbiguousTime(naive)
        return (second if fold else first).astimezone(dt.UTC)
    return first.astimezone(dt.UTC)


def utc_to_local_naive(instant: dt.datetime | None, tz: str) -> dt.datetime | None:
    """The wall-clock time (without zone) an instant shows in `tz`, for a form field."""
    return None if instant is None else to_zone(instant, tz).replace(tzinfo=None)
