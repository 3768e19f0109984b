"""al-folio's `profiles:` pages: people listed in the front matter, each with a bio file."""

from html import escape

from bs4 import BeautifulSoup

from wsapp.importers.jekyll.blocks import render_inline


def is_content_of_profiles(page, pages) -> bool:
    """A speaker's bio file that an al-folio `profiles` page shows inside itself."""
    for other in pages:
        for profile in other.front.get("profiles") or []:
            content = isinstance(profile, dict) and profile.get("content")
            if content and page.path == other.path.parent / str(content):
                return True
    return False


def cards(page, body_of) -> str:
    """al-folio's `profiles:` front matter as person cards: the name is the bio's first bold
    or linked words, the caption the first line of `more_info`."""
    cards = []
    for profile in page.front.get("profiles") or []:
        if not isinstance(profile, dict) or not profile.get("content"):
            continue
        path = page.path.parent / str(profile["content"])
        if not path.is_file():
            continue
        bio = BeautifulSoup(render_inline(body_of(path)), "html.parser")
        lead = bio.find(["strong", "b", "a"])
        if lead is None:
            continue
        link = lead if lead.name == "a" else lead.find("a")
        info = BeautifulSoup(str(profile.get("more_info") or ""), "html.parser")
        if link is None:  # "<a href=...>website</a>" in more_info
            link = next((a for a in info.find_all("a", href=True)
                         if a.get_text(strip=True).lower() in ("website", "homepage", "home page")),
                        None)  # fmt: skip
        first = info.find("p")
        attrs = {"name": lead.get_text(" ", strip=True),
                 "href": link.get("href") if link is not None else "",
                 "affiliation": first.get_text(" ", strip=True) if first else "",
                 "photo": str(profile.get("image") or "")}  # fmt: skip
        cards.append("<wsapp-person " + " ".join(f'{k}="{escape(v)}"' for k, v in attrs.items()
                                                 if v) + "></wsapp-person>")  # fmt: skip
    return "\n\n<div>" + "".join(cards) + "</div>\n" if cards else ""
