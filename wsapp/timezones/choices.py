"""The zones a viewer can choose from, grouped by region with their offsets at a given instant."""

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from flask_babel import lazy_gettext as _l

from wsapp.timezones.formats import gmt_offset, known_zones, zone

REGIONS = (
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)

REGION_LABELS = {
    "Africa": _l("Africa"),
    "America": _l("Americas"),
    "Antarctica": _l("Antarctica"),
    "Arctic": _l("Arctic"),
    "Asia": _l("Asia"),
    "Atlantic": _l("Atlantic"),
    "Australia": _l("Australia"),
    "Europe": _l("Europe"),
    "Indian": _l("Indian Ocean"),
    "Pacific": _l("Pacific"),
    "UTC": _l("UTC and fixed offsets"),
    "Other": _l("Other names (older aliases)"),
}


@dataclass(frozen=True)
class ZoneChoice:
    name: str  # "America/Argentina/Buenos_Aires"
    label: str  # "Buenos Aires, Argentina (GMT-03:00)": the city first, for type-ahead


@dataclass(frozen=True)
class ZoneGroup:
    region: str
    zones: tuple[ZoneChoice, ...]

    @property
    def label(self) -> str:
        return str(REGION_LABELS.get(self.region, self.region))


def place(name: str) -> str:
    """ "Buenos Aires, Argentina" for America/Argentina/Buenos_Aires; "UTC" for UTC."""
    parts = name.replace("_", " ").split("/")[1:] or [name]
    return ", ".join(reversed(parts))


def listed_zones() -> tuple[str, ...]:
    """Every IANA zone this server knows, except the host's "localtime" and tzdata's "Factory"."""
    return tuple(sorted(known_zones() - {"localtime", "Factory", "posixrules"}))


def region_of(name: str) -> str:
    first = name.split("/")[0]
    if first in REGIONS:
        return first
    return "UTC" if first in ("UTC", "Etc") else "Other"


def zone_groups(at: dt.datetime) -> tuple[ZoneGroup, ...]:
    """Every listed zone by region, labelled with its offset at `at` (cached per hour)."""
    return _groups(at.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0))


@lru_cache(maxsize=4)
def _groups(hour: dt.datetime) -> tuple[ZoneGroup, ...]:
    grouped: dict[str, list[ZoneChoice]] = {}
    for name in listed_zones():
        region = region_of(name)
        where = place(name) if region in REGIONS else name
        label = f"{where} ({gmt_offset(hour.astimezone(zone(name)))})"
        grouped.setdefault(region, []).append(ZoneChoice(name, label))
    return tuple(
        ZoneGroup(region, tuple(sorted(choices, key=lambda c: c.label)))
        for region, choices in sorted(grouped.items(), key=lambda kv: (kv[0] not in REGIONS, kv[0]))
    )
