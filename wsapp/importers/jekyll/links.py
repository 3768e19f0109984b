"""Logo links (sponsors, institutions), voting links and the conference page link."""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from wsapp.importers.jekyll.blocks import Block
from wsapp.importers.jekyll.source import clean, soup

VOTE = re.compile(r"\b(vote|voting|ballot)\b", re.I)
CONFERENCE = re.compile(r"link to (?:the )?(.+?) page", re.I)


@dataclass
class Logo:
    name: str
    url: str | None
    logo: str | None  # the img src as written
    named_by: str  # where the name came from: alt, title, text or domain


def logos(blocks: list[Block]) -> list[Logo]:
    """Every linked logo (or linked name) in the blocks, in page order, each link once."""
    found: list[Logo] = []
    seen: set[str] = set()
    for block in blocks:
        page = soup(block.html)
        for a in page.find_all("a", href=True):
            if a["href"] in seen:
                continue
            seen.add(a["href"])
            img = a.find("img")
            found.append(_logo(a.get("title"), clean(a.get_text()), a["href"], img))
        for img in page.find_all("img"):
            if img.find_parent("a") is None:
                found.append(_logo(None, "", None, img))
    return found


def _logo(title, text, href, img) -> Logo:
    src = img.get("src") if img is not None else None
    for name, source in (
        (img.get("alt") if img is not None else None, "alt"),
        (img.get("title") if img is not None else None, "title"),
        (title, "title"),
        (text, "text"),
    ):
        if name and clean(name):
            return Logo(clean(name), href, src, source)
    if href:
        host = urlsplit(href).hostname or href
        return Logo(re.sub(r"^www\.", "", host), href, src, "domain")
    stem = (src or "logo").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return Logo(stem.replace("-", " ").replace("_", " "), None, src, "file name")


def voting_links(block: Block) -> list[tuple[str, str]]:
    """(text, href) of the voting links in a block ("Vote Best Oral | Vote Best Poster")."""
    page = soup(block.html)
    return [
        (clean(a.get_text()), a["href"])
        for a in page.find_all("a", href=True)
        if VOTE.search(a.get_text())
    ]


def only_voting(block: Block) -> bool:
    """True if the block holds nothing but voting links, images and separators."""
    page = soup(block.html)
    links = page.find_all("a", href=True)
    if not links or not all(VOTE.search(a.get_text()) for a in links):
        return False
    for a in links:
        a.decompose()
    return not re.sub(r"[\s|·•,/-]+", "", page.get_text())


def conference_link(block: Block) -> tuple[str, str, str | None] | None:
    """ "Link to NeurIPS page: <a href=U>T</a>" -> (conference, U, T if it differs from U)."""
    page = soup(block.html)
    text = clean(page.get_text())
    m = CONFERENCE.search(text)
    link = page.find("a", href=True)
    if not m or link is None:
        return None
    shown = clean(link.get_text())
    return m[1], link["href"], (shown if shown and shown != link["href"] else None)
