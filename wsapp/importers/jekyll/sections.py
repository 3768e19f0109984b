"""What each section of the page is about, from its heading ("Organizers affiliations" -> logos)."""

import re

from wsapp.importers.jekyll.blocks import Section

# First match wins, so the more specific names come first.
KINDS = [
    ("reviewers", ("call for reviewer", "program committee", "reviewers")),
    ("institutions", ("affiliation", "institution")),
    ("sponsors", ("sponsor", "supporter", "funding", "partners")),
    ("panelists", ("panelist", "panel")),
    ("speakers", ("speaker", "keynote")),
    ("organizers", ("organizer", "organiser", "organizing committee", "organising committee")),
    ("schedule", ("schedule", "programme", "program", "agenda", "timetable")),
    ("dates", ("important date", "key date", "dates", "deadlines", "timeline")),
    ("cfp", ("call for paper", "call for submission", "call for contribution",
             "call for abstract", "call for participation")),
    ("instructions", ("submission instruction", "submission guideline", "how to submit",
                      "submission format", "submission")),
]  # fmt: skip


def kind_of(title: str) -> str | None:
    lower = title.lower()
    for kind, words in KINDS:
        if any(re.search(r"\b" + re.escape(w), lower) for w in words):
            return kind
    return None


def classify(sections: list[Section]) -> list[tuple[Section, str | None]]:
    """Each section with its kind; an unnamed subsection ("Motivation and Topics") takes its
    parent's kind, and the text before the first heading is the intro."""
    result: list[tuple[Section, str | None]] = []
    parents: list[tuple[int, str | None]] = []
    for section in sections:
        if section.level == 0:
            result.append((section, "intro"))
            continue
        while parents and parents[-1][0] >= section.level:
            parents.pop()
        kind = kind_of(section.title)
        if kind is None and parents:
            kind = parents[-1][1]
        parents.append((section.level, kind))
        result.append((section, kind))
    return result
