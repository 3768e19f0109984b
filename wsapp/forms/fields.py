"""Fields and validators the organizer forms share."""

import datetime as dt

from flask_babel import lazy_gettext as _l
from wtforms import Field, SelectChoice, StringField, TextAreaField
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import TextArea

from wsapp.rules import YEARS, is_http_url, is_slug
from wsapp.timezones import formats as timefmt


def blank_to_none(value):
    """A field filter: surrounding space removed, and an empty value stored as None."""
    return value.strip() if isinstance(value, str) and value.strip() else None


def strip(value):
    """A field filter: surrounding space removed."""
    return value.strip() if isinstance(value, str) else value


class MarkdownField(TextAreaField):
    """Markdown text: the form shows a live preview rendered like the public page."""


class LocalDateTimeField(StringField):
    """A wall-clock date and time (`datetime-local`), converted to UTC by the form's zone."""

    ambiguous = False  # set by to_utc for a time that happens twice
    FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("render_kw", {})["type"] = "datetime-local"
        super().__init__(*args, **kwargs)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%Y-%m-%dT%H:%M") if self.data else ""

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            return
        for fmt in self.FORMATS:
            try:
                value = dt.datetime.strptime(text, fmt)
            except ValueError:
                continue
            if not YEARS[0] <= value.year <= YEARS[1]:
                raise ValueError(_l("Give a year between 1900 and 2200."))
            self.data = value
            return
        raise ValueError(_l("Give a date and time such as 2024-12-15 08:30."))

    def to_utc(self, tz: str, fold: int | None = None) -> dt.datetime | None:
        """The UTC instant, or None; adds a field error for a skipped or repeated time."""
        if self.data is None:
            return None
        try:
            return timefmt.local_to_utc(self.data, tz, fold)
        except timefmt.NonexistentTime:
            self.errors.append(
                _l(
                    "This time does not exist in %(tz)s: the clocks jump forward "
                    "then. Choose another time.",
                    tz=tz,
                )
            )
        except timefmt.AmbiguousTime:
            self.ambiguous = True  # the form then offers the choice (whatever the language)
            self.errors.append(
                _l(
                    "This time happens twice in %(tz)s (the clocks go back). "
                    "Choose which one below.",
                    tz=tz,
                )
            )
        return None


class TimeRequired:
    """A date and time must be given (a badly typed one keeps its own message)."""

    def __call__(self, form, field):
        if field.data is None and not field.process_errors:
            raise StopValidation(_l("This field is required."))


class LinesField(TextAreaField):
    """One entry per line; blank lines are dropped."""

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "\n".join(self.data or [])

    def process_formdata(self, valuelist):
        text = valuelist[0] if valuelist else ""
        self.data = [line.strip() for line in text.splitlines() if line.strip()]


class TopicsField(TextAreaField):
    """A nested list typed as lines indented by two spaces per level."""

    widget = TextArea()

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "\n".join(format_topics(self.data or []))

    def process_formdata(self, valuelist):
        self.data = parse_topics(valuelist[0] if valuelist else "")


def format_topics(topics: list, level: int = 0) -> list[str]:
    lines = []
    for topic in topics:
        lines.append("  " * level + topic.get("text", ""))
        lines += format_topics(topic.get("children") or [], level + 1)
    return lines


def parse_topics(text: str) -> list:
    """Lines indented by two spaces per level into [{"text", "children"}]; ValueError if bad."""
    roots: list = []
    stack: list[list] = [roots]
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if "\t" in line[: len(line) - len(line.lstrip())]:
            raise ValueError(_l("Line %(n)d: indent with spaces, not tabs.", n=number))
        indent = len(line) - len(line.lstrip(" "))
        if indent % 2:
            raise ValueError(_l("Line %(n)d: indent by two spaces per level.", n=number))
        level = indent // 2
        if level > len(stack) - 1:
            raise ValueError(
                _l("Line %(n)d is indented deeper than the line above allows.", n=number)
            )
        del stack[level + 1 :]
        node = {"text": line.strip(), "children": []}
        stack[level].append(node)
        stack.append(node["children"])
    return roots


class HttpUrl:
    """An absolute http(s) address (rules.is_http_url): anything else could run script."""

    message = _l("Give a full web address starting with https:// or http://.")

    def __call__(self, form, field: Field):
        value = (field.data or "").strip()
        if value and not is_http_url(value):
            raise ValidationError(self.message)


class Slug:
    """Lower-case letters, digits and dashes, as used in addresses (rules.is_slug)."""

    def __call__(self, form, field: Field):
        if field.data and not is_slug(field.data):
            raise ValidationError(_l("Use lower-case letters, digits and single dashes only."))


def choices(pairs) -> list[SelectChoice]:
    """SelectField options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]
