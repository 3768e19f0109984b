"""The schedule as a page shows it: converted to a zone, then grouped into days and blocks."""

import datetime as dt
from dataclasses import dataclass, field
from itertools import groupby

from wsapp.models import ScheduleItem
from wsapp.services.phase import now_and_next
from wsapp.timezones.formats import format_clock, format_day, format_short_day, to_zone


@dataclass
class Row:
    item: ScheduleItem
    start: dt.datetime  # in the display zone
    end: dt.datetime
    start_text: str
    end_text: str
    end_day: str = ""  # "Sat, Dec 16" when the item ends on a later day than it starts
    venue_start: dt.datetime | None = None  # set when the display zone is not the venue's
    venue_text: str = ""
    venue_day: str = ""  # "Fri, Dec 15" when the venue's calendar day differs from the shown one
    state: str = ""  # "now" while it runs, "next" for the first item after


@dataclass
class Day:
    date: dt.date
    heading: str
    blocks: list[list[Row]] = field(default_factory=list)


def build_row(item: ScheduleItem, tz: str, locale: str, venue_tz: str | None = None) -> Row:
    """One item in `tz`, with the venue's clock beside it when `venue_tz` is another zone."""
    start, end = to_zone(item.start_dt, tz), to_zone(item.end_dt, tz)
    row = Row(
        item=item,
        start=start,
        end=end,
        start_text=format_clock(start, locale),
        end_text=format_clock(end, locale),
        end_day=format_short_day(end.date(), locale) if end.date() > start.date() else "",
    )
    if venue_tz and venue_tz != tz:
        row.venue_start = to_zone(item.start_dt, venue_tz)
        row.venue_text = format_clock(row.venue_start, locale)
        if row.venue_start.date() != start.date():
            row.venue_day = format_short_day(row.venue_start.date(), locale)
    return row


def build_days(
    items: list[ScheduleItem],
    tz: str,
    locale: str,
    venue_tz: str | None = None,
    now: dt.datetime | None = None,
) -> list[Day]:
    """Group items into days after converting them to `tz`, and each day into blocks.

    With `now`, the running items are marked "now" and the first one after them "next".
    """
    rows = [build_row(item, tz, locale, venue_tz) for item in items]
    if now is not None:
        marks = now_and_next(items, now)
        running = {id(item) for item in marks.current}
        for row in rows:
            if id(row.item) in running:
                row.state = "now"
            elif row.item is marks.next:
                row.state = "next"
    days = []
    for date, day_rows in groupby(rows, key=lambda r: r.start.date()):
        day = Day(date=date, heading=format_day(date, locale))
        for _, block_rows in groupby(day_rows, key=lambda r: r.item.block):
            day.blocks.append(list(block_rows))
        days.append(day)
    return days
