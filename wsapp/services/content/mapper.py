"""One record's fields to and from the content format, as its kind declares them.

Reading checks every value by the rules the web forms apply (wsapp/rules.py and the column's own
type and length), so a file cannot store what the organizer area would refuse; a refusal names
the record and the field.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Boolean, Integer, String, Text, inspect
from sqlalchemy.types import JSON

from wsapp import rules
from wsapp.models import Image, Paper, Person, Series
from wsapp.models.record import Field, In
from wsapp.services.content.documents import read_document, write_document
from wsapp.services.content.images import ImageRefError, image_key, image_ref
from wsapp.services.content.values import ContentError, day, instant, iso


@dataclass
class Context:
    """What reading or writing a workshop's records refers to: its zone, people, papers, images."""

    tz: str = "UTC"
    people: dict[str, Person] = field(default_factory=dict)
    series: dict[str, Series] = field(default_factory=dict)  # the file's series, by slug
    images: dict[str, Image] = field(default_factory=dict)
    papers: dict[str, Paper] = field(default_factory=dict)
    paper_keys: dict[int, str] = field(default_factory=dict)  # writing: paper id -> key
    links: list = field(default_factory=list)  # reading: (record, attr, [people]) to set later
    dry: bool = False  # checking only: records are never stored, nothing is looked up

    instant = staticmethod(instant)
    day = staticmethod(day)
    iso = staticmethod(iso)

    def zone(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not rules.is_valid_zone(value):
            raise ContentError(f"{where}: {value!r} is not an IANA time zone such as Europe/Paris")
        return value

    def person(self, key: Any, where: str) -> Person | None:
        if key is None:
            return None
        if key not in self.people:
            raise ContentError(f"{where}: unknown person key {key!r}")
        return self.people[key]

    def series_named(self, slug: Any, where: str) -> Series | None:
        if slug is None:
            return None
        if not isinstance(slug, str) or slug not in self.series:
            raise ContentError(f"{where}: unknown series {slug!r} (list it under 'series')")
        return self.series[slug]

    def paper(self, key: Any, where: str) -> Paper | None:
        if key is None:
            return None
        if key not in self.papers:
            raise ContentError(f"{where}: unknown paper key {key!r}")
        return self.papers[key]

    def image(self, key: Any, kind, where: str) -> Image | None:
        try:
            return image_ref(self.images, key, kind, f"{where} {kind.value}")
        except ImageRefError as exc:
            raise ContentError(str(exc)) from None


MISSING = object()


def _get(entry: dict, key: str, missing=None):
    for part in key.split("."):
        if not isinstance(entry, dict) or part not in entry:
            return missing
        entry = entry[part]
    return entry


def _put(row: dict, key: str, value) -> None:
    *parents, last = key.split(".")
    for part in parents:
        row = row.setdefault(part, {})
    row[last] = value


def read(obj, entry: Any, context: Context, where: str) -> None:
    """Set the record's fields from a file's entry; ContentError names what is wrong."""
    if not isinstance(entry, dict):
        raise ContentError(f"{where}: expected a mapping of fields, got {entry!r}")
    for spec in type(obj).__record__.fields:
        here = f"{where} {spec.key}"
        value = _get(entry, spec.key, MISSING)
        if value is MISSING and spec.inherit:
            setattr(obj, spec.name, _inherited(obj, spec))
            continue
        value = None if value is MISSING else value
        if spec.kind is In.CUSTOM:
            obj.read_custom(spec, value, context, here)
        elif spec.kind is In.PEOPLE:
            people = value or []
            if not isinstance(people, list):
                raise ContentError(f"{here}: expected a list of person keys")
            context.links.append((obj, spec.name, [context.person(k, here) for k in people]))
        elif spec.kind is not In.KEY:
            setattr(obj, spec.name, _value(obj, spec, value, context, here))
    obj.after_load()
    for problem in obj.content_errors():
        raise ContentError(f"{where}: {problem}")


def _inherited(obj, spec: Field):
    value = obj
    for part in spec.inherit.split("."):
        value = getattr(value, part, None) if value is not None else None
    return "" if value is None and spec.kind is In.TEXT else value


def _value(obj, spec: Field, value, context: Context, where: str):
    kind = spec.kind
    if kind is In.INSTANT:
        return _in_years(context.instant(value, where), where)
    if kind is In.DATE:
        return _in_years(context.day(value, where), where)
    if kind is In.PERSON:
        return context.person(value, where)
    if kind is In.PAPER:
        return context.paper(value, where)
    if kind is In.IMAGE:
        return context.image(value, spec.of, where)
    if kind is In.DOCUMENT:
        return read_document(value, where, store=not context.dry)
    if kind is In.ENUM:
        if value is None:
            return _default(spec)
        try:
            return spec.of(value)
        except ValueError:
            allowed = ", ".join(m.value for m in spec.of)
            raise ContentError(
                f"{where}: unknown {spec.key} {value!r} (one of {allowed})"
            ) from None
    if kind is In.BOOL:
        if value is None:
            return bool(_default(spec))
        if not isinstance(value, bool):
            raise ContentError(f"{where}: expected true or false, got {value!r}")
        return value
    if kind is In.REQUIRED and (value is None or value == ""):
        raise ContentError(f"{where}: is required")
    if value is None:
        value = "" if kind is In.TEXT else _default(spec)
    return _checked(obj, spec.name, value, context, where)


def _in_years(moment: dt.date | None, where: str):
    low, high = rules.YEARS
    if moment is not None and not low <= moment.year <= high:
        raise ContentError(f"{where}: give a year between {low} and {high}")
    return moment


def _default(spec: Field):
    return spec.default() if callable(spec.default) else spec.default


def _checked(obj, attr: str, value, context: Context, where: str):
    """The value, if its column and the shared rules accept it."""
    column = inspect(type(obj)).columns.get(attr)
    if column is None or value is None:
        return value
    kind = column.type
    if isinstance(kind, String | Text):
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)  # YAML reads "2023" and 1.5 as numbers
        if not isinstance(value, str):
            raise ContentError(f"{where}: expected text, got {value!r}")
        if "\x00" in value:
            raise ContentError(f"{where}: contains a NUL character")
        length = getattr(kind, "length", None)
        if length and len(value) > length:
            raise ContentError(f"{where}: longer than {length} characters")
        return _rule(attr, value, context, where)
    if isinstance(kind, Integer):
        low, high = rules.MIN_INT, rules.MAX_INT
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ContentError(f"{where}: expected a whole number, got {value!r}")
    if isinstance(kind, Boolean) and not isinstance(value, bool):
        raise ContentError(f"{where}: expected true or false, got {value!r}")
    if isinstance(kind, JSON) and not isinstance(value, list | dict):
        raise ContentError(f"{where}: expected a list, got {value!r}")
    return value


def _rule(attr: str, value: str, context: Context, where: str) -> str:
    if value == "":
        return value
    if attr.endswith("url") and not rules.is_http_url(value):
        raise ContentError(f"{where}: {value!r} is not a web address starting with https://")
    if attr == "timezone":
        return context.zone(value, where)
    if attr == "slug" and not rules.is_slug(value):
        raise ContentError(f"{where}: {value!r} is not lower-case letters, digits and dashes")
    if attr.endswith("email") and not rules.is_email(value):
        raise ContentError(f"{where}: {value!r} is not an e-mail address")
    return value


def write(obj, context: Context) -> dict:
    """The record's fields as the file writes them."""
    row: dict = {}
    for spec in type(obj).__record__.fields:
        _put(row, spec.key, _written(obj, spec, context))
    return row


def _written(obj, spec: Field, context: Context):
    kind = spec.kind
    if kind is In.CUSTOM:
        return obj.write_custom(spec, context)
    if kind is In.KEY:
        return context.paper_keys[obj.id]
    value = getattr(obj, spec.name)
    if kind is In.INSTANT:
        zone = getattr(obj, spec.zone) if spec.zone else context.tz
        return context.iso(value, zone)
    if kind is In.DATE:
        return value.isoformat() if value else None
    if kind in (In.PERSON,):
        return value.key if value is not None else None
    if kind is In.PEOPLE:
        return [p.key for p in value]
    if kind is In.PAPER:
        return context.paper_keys.get(value.id) if value is not None else None
    if kind is In.IMAGE:
        return image_key(value)
    if kind is In.DOCUMENT:
        return write_document(value)
    if kind is In.ENUM:
        return value.value if value is not None else None
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
