"""The frab/c3voc schedule format, as schedule.xml and schedule.json.

Conference apps (Giggity, EventFahrplan, ConfClerk) read it. Days and clock times are the
venue's, as frab writes them; every date-time carries its UTC offset. The files validate against
the c3voc XSD and JSON Schema (copies in tests/fixtures/c3voc-schedule/).
"""

import json
import re
import unicodedata
from importlib import metadata
from itertools import groupby
from xml.etree import ElementTree as ET

from flask_babel import gettext as _

from wsapp.exporters.base import BaseExporter
from wsapp.models import ItemKind, ScheduleItem
from wsapp.services.richtext import plain_text
from wsapp.timezones.formats import to_zone

TYPES = {
    ItemKind.OPENING: "talk",
    ItemKind.INVITED_TALK: "talk",
    ItemKind.ORAL: "talk",
    ItemKind.CLOSING: "talk",
    ItemKind.PANEL: "discussion",
    ItemKind.POSTER_SESSION: "meeting",
    ItemKind.COFFEE_BREAK: "break",
    ItemKind.LUNCH_BREAK: "break",
    ItemKind.OTHER: "other",
}
# The JSON Schema admits only "Region/City" names or UTC as time_zone_name.
ZONE_NAME = re.compile(r"^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$")


def _slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:50].strip("-")


def _hhmm(seconds: float) -> str:
    minutes = int(seconds // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _generator() -> dict:
    try:
        return {"name": "wsapp", "version": metadata.version("wsapp")}
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return {"name": "wsapp"}


class _FrabExporter(BaseExporter):
    identifier = "schedule"
    disposition = "inline"

    @property
    def filename(self) -> str:
        return f"{self.context.workshop.slug}-schedule.{self.extension}"

    @property
    def acronym(self) -> str:
        return re.sub(r"[^a-z0-9_]", "_", self.context.workshop.slug.lower()).ljust(4, "_")

    @property
    def room(self) -> str:
        w = self.context.workshop
        return w.room or w.venue or w.short_name or w.title

    def days(self) -> list[tuple[int, list[ScheduleItem]]]:
        """The items by the venue's calendar day, numbered from 1."""
        tz = self.context.workshop.timezone
        grouped = groupby(self.context.items, key=lambda i: to_zone(i.start_dt, tz).date())
        return [(n, list(items)) for n, (_day, items) in enumerate(grouped, start=1)]

    def event(self, item: ScheduleItem) -> dict:
        ctx, tz = self.context, self.context.workshop.timezone
        start, end = to_zone(item.start_dt, tz), to_zone(item.end_dt, tz)
        words = _slugify(item.title or item.label)
        return {
            "id": item.id,
            "guid": str(ctx.stable_id("item", item.id)),
            "date": start.isoformat(),
            "start": start.strftime("%H:%M"),
            "end": end.isoformat(),
            "duration": _hhmm((item.end_dt - item.start_dt).total_seconds()),
            "room": self.room,
            "slug": f"{self.acronym}-{item.id}-{words}"
            if words
            else f"{self.acronym}-event-{item.id}",
            "url": ctx.item_url(item),
            "title": item.title or item.label,
            "subtitle": item.label if item.title else "",
            "track": item.kind_label,
            "type": TYPES[item.kind],
            "language": ctx.workshop.default_locale or "en",
            "abstract": plain_text(item.abstract_md),
            "description": ctx.people_line(item),
            # frab's form (id and public_name) for everyone: the c3voc schema admits a person
            # with `name` or with `public_name` and `id`, not with both (oneOf)
            "persons": [
                {"id": p.id, "guid": str(p.guid), "public_name": p.name, "role": p.role.value}
                for p in ctx.presenters(item)
            ],
            "links": self.links(item),
        }

    def links(self, item: ScheduleItem) -> list[dict]:
        paper = item.paper
        if paper is None:
            return []
        found = [
            (paper.paper_url, "paper", _("Paper")),
            (paper.openreview_url, "web", _("OpenReview")),
            (paper.code_url, "related", _("Code")),
        ]
        return [{"url": url, "type": kind, "title": title} for url, kind, title in found if url]

    def conference(self) -> dict:
        w, days = self.context.workshop, self.days()
        tz = w.timezone
        first = w.start_date or (to_zone(days[0][1][0].start_dt, tz).date() if days else None)
        last = w.end_date or (to_zone(days[-1][1][-1].start_dt, tz).date() if days else first)
        return {
            "acronym": self.acronym,
            "title": w.display_name,
            "start": first.isoformat() if first else "",
            "end": last.isoformat() if last else "",
            "daysCount": len(days),
            "timeslot_duration": "00:05",
            "time_zone_name": tz,
            "url": self.context.schedule_url,
        }

    def version(self) -> str:
        return self.context.workshop.updated_dt.strftime("%Y-%m-%d %H:%M")


class FrabJsonExporter(_FrabExporter):
    content_type = "application/json"
    extension = "json"

    def get_data(self) -> str:
        tz = self.context.workshop.timezone
        conference = self.conference()
        if not ZONE_NAME.search(conference["time_zone_name"]):
            del conference["time_zone_name"]
        conference["rooms"] = [{"name": self.room, "guid": str(self.context.stable_id("room", 1))}]
        conference["days"] = [
            {
                "index": index,
                "date": to_zone(items[0].start_dt, tz).date().isoformat(),
                "day_start": to_zone(items[0].start_dt, tz).isoformat(),
                "day_end": to_zone(max(i.end_dt for i in items), tz).isoformat(),
                "rooms": {self.room: [self.event(item) for item in items]},
            }
            for index, items in self.days()
        ]
        document = {
            "$schema": "https://c3voc.de/schedule/schema.json",
            "generator": _generator(),
            "schedule": {
                "version": self.version(),
                "base_url": self.context.base_url,
                "conference": conference,
            },
        }
        return json.dumps(document, ensure_ascii=False, indent=1)


class FrabXmlExporter(_FrabExporter):
    content_type = "application/vnd.c3voc.schedule+xml; charset=utf-8"  # IANA-registered
    extension = "xml"

    def get_data(self) -> str:
        tz = self.context.workshop.timezone
        root = ET.Element("schedule")
        ET.SubElement(root, "generator", _generator())
        ET.SubElement(root, "version").text = self.version()
        conference = ET.SubElement(root, "conference")
        for key, value in self.conference().items():
            tag = {"daysCount": "days"}.get(key, key)
            if value != "":
                ET.SubElement(conference, tag).text = str(value)
        ET.SubElement(conference, "base_url").text = self.context.base_url
        room_guid = str(self.context.stable_id("room", 1))
        for index, items in self.days():
            day = ET.SubElement(
                root,
                "day",
                index=str(index),
                date=to_zone(items[0].start_dt, tz).date().isoformat(),
                start=to_zone(items[0].start_dt, tz).isoformat(),
                end=to_zone(max(i.end_dt for i in items), tz).isoformat(),
            )
            room = ET.SubElement(day, "room", name=self.room, guid=room_guid)
            for item in items:
                room.append(self.event_element(self.event(item)))
        ET.indent(root)
        return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode")

    def event_element(self, event: dict) -> ET.Element:
        element = ET.Element("event", id=str(event["id"]), guid=event["guid"])
        for key in (
            "room",
            "title",
            "subtitle",
            "type",
            "date",
            "start",
            "duration",
            "abstract",
            "slug",
            "track",
            "language",
            "description",
            "url",
        ):
            ET.SubElement(element, key).text = event[key]
        persons = ET.SubElement(element, "persons")
        for person in event["persons"]:  # the XSD has no place for the role: see description
            attrs = {"id": str(person["id"]), "guid": person["guid"]}
            ET.SubElement(persons, "person", attrs).text = person["public_name"]
        links = ET.SubElement(element, "links")
        for link in event["links"]:
            ET.SubElement(links, "link", href=link["url"], type=link["type"]).text = link["title"]
        return element
