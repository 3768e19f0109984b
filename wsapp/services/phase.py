"""Where a workshop stands at an instant: call for papers, waiting, the day, or afterwards."""

import datetime as dt
import enum
from dataclasses import dataclass

from wsapp.models import ImportantDate, ScheduleItem, Workshop
from wsapp.timezones.formats import venue_instant


class Phase(enum.StrEnum):
    CFP = "cfp"  # submissions are open: the home page leads with the call and its countdown
    UPCOMING = "upcoming"  # submissions closed, the workshop is still ahead
    LIVE = "live"  # the workshop day(s): now and next, and the vote once voting exists
    AFTER = "after"  # the program and the results


@dataclass(frozen=True)
class NowNext:
    current: tuple[ScheduleItem, ...]  # every item running at the instant (they may overlap)
    next: ScheduleItem | None  # the first item starting later


def event_window(workshop: Workshop, items: list[ScheduleItem]) -> tuple[dt.datetime, dt.datetime]:
    """From the venue's midnight on the first day to the end of the last item (or last day)."""
    first_day = workshop.start_date or (
        items[0].start_dt.astimezone(dt.UTC).date() if items else None
    )
    if first_day is None:
        raise ValueError("a workshop without dates or schedule has no event window")
    start = venue_instant(first_day, dt.time(0, 0), workshop.timezone)
    if items:
        start = min(start, min(item.start_dt for item in items))
        return start, max(item.end_dt for item in items)
    last_day = (workshop.end_date or first_day) + dt.timedelta(days=1)
    return start, venue_instant(last_day, dt.time(0, 0), workshop.timezone)


def submission_deadline(dates: list[ImportantDate]) -> ImportantDate | None:
    return next((d for d in dates if d.is_submission_deadline and d.due_dt), None)


def current_phase(
    workshop: Workshop, dates: list[ImportantDate], items: list[ScheduleItem], now: dt.datetime
) -> Phase:
    deadline = submission_deadline(dates)
    if workshop.start_date is None and not items:
        return Phase.CFP if deadline and now < deadline.due_dt else Phase.UPCOMING
    start, end = event_window(workshop, items)
    if now >= end:
        return Phase.AFTER
    if now >= start:
        return Phase.LIVE
    return Phase.CFP if deadline and now < deadline.due_dt else Phase.UPCOMING


def now_and_next(items: list[ScheduleItem], now: dt.datetime) -> NowNext:
    """The items running at `now` and the first one after them (items sorted by start)."""
    current = tuple(item for item in items if item.start_dt <= now < item.end_dt)
    upcoming = (item for item in items if item.start_dt > now)
    return NowNext(current, next(upcoming, None))
