"""What every papers importer produces: one `Incoming` per accepted paper, and the report."""

import re
from dataclasses import dataclass, field

from wsapp.models import Presentation
from wsapp.services.documents import CheckedPdf

# The fields an import may set on a paper; None means "the source does not say" (kept as is).
FIELDS = (
    "title",
    "authors",
    "presentation",
    "abstract_md",
    "poster_session",
    "board",
    "paper_url",
    "openreview_url",
    "code_url",
    "video_url",
    "slides_url",
)


def clean(text: str | None) -> str | None:
    """Text as stored: no NUL characters (PostgreSQL refuses them), None when empty."""
    if text is None:
        return None
    text = str(text).replace("\x00", "").strip()
    return text or None


class ImportFailed(Exception):
    """The source cannot be read; the message says why and what to do."""


@dataclass
class Incoming:
    """An accepted paper as its source describes it."""

    source_id: str  # "openreview:<note id>", "cmt:12", "easychair:7", "csv:<id>"
    title: str
    authors: str | None = None  # "A, B, C"
    presentation: Presentation | None = None
    abstract_md: str | None = None
    poster_session: int | None = None
    board: str | None = None
    paper_url: str | None = None
    openreview_url: str | None = None
    code_url: str | None = None
    video_url: str | None = None
    slides_url: str | None = None
    pdf: CheckedPdf | None = None


@dataclass
class Report:
    """What an import did, and what it left for the organizers to check."""

    source: str
    read: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # left out by the source, but kept: why
    pdfs: int = 0
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)

    def problem(self, message: str) -> None:
        if message not in self.problems:
            self.problems.append(message)

    def lines(self) -> list[str]:
        out = [f"Read {self.read} accepted papers from {self.source}."]
        out.append(
            f"New: {len(self.created)}, updated: {len(self.updated)}, unchanged: "
            f"{self.unchanged}, removed: {len(self.removed)}, PDFs stored: {self.pdfs}"
        )
        for title, items in (
            ("New", self.created),
            ("Updated", self.updated),
            ("Removed (no longer accepted in the source; restore from the history)", self.removed),
            ("Kept although the source no longer lists them", self.kept),
            ("Notes", self.notes),
            ("Problems", self.problems),
        ):
            if items:
                out.append(f"{title}:")
                out += [f"  {item}" for item in items]
        return out


_KINDS = (
    (re.compile(r"spotlight", re.I), Presentation.SPOTLIGHT),  # "ICML 2025 spotlightposter"
    (re.compile(r"\boral\b", re.I), Presentation.ORAL),
    (re.compile(r"poster", re.I), Presentation.POSTER),
)


def presentation_in(text: str | None) -> Presentation | None:
    """The presentation a venue or decision names: "ICLR 2024 oral", "Accept (Spotlight)"."""
    for pattern, kind in _KINDS:
        if text and pattern.search(text):
            return kind
    return None
