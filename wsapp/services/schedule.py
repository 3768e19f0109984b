"""The schedule as a page shows it: converted to a zone, then grouped into days and blocks."""

import datetime as dt
from dataclasses import dataclass, field
from itertools import groupby

from wsapp.models import ScheduleItem
from wsapp.services.timefmt import format_clock, format_day, to_zone


@dataclass
class Row:
    item: ScheduleItem
    start: dt.datetime  # in the display zone
    end: dt.datetime
    start_text: str
    end_text: str


@dataclass
class Day:
    date: dt.date
    heading: str
    blocks: list[list[Row]] = field(default_factory=list)


def build_days(items: list[ScheduleItem], tz: str, locale: str) -> list[Day]:
    """Group items into days after converting them to `tz`, and each day into blocks."""
    rows = [
        Row(
            item=item,
            start=(start := to_zone(item.start_dt, tz)),
            end=(end := to_zone(item.end_dt, tz)),
            start_text=format_clock(start, locale),
            end_text=format_clock(end, locale),
        )
        for item in items
    ]
    days = []
    for date, day_rows in groupby(rows, key=lambda r: r.start.date()):
        day = Day(date=date, heading=format_day(date, locale))
        for _, block_rows in groupby(day_rows, key=lambda r: r.item.block):
            day.blocks.append(list(block_rows))
        days.append(day)
    return days
