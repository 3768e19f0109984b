"""What the importer's steps hand each other: the options, the sections' yield, the error."""

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from wsapp.importers.jekyll.blocks import Block

ROLE_KINDS = ("speakers", "panelists", "organizers")


class PageError(ValueError):
    """The page cannot be imported as it stands; the message says which option helps."""


@dataclass
class Options:
    slug: str | None = None
    title: str | None = None  # when the site names no title (its home page is "Home")
    home: Path | None = None  # the page to read as the site's home (another edition's)
    timezone: str | None = None
    date: dt.date | None = None
    publish: bool | None = None  # None: published when new, unchanged on re-import


@dataclass
class Parts:
    """What the sections yielded, before it is put together."""

    roles: dict[str, list] = field(default_factory=lambda: {k: [] for k in ROLE_KINDS})
    logos: dict[str, list] = field(default_factory=lambda: {"sponsors": [], "institutions": []})
    dates: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # timezone statements near the schedule
    call: list[Block] = field(default_factory=list)
    instructions: list[Block] = field(default_factory=list)
    reviewers: list[Block] = field(default_factory=list)
    description: list[str] = field(default_factory=list)
    conference: tuple | None = None
    day_lists: list = field(default_factory=list)  # (days of a definition list, block, context)
    table_signatures: set = field(default_factory=set)  # schedule tables read, to read once
    anchors: dict[str, dict] = field(default_factory=dict)  # heading id -> collection document
    page_kind: str | None = None  # the kind of the page being read
    year: int | None = None  # the conference year, for dates written without one
    deadline_time: object = None  # "Deadlines are at 11:59 PM AOE": a DateValue
    stated_days: list = field(default_factory=list)  # (Found, text): a date the home page states
