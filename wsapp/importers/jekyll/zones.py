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
    "nashville": ("America/Chicago", "USA"),
    "tucson": ("America/Phoenix", "USA"),
    "phoenix": ("America/Phoenix", "USA"),
    "atlanta": ("America/New_York", "USA"),
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
# A label that names no city: the zone these abbreviations stand for (said in the report).
ABBREVIATION_ZONES = {
    "GST": "Asia/Dubai", "CET": "Europe/Paris", "CEST": "Europe/Paris", "BST": "Europe/London",
    "EET": "Europe/Athens", "EEST": "Europe/Athens", "WET": "Europe/Lisbon", "JST": "Asia/Tokyo",
    "KST": "Asia/Seoul", "SGT": "Asia/Singapore", "IST": "Asia/Kolkata", "HKT": "Asia/Hong_Kong",
    "AEST": "Australia/Sydney", "AEDT": "Australia/Sydney", "NZST": "Pacific/Auckland",
    "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles", "MST": "America/Denver",
    "MDT": "America/Denver", "CST": "America/Chicago", "CDT": "America/Chicago",
    "EST": "America/New_York", "EDT": "America/New_York", "HST": "Pacific/Honolulu",
    "UTC": "UTC", "GMT": "UTC",
}  # fmt: skip
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
    zonal = [a for a in abbreviations if a in ABBREVIATION_ZONES]
    abbreviation = (zonal or abbreviations or [None])[0]
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


def names_zone(text: str) -> bool:
    """True for a sentence or heading that says which zone times are in."""
    abbreviation, city, offset = parse_label(text)
    if city and city_zone(city) or IANA_NAME.search(text):
        return True
    if re.search(r"\btimes?\b", text, re.I) and known_cities(text):
        return True  # "All times are in Singapore Time"
    if re.search(r"\b(time|times|timezone|time zone)\b", text, re.I):
        return bool(offset is not None or abbreviation in ABBREVIATION_ZONES
                    or re.search(r"\b(UTC|GMT)\b", text))  # fmt: skip
    return False


def label_in_heading(context: str) -> str:
    """ "(CET)" or "(times in PST, Vancouver)" in a heading: the zone statement, else ""."""
    for m in re.finditer(r"\(([^)]*)\)", context):
        if names_zone(m[1]) or (m[1].strip() in ABBREVIATION_ZONES):
            return m[1].strip()
    own = context.rsplit(" / ", 1)[-1]
    return own if re.search(r"\btimes?\b", own, re.I) and names_zone(own) else ""


def resolve(label: str, override: str | None, day: dt.date, warn, place: str = "") -> Venue:
    """The venue zone: --timezone if given, else the label's IANA name or city, else a city
    the site names (`place`) that agrees with the label, else the label's abbreviation or
    offset alone; the label's abbreviation and offset are checked against it."""
    named = next((z for z in IANA_NAME.findall(label) if z in _zones()), None)
    abbreviation, city, offset = parse_label(label.replace(named, " ") if named else label)
    found = (named, "") if named else city_zone(city) if city else None
    if found is None and known_cities(label):
        city = known_cities(label)[0]  # "... Music City Center, Nashville. All times ..."
        found = CITIES[city]
        city = city.title()
    place_like = bool(city and re.fullmatch(r"(?:[A-Z][\w'.-]*\s?){1,3}", city.strip()))
    if found is None and not override and label and not place_like:
        found, city = _without_city(label, abbreviation, offset, place, day, warn)
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


def _without_city(label, abbreviation, offset, place, day, warn):
    """The zone of a label with no city: a city the site names, if its zone agrees with the
    label on the day; else the abbreviation's usual zone, or a fixed offset."""
    for city in known_cities(place):
        tz, country = CITIES[city]
        local = dt.datetime.combine(day, dt.time(12), tzinfo=zone(tz))
        actual = local.tzname() or ""
        if offset is not None:
            agrees = local.utcoffset() == offset
        else:
            agrees = (
                not abbreviation or not actual[:1].isalpha() or _same_family(abbreviation, actual)
            )
        if agrees:
            return (tz, country), city.title()
    if offset is None and abbreviation is None and re.search(r"\b(UTC|GMT)\b", label):
        return ("UTC", ""), ""  # "Time (UTC)": a virtual event's times, in UTC itself
    if abbreviation in ABBREVIATION_ZONES:
        tz = ABBREVIATION_ZONES[abbreviation]
        warn(f"schedule label {label!r} names no city: {abbreviation} is read as {tz} "
             "(pass --timezone with the venue's zone if it is another)")  # fmt: skip
        return (tz, ""), ""
    if offset is not None and offset.seconds % 3600 == 0:
        hours = int(offset.total_seconds() // 3600)
        tz = "UTC" if hours == 0 else f"Etc/GMT{-hours:+d}"
        warn(f"schedule label {label!r} names only an offset: times are read in {tz}, a zone "
             "without summer time (pass --timezone with the venue's zone)")  # fmt: skip
        return (tz, ""), ""
    return None, None


def _same_family(written: str, actual: str) -> bool:
    """ "CET" written in summer for CEST, "EST" for EDT: the same zone's other half."""
    strip = re.compile(r"(S|D)?T$")
    return written == actual or strip.sub("", written) == strip.sub("", actual)


def known_cities(text: str) -> list[str]:
    """The conference cities a text names, in the order it names them."""
    lower = text.casefold()
    found = [(lower.find(city), city) for city in CITIES if re.search(rf"\b{city}\b", lower)]
    return [city for _, city in sorted(found)]


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
