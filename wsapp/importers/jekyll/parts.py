"""What the importer's steps hand each other: the options, the sections' yield, the error."""

import datetime as dt
from dataclasses import dataclass, field

from wsapp.importers.jekyll.blocks import Block

ROLE_KINDS = ("speakers", "panelists", "organizers")


class PageError(ValueError):
    """The page cannot be imported as it stands; the message says which option helps."""


@dataclass
class Options:
    slug: str | None = None
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
