"""What an import mapped and what it could not, printed by the command."""

from dataclasses import dataclass, field
from pathlib import Path

from wsapp.importers.jekyll.source import Comment, clean


@dataclass
class ImageRef:
    """An image the page shows, where it goes, and whether its file was found."""

    src: str
    kind: str  # photo | logo
    target: tuple  # ("people", key) | ("sponsors", index) | ("institutions", index)
    path: Path | None = None
    status: str = "not imported (no --assets)"


@dataclass
class Report:
    page: str
    slug: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # choices made on the page's behalf
    warnings: list[str] = field(default_factory=list)  # things to check
    comments: list[Comment] = field(default_factory=list)
    unmapped: list[tuple[str, int, str, str]] = field(default_factory=list)
    images: list[ImageRef] = field(default_factory=list)
    other_images: list[tuple[str, str]] = field(default_factory=list)  # (src, why not imported)
    voting_links: list[tuple[str, str]] = field(default_factory=list)
    unused_front_matter: list[str] = field(default_factory=list)
    repaired_lines: int = 0
    where: str = ""  # the file being read, when a whole site is read
    pages: list[str] = field(default_factory=list)  # the files read, for a whole site
    skipped_pages: list[tuple[str, str]] = field(default_factory=list)  # (file, why not read)
    draft_reason: str = ""  # why the workshop was stored unpublished

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)

    def leave(self, section: str, line: int, text: str, where: str) -> None:
        """Record text the importer did not map; `where` says what became of it."""
        section = section or "(before the first heading)"
        if self.where:
            section = f"{self.where}: {section}"
        self.unmapped.append((section, line, clean(text), where))

    def lines(self) -> list[str]:
        """The report as text lines, section by section."""
        out = [f"Read {self.page} for /{self.slug}/"]
        if self.pages:
            out.append("Pages read: " + ", ".join(self.pages))
        out += _listed("Pages not read", [f"{name}: {why}" for name, why in self.skipped_pages])
        out.append("Mapped:")
        out += [f"  {name}: {count}" for name, count in self.counts.items()]
        if self.repaired_lines:
            out.append(f"Repaired {self.repaired_lines} lines of UTF-8 that had been read as "
                       "Mac Roman (mojibake such as 'Tram√®r')")  # fmt: skip
        if self.voting_links:
            out.append("Voting links (kept as an announcement until voting is built in):")
            out += [f"  {text}: {href}" for text, href in self.voting_links]
        out += _listed("Notes", self.notes)
        out += _listed("Warnings", self.warnings)
        out += _listed(
            f"Skipped {len(self.comments)} commented-out blocks (<!-- -->)",
            [f"{c.page + ' ' if c.page else ''}line {c.line}: {c.preview}" for c in self.comments],
        )
        out += _listed(
            "Not mapped to a field",
            [f"{s} (line {n}): {_short(t)} -> {where}" for s, n, t, where in self.unmapped],
        )
        out += _listed(
            "Images",
            [f"{i.kind} {i.src} ({'/'.join(map(str, i.target))}): {i.status}" for i in self.images]
            + [f"{src}: {why}" for src, why in self.other_images],
        )
        if self.unused_front_matter:
            out.append("Front matter not used: " + ", ".join(self.unused_front_matter))
        if self.draft_reason:
            out.append(self.draft_reason)
        return out


def _listed(title: str, entries: list[str]) -> list[str]:
    if not entries:
        return []
    return [f"{title}:"] + [f"  - {entry}" for entry in entries]


def _short(text: str) -> str:
    return text if len(text) <= 120 else text[:117] + "..."
