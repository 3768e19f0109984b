"""The schedule's timezone label ("CST/GMT-06:00, New Orleans") mapped to an IANA zone.

The city decides (a small table of conference cities, then any IANA zone named after the city);
the abbreviation and GMT offset are only checked against it, because they are easy to get wrong
(the 2024 seed says PDT for a December day in Vancouver).
"""

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from zoneinfo import available_timezones

from wsapp.timezones.formats import gmt_offset, zone

# City -> (IANA zone, country). Conference cities first; any "Region/City" zone also matches.
CITIES = {
    "new orleans": ("America/Chicago", "USA"),
    "chicago": ("America/Chicago", "USA"),
    "austin": ("America/Chicago", "USA"),
    "vancouver": ("America/Vancouver", "Canada"),
    "montreal": ("America/Toronto", "Canada"),
    "montréal": ("America/Toronto", "Canada"),
    "toronto": ("America/Toronto", "Canada"),
    "long beach": ("America/Los_Angeles", "USA"),
    "los angeles": ("America/Los_Angeles", "USA"),
    "san diego": ("America/Los_Angeles", "USA"),
    "san francisco": ("America/Los_Angeles", "USA"),
    "seattle": ("America/Los_Angeles", "USA"),
    "baltimore": ("America/New_York", "USA"),
    "new york": ("America/New_York", "USA"),
    "boston": ("America/New_York", "USA"),
    "philadelphia": ("America/New_York", "USA"),
    "washington": ("America/New_York", "USA"),
    "miami": ("America/New_York", "USA"),
    "denver": ("America/Denver", "USA"),
    "salt lake city": ("America/Denver", "USA"),
    "honolulu": ("Pacific/Honolulu", "USA"),
    "mexico city": ("America/Mexico_City", "Mexico"),
    "vienna": ("Europe/Vienna", "Austria"),
    "paris": ("Europe/Paris", "France"),
    "nice": ("Europe/Paris", "France"),
    "lyon": ("Europe/Paris", "France"),
    "marseille": ("Europe/Paris", "France"),
    "london": ("Europe/London", "UK"),
    "edinburgh": ("Europe/London", "UK"),
    "dublin": ("Europe/Dublin", "Ireland"),
    "berlin": ("Europe/Berlin", "Germany"),
    "munich": ("Europe/Berlin", "Germany"),
    "amsterdam": ("Europe/Amsterdam", "Netherlands"),
    "copenhagen": ("Europe/Copenhagen", "Denmark"),
    "stockholm": ("Europe/Stockholm", "Sweden"),
    "zurich": ("Europe/Zurich", "Switzerland"),
    "zürich": ("Europe/Zurich", "Switzerland"),
    "geneva": ("Europe/Zurich", "Switzerland"),
    "milan": ("Europe/Rome", "Italy"),
    "rome": ("Europe/Rome", "Italy"),
    "madrid": ("Europe/Madrid", "Spain"),
    "barcelona": ("Europe/Madrid", "Spain"),
    "lisbon": ("Europe/Lisbon", "Portugal"),
    "prague": ("Europe/Prague", "Czechia"),
    "athens": ("Europe/Athens", "Greece"),
    "istanbul": ("Europe/Istanbul", "Türkiye"),
    "tel aviv": ("Asia/Jerusalem", "Israel"),
    "abu dhabi": ("Asia/Dubai", "UAE"),
    "dubai": ("Asia/Dubai", "UAE"),
    "kigali": ("Africa/Kigali", "Rwanda"),
    "addis ababa": ("Africa/Addis_Ababa", "Ethiopia"),
    "singapore": ("Asia/Singapore", "Singapore"),
    "bangkok": ("Asia/Bangkok", "Thailand"),
    "hong kong": ("Asia/Hong_Kong", "China"),
    "beijing": ("Asia/Shanghai", "China"),
    "shanghai": ("Asia/Shanghai", "China"),
    "taipei": ("Asia/Taipei", "Taiwan"),
    "seoul": ("Asia/Seoul", "South Korea"),
    "jeju": ("Asia/Seoul", "South Korea"),
    "tokyo": ("Asia/Tokyo", "Japan"),
    "yokohama": ("Asia/Tokyo", "Japan"),
    "bangalore": ("Asia/Kolkata", "India"),
    "bengaluru": ("Asia/Kolkata", "India"),
    "mumbai": ("Asia/Kolkata", "India"),
    "new delhi": ("Asia/Kolkata", "India"),
    "sydney": ("Australia/Sydney", "Australia"),
    "melbourne": ("Australia/Melbourne", "Australia"),
    "auckland": ("Pacific/Auckland", "New Zealand"),
    "rio de janeiro": ("America/Sao_Paulo", "Brazil"),
    "são paulo": ("America/Sao_Paulo", "Brazil"),
    "sao paulo": ("America/Sao_Paulo", "Brazil"),
    "buenos aires": ("America/Argentina/Buenos_Aires", "Argentina"),
}

OFFSET = re.compile(r"\b(?:GMT|UTC)\s*([+-−])\s*(\d{1,2})(?::?(\d\d))?", re.I)
ABBREVIATION = re.compile(r"\b([A-Z]{2,5})\b")
NOT_ZONES = {"GMT", "UTC", "AM", "PM"}
IANA_NAME = re.compile(r"\b[A-Z][A-Za-z_]+(?:/[A-Za-z0-9_+-]+)+")
PASS_TIMEZONE = "pass --timezone with the venue's IANA zone, e.g. --timezone America/Chicago"


class ZoneError(ValueError):
    """The page does not say which zone its times are in; the message says what to pass."""


@dataclass(frozen=True)
class Venue:
    timezone: str
    city: str
    country: str
    label: str  # as written, "" if none


def parse_label(label: str) -> tuple[str | None, str | None, dt.timedelta | None]:
    """ "CST/GMT-06:00, New Orleans" -> ("CST", "New Orleans", -6 h); parts may be None."""
    offset = None
    m = OFFSET.search(label)
    if m:
        sign = -1 if m[1] in "-−" else 1
        offset = sign * dt.timedelta(hours=int(m[2]), minutes=int(m[3] or 0))
    rest = OFFSET.sub(" ", label)
    abbreviations = [a for a in ABBREVIATION.findall(rest) if a not in NOT_ZONES]
    abbreviation = abbreviations[0] if abbreviations else None
    candidates = []
    for part in re.split(r"[,/;()]", rest):
        words = " ".join(w for w in part.strip(" .:").split() if w != abbreviation)
        if words and not words.isupper():
            candidates.append(words)
    # "All times are in CEST (Paris)": the part that is a known city, else the first one.
    city = next((c for c in candidates if city_zone(c)), candidates[0] if candidates else None)
    return abbreviation, city, offset


def city_zone(city: str) -> tuple[str, str] | None:
    """The IANA zone and country of a city, from the table or an IANA name ending in it."""
    key = city.strip().casefold()
    if key in CITIES:
        return CITIES[key]
    suffix = "/" + key.replace(" ", "_")
    matches = sorted(z for z in _zones() if z.casefold().endswith(suffix))
    return (matches[0], "") if len(matches) == 1 else None


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def resolve(label: str, override: str | None, day: dt.date, warn) -> Venue:
    """The venue zone: --timezone if given, else the label's IANA name or city; the label's
    abbreviation and offset are checked against it."""
    named = next((z for z in IANA_NAME.findall(label) if z in _zones()), None)
    abbreviation, city, offset = parse_label(label.replace(named, " ") if named else label)
    found = (named, "") if named else city_zone(city) if city else None
    if override:
        try:
            zone(override)
        except ValueError as exc:
            raise ZoneError(f"--timezone {override!r} is not an IANA time zone name") from exc
        tz, country = override, (found[1] if found and found[0] == override else "")
    elif found:
        tz, country = found
    elif not label:
        raise ZoneError(
            "the schedule does not say which time zone its times are in (no label such as "
            "'Start Time (CST/GMT-06:00, New Orleans)'); " + PASS_TIMEZONE
        )
    else:
        why = f"names no city I can map to a zone ({city!r})" if city else "is ambiguous (no city)"
        raise ZoneError(f"the schedule's timezone label {label!r} {why}; " + PASS_TIMEZONE)
    if label:
        _check(label, tz, abbreviation, offset, day, warn)
    return Venue(tz, city or "", country, label)


def _check(label, tz, abbreviation, offset, day, warn) -> None:
    local = dt.datetime.combine(day, dt.time(12), tzinfo=zone(tz))
    actual_abbr, actual_offset = local.tzname() or "", local.utcoffset()
    problems = []
    if offset is not None and offset != actual_offset:
        problems.append(f"offset {gmt_offset(local.replace(tzinfo=dt.timezone(offset)))}")
    if abbreviation and abbreviation != actual_abbr and actual_abbr[:1].isalpha():
        problems.append(f"abbreviation {abbreviation}")
    if problems:
        warn(
            f"schedule label {label!r}: its {' and '.join(problems)} do not match {tz}, which is "
            f"{actual_abbr}/{gmt_offset(local)} on {day.isoformat()}; the times are read as "
            f"wall-clock times in {tz} (pass --timezone to choose another zone)"
        )
