"""What each section of the page is about, from its heading ("Organizers affiliations" -> logos)."""

import re

from wsapp.importers.jekyll.blocks import Section

# First match wins, so the more specific names come first.
KINDS = [
    ("reviewers", ("call for reviewer", "program committee", "reviewers")),
    ("institutions", ("affiliation", "institution")),
    ("sponsors", ("sponsor", "supporter", "funding", "partners")),
    ("speakers", ("speaker", "keynote")),  # "Speakers & Panelists": speakers
    ("panelists", ("panelist", "panel")),
    ("organizers", ("organizer", "organiser", "organizing committee", "organising committee")),
    ("schedule", ("schedule", "programme", "program", "agenda", "timetable")),
    ("people", ("advisor", "steering committee", "advisory")),
    ("dates", ("important date", "key date", "dates", "deadlines", "timeline")),
    ("cfp", ("call for paper", "call for submission", "call for contribution",
             "call for abstract", "call for participation", "calls")),
    ("instructions", ("submission instruction", "submission guideline", "how to submit",
                      "submission format", "submission")),
]  # fmt: skip


def kind_of(title: str) -> str | None:
    lower = title.lower()
    for kind, words in KINDS:
        if any(re.search(r"\b" + re.escape(w), lower) for w in words):
            return kind
    return None


def classify(sections: list[Section], page_kind: str | None = "intro"):
    """Each section with its kind; an unnamed subsection ("Motivation and Topics") takes its
    parent's kind, and the text before the first heading is the page's kind (the intro on the
    home page). A heading that skips a level ("# Speakers" then "### Awards") starts a new
    topic rather than a part of the one above: it does not take a kind from it."""
    result: list[tuple[Section, str | None]] = []
    parents: list[tuple[int, str | None]] = []
    for section in sections:
        if section.level == 0:
            result.append((section, page_kind))
            continue
        while parents and parents[-1][0] >= section.level:
            parents.pop()
        kind = kind_of(section.title)
        if kind is None and parents and parents[-1][0] == section.level - 1:
            kind = parents[-1][1]
        elif kind is None and not parents and page_kind not in ("intro", None):
            kind = page_kind  # a heading on the Schedule page that names no other topic
        parents.append((section.level, kind))
        result.append((section, kind))
    return result
