"""The workshop's title, conference, year and tagline, from a page or from a whole site.

"Backdoors in Deep Learning @ NeurIPS 2023" gives all three. A site's home page is often titled
"Home" or "About": such words are never taken as the title; `_config.yml`, the home page's
subtitle and first heading are tried, and --title is asked for when nothing names it.
"""

import re

from wsapp.importers.jekyll.parts import Options, PageError
from wsapp.importers.jekyll.source import clean, soup

GENERIC = re.compile(
    r"(home|about|index|welcome|main|overview|schedule|program|programme|speakers|organizers|"
    r"call for papers|cfp|news|blank|untitled|workshop|todo|tbd)?",
    re.I,
)
OPENREVIEW = re.compile(r"openreview\.net/group\?id=([A-Za-z]+)\.cc/((?:19|20)\d\d)/Workshop")
CONFERENCE = re.compile(r"\b([A-Z][A-Za-z]{2,})\)?\s*'?((?:19|20)\d\d)\b")


def page_title(front: dict, options: Options) -> tuple[str, str, int | None, str]:
    """Title, conference, year and tagline of a single page's front matter."""
    title, conference, year = _split(_plain(front.get("desc_title") or front.get("title")))
    if options.title:
        title = options.title
    if not title or GENERIC.fullmatch(title):
        raise PageError("the page names no workshop title (no desc_title or title in its front "
                        "matter, or only a word such as 'Home'); pass --title")  # fmt: skip
    return title, conference, year, str(front.get("description") or "")


def site_title(site, options: Options) -> tuple[str, str, int | None, str]:
    """The same for a site: the first of _config.yml's title, the home's desc_title, title,
    subtitle and first heading that is not a generic word; the conference from any of them."""
    config, front = site.config, site.home.front
    heading = re.search(r"^#{1,3}\s+(.+)$", site.home.text, re.M)
    described = config.get("description") if " @ " in str(config.get("description")) else None
    candidates = [front.get("desc_title"), config.get("title"), config.get("name"),
                  front.get("title"), front.get("subtitle"), described,
                  heading[1] if heading else None]  # fmt: skip
    # "Name @ Conference Year" is the workshop's full name wherever it is written.
    candidates.sort(key=lambda c: " @ " not in _plain(c))
    title, conference, year = "", "", None
    for raw in candidates:
        text = _plain(raw)
        name, conf, found_year = _split(text)
        if conf and not conference:
            conference, year = conf, found_year
        if not conf and not conference:
            m = CONFERENCE.search(text)
            if m and m[1].upper() not in ("THE", "WORKSHOP"):
                conference, year = m[1], int(m[2])
        if not title and name and not GENERIC.fullmatch(name) and not CONFERENCE.fullmatch(name):
            if not re.fullmatch(r"workshop\s+(?:@|at)\b.*", name, re.I):
                title = name
    if not conference:
        for page in site.pages:  # the submission site's group: ".../group?id=ICLR.cc/2026/..."
            m = OPENREVIEW.search(page.text)
            if m:
                conference, year = m[1], int(m[2])
                break
    if options.title:
        title = options.title
    if not title:
        raise PageError(f"the site names no workshop title (its home page is titled "
                        f"{_plain(front.get('title'))!r}); pass --title")  # fmt: skip
    tagline = _tagline(config, front, title)
    return title, conference, year, tagline


def _plain(value) -> str:
    return clean(soup(str(value or "")).get_text(" "))


def _split(text: str) -> tuple[str, str, int | None]:
    """ "Backdoors in Deep Learning @ NeurIPS 2023" -> title, conference name, year."""
    title, _, conference = (part.strip() for part in text.partition(" @ "))
    m = re.match(r"(.*?)[\s']*((?:19|20)\d\d)\b", conference)
    if m:
        return title, m[1].strip(), int(m[2])
    return title, conference, None


def _tagline(config: dict, front: dict, title: str) -> str:
    description = str(front.get("description") or "")
    if description and description.strip().upper() not in ("TODO", "TBD"):
        return description
    lines = re.split(r"<br\s*/?>", str(config.get("description") or ""))
    if len(lines) > 1 and title in _plain(lines[0]):
        return clean(" ".join(lines[1:]))  # "Title @ ICLR 2024, <br/> Learning under ..."
    return ""
