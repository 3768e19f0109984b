"""How a paper is cited: Google Scholar's Highwire Press tags and a BibTeX entry.

Google Scholar's inclusion guidelines ask an article's page for `citation_title`, one
`citation_author` per author, `citation_publication_date` ("2023/12/15", or the year alone),
for a workshop or conference paper `citation_conference_title`, and `citation_pdf_url` for the
full text hosted on the same site. Without a title, an author and a date Scholar cannot index
the page, so no tags are given at all (and none when the workshop turned them off).
"""

import re

from wsapp.models import Paper, Workshop
from wsapp.rules import slugify

REQUIRED = ("citation_title", "citation_author", "citation_publication_date")
STOP_WORDS = {"a", "an", "the", "on", "of", "for", "in", "to", "and", "with", "is", "are"}
BIBTEX_SPECIAL = re.compile(r"([&%$#_])")


def publication_date(workshop: Workshop) -> str | None:
    """The workshop's first day as Scholar writes dates, else the conference's year."""
    if workshop.start_date:
        return workshop.start_date.strftime("%Y/%m/%d")
    if workshop.conference_year:
        return str(workshop.conference_year)
    return None


def year(workshop: Workshop) -> int | None:
    if workshop.start_date:
        return workshop.start_date.year
    return workshop.conference_year


def scholar_tags(paper: Paper, workshop: Workshop, pdf_url: str | None) -> list[tuple[str, str]]:
    """The (name, content) pairs of the page's citation_* meta tags, in the guidelines' order."""
    date = publication_date(workshop)
    authors = paper.author_names
    if not workshop.scholar_tags or not paper.title or not authors or not date:
        return []
    tags = [("citation_title", paper.title)]
    tags += [("citation_author", name) for name in authors]
    tags.append(("citation_publication_date", date))
    tags.append(("citation_conference_title", workshop.display_name))
    if pdf_url:
        tags.append(("citation_pdf_url", pdf_url))
    return tags


def _escape(text: str) -> str:
    text = BIBTEX_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    if not _balanced(text):
        text = text.replace("{", r"\{").replace("}", r"\}")
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def bibtex_key(paper: Paper, workshop: Workshop) -> str:
    """ "verma2023effective": the first author's last name, the year, the title's first word."""
    authors = paper.author_names
    last = slugify(authors[0].split()[-1], fallback="") if authors else ""
    words = [w for w in slugify(paper.title, fallback="paper").split("-") if w not in STOP_WORDS]
    return f"{last.replace('-', '')}{year(workshop) or ''}{words[0] if words else 'paper'}"


def bibtex(paper: Paper, workshop: Workshop, url: str) -> str:
    """An @inproceedings entry for the paper as presented at the workshop."""
    fields = [
        ("title", _escape(paper.title)),
        ("author", " and ".join(_escape(name) for name in paper.author_names)),
        ("booktitle", _escape(workshop.display_name)),
        ("year", str(year(workshop) or "")),
        ("url", url),
    ]
    body = ",\n".join(f"  {name:<9} = {{{value}}}" for name, value in fields if value)
    return f"@inproceedings{{{bibtex_key(paper, workshop)},\n{body}\n}}"
