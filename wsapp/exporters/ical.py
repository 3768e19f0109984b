"""iCalendar (RFC 5545): the whole schedule, one item ("Add to calendar") and the important dates.

Instants are written in UTC, which every calendar converts to its own zone; UIDs come from
`ExportContext.stable_id`, so re-importing after an edit updates the event.
"""

import datetime as dt

from flask_babel import gettext as _
from icalendar import Calendar, Event

from wsapp.exporters.base import BaseExporter
from wsapp.models import ImportantDate, ScheduleItem
from wsapp.services.richtext import plain_text
from wsapp.timezones.formats import format_deadline


class _ICalExporter(BaseExporter):
    content_type = "text/calendar; charset=utf-8"
    extension = "ics"

    def calendar(self, name: str) -> Calendar:
        workshop = self.context.workshop
        cal = Calendar()
        cal.add("prodid", "-//wsapp//workshop schedule//EN")
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("method", "PUBLISH")
        cal.add("name", name)  # RFC 7986
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", workshop.timezone)
        return cal

    def item_event(self, item: ScheduleItem) -> Event:
        ctx = self.context
        event = Event()
        event.add("uid", str(ctx.stable_id("item", item.id)))
        event.add("dtstamp", ctx.stamp)
        event.add("dtstart", item.start_dt.astimezone(dt.UTC))
        event.add("dtend", item.end_dt.astimezone(dt.UTC))
        title = f"{item.label}: {item.title}" if item.title else item.label
        event.add("summary", f"{title} ({ctx.workshop.short_name or ctx.workshop.title})")
        parts = [ctx.people_line(item), plain_text(item.abstract_md)]
        event.add("description", "\n\n".join(part for part in parts if part))
        event.add("location", _location(ctx.workshop))
        event.add("url", ctx.item_url(item))
        event.add("categories", [item.kind_label])
        if item.is_break:
            event.add("transp", "TRANSPARENT")
        return event

    def get_data(self) -> str:
        raise NotImplementedError


def _location(workshop) -> str:
    return ", ".join(
        part for part in (workshop.room, workshop.venue, workshop.city, workshop.country) if part
    )


class ScheduleICalExporter(_ICalExporter):
    identifier = "schedule"

    def get_data(self) -> str:
        cal = self.calendar(self.context.workshop.display_name)
        for item in self.context.items:
            cal.add_component(self.item_event(item))
        return cal.to_ical().decode("utf-8")


class ItemICalExporter(_ICalExporter):
    """One schedule item: the "Add to calendar" link on its row."""

    def __init__(self, context, item: ScheduleItem):
        super().__init__(context)
        self.item = item

    @property
    def identifier(self) -> str:
        return f"item-{self.item.id}"

    def get_data(self) -> str:
        cal = self.calendar(self.context.workshop.display_name)
        cal.add_component(self.item_event(self.item))
        return cal.to_ical().decode("utf-8")


class DatesICalExporter(_ICalExporter):
    """The important dates: deadlines at their instant, dates alone as all-day events."""

    identifier = "dates"

    def date_event(self, date: ImportantDate) -> Event:
        ctx, locale = self.context, self.context.locale
        event = Event()
        event.add("uid", str(ctx.stable_id("date", date.id)))
        event.add("dtstamp", ctx.stamp)
        name = ctx.workshop.short_name or ctx.workshop.title
        event.add("summary", f"{date.label} ({name})")
        written = format_deadline(date.due_dt, date.due_date, date.timezone, locale)
        lines = [written] + [
            f"{_('was')} " + format_deadline(old.due_dt, old.due_date, old.timezone, locale)
            for old in date.earlier
        ]
        event.add("description", "\n".join(filter(None, lines + [date.note])))
        event.add("url", ctx.dates_url)
        if date.due_dt is not None:
            event.add("dtstart", date.due_dt.astimezone(dt.UTC))
        else:
            event.add("dtstart", date.due_date)
            event.add("dtend", date.due_date + dt.timedelta(days=1))
            event.add("transp", "TRANSPARENT")
        return event

    def get_data(self) -> str:
        cal = self.calendar(_("Important dates: %(name)s", name=self.context.workshop.display_name))
        for date in self.context.dates:
            cal.add_component(self.date_event(date))
        return cal.to_ical().decode("utf-8")
