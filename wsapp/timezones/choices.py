"""The zones a viewer can choose from, grouped by region with their offsets at a given instant."""

import datetime as dt
import unicodedata
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


# The zones most visitors of a conference come from, one per populous offset and region; every
# page's picker offers these (and the viewer's current zone), the time-zones page the rest.
COMMON = (
    "UTC",
    "Pacific/Honolulu",
    "America/Los_Angeles",
    "America/Denver",
    "America/Chicago",
    "America/Mexico_City",
    "America/New_York",
    "America/Toronto",
    "America/Bogota",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
    "Europe/London",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Zurich",
    "Africa/Lagos",
    "Africa/Cairo",
    "Africa/Johannesburg",
    "Europe/Athens",
    "Africa/Nairobi",
    "Europe/Moscow",
    "Asia/Jerusalem",
    "Asia/Dubai",
    "Asia/Tehran",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Ho_Chi_Minh",
    "Asia/Jakarta",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Seoul",
    "Asia/Tokyo",
    "Australia/Perth",
    "Australia/Brisbane",
    "Australia/Sydney",
    "Pacific/Auckland",
)


def common_choices(at: dt.datetime) -> tuple[ZoneChoice, ...]:
    """The common zones this server knows, labelled with their offsets at `at`, west to east."""
    hour = at.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    by_name = {choice.name: choice for group in _groups(hour) for choice in group.zones}
    known = [by_name[name] for name in COMMON if name in by_name]
    return tuple(sorted(known, key=lambda c: (hour.astimezone(zone(c.name)).utcoffset(), c.label)))


def _folded(text: str) -> str:
    """Lower case, accents and underscores away: "São_Paulo" and "sao paulo" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.replace("_", " ").casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _preferred(choices: list[ZoneChoice]) -> list[ZoneChoice]:
    """Of zones that name one place, the current name: one in a region, a common one, the
    longest ("America/Argentina/Buenos_Aires"; "America/Buenos_Aires" is an older alias)."""
    current = [c for c in choices if region_of(c.name) in REGIONS] or choices
    current = [c for c in current if c.name in COMMON] or current
    deepest = max((c.name.count("/") for c in current), default=0)
    return [c for c in current if c.name.count("/") == deepest]


def search(query: str, at: dt.datetime) -> tuple[ZoneChoice, ...]:
    """The zones whose name or label (city, country) contains `query`, current names first;
    the one zone whose name, city or label is `query` alone, if there is one."""
    wanted = _folded(query)
    if not wanted:
        return ()
    choices = [c for group in zone_groups(at) for c in group.zones]
    exact = _preferred(
        [c for c in choices if wanted in (_folded(c.name), _folded(c.name.rsplit("/", 1)[-1]),
                                          _folded(place(c.name)))]
    )  # fmt: skip
    if len(exact) == 1:
        return tuple(exact)
    found = [c for c in choices if wanted in _folded(c.name) or wanted in _folded(c.label)]
    return tuple(found)
