"""People from the photo-and-name tables (or lists) of the speakers, panelists and organizers."""

import re
import unicodedata
from dataclasses import dataclass

from bs4 import NavigableString, Tag

from wsapp.importers.jekyll.source import clean, soup
from wsapp.importers.jekyll.tables import Table

# A caption's first part is a position when it holds one of these words, else an affiliation.
POSITION_WORDS = {
    "professor", "faculty", "leader", "lead", "scientist", "researcher", "student", "director",
    "lecturer", "fellow", "postdoc", "postdoctoral", "engineer", "head", "chair", "manager",
    "founder", "co-founder", "cofounder", "ceo", "cto", "dean", "candidate", "investigator",
    "staff", "intern", "president", "architect", "officer", "scholar", "principal", "partner",
    "phd", "msc", "analyst", "editor", "advisor", "adviser", "member",
}  # fmt: skip


@dataclass
class Entry:
    """A person as one table cell or list item shows them."""

    name: str
    href: str | None
    caption: str
    photo: str | None  # the img src as written

    @property
    def key(self) -> str:
        return person_key(self.name)


def person_key(name: str) -> str:
    """ "Florian Tramèr" -> "florian-tramer": the same name always gives the same key."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "person"


def split_caption(caption: str) -> tuple[str, str]:
    """ "Associate Professor, UIUC" -> (position, affiliation); "VinUni, Vietnam" -> ("", all)."""
    first, sep, rest = caption.partition(",")
    words = {w.lower() for w in re.findall(r"[\w-]+", first)}
    if sep and words & POSITION_WORDS:
        return first.strip(), rest.strip()
    if not sep and words & POSITION_WORDS and len(words) <= 4:
        return caption.strip(), ""
    return "", caption.strip()


HEADINGS = {  # a people table with column headings: which column holds what
    "name": ("name", "speaker", "organizer", "organiser", "panelist", "who", "person"),
    "position": ("position", "title", "role"),
    "affiliation": ("affiliation", "institution", "university", "organization", "organisation"),
    "photo": ("photo", "picture", "image", "portrait"),
}


def from_table(table: Table) -> list[Entry]:
    """Rows of photos followed by rows of "<a>Name</a> <br> Caption" cells, or both in one cell;
    or one person per row when the columns have headings (Name | Affiliation | ...)."""
    columns = _columns(table.header)
    if "name" in columns:
        return [e for row in table.rows if (e := _from_row(row, columns))]
    people = []
    photos: list[str | None] = []
    for row in table.rows:
        if not any(clean(cell.get_text()) for cell in row):
            images = [cell.find("img") for cell in row]
            if any(images):
                photos = [img.get("src") if img else None for img in images]
            continue
        for i, cell in enumerate(row):
            if clean(cell.get_text()):
                photo = photos[i] if i < len(photos) else None
                people.append(from_cell(cell, photo))
        photos = []
    return people


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, text in enumerate(h.lower() for h in header):
        for name, words in HEADINGS.items():
            if name not in found and any(w in text for w in words):
                found[name] = i
                break
    return found


def _from_row(row: list[Tag], columns: dict[str, int]) -> Entry | None:
    def cell(name: str) -> Tag | None:
        i = columns.get(name)
        return row[i] if i is not None and i < len(row) else None

    name_cell = cell("name")
    if name_cell is None or not clean(name_cell.get_text()):
        return None
    entry = from_cell(name_cell)
    parts = [clean(c.get_text()) for c in (cell("position"), cell("affiliation")) if c is not None]
    caption = ", ".join(p for p in parts if p) or entry.caption
    image = cell("photo").find("img") if cell("photo") is not None else None
    photo = image.get("src") if image is not None else entry.photo
    return Entry(entry.name, entry.href, caption, photo)


def from_cell(cell: Tag, photo: str | None = None) -> Entry:
    """The name before the first <br> (linked or not), the caption after it."""
    own = cell.find("img")
    if own is not None and own.get("src"):
        photo = own["src"]
    parts: list[list] = [[]]
    for node in cell.children:
        if isinstance(node, Tag) and node.name == "br" and len(parts) == 1 and _text(parts[0]):
            parts.append([])
        else:
            parts[-1].append(node)
    name_nodes = parts[0]
    caption_nodes = parts[1] if len(parts) > 1 else []
    link = next((n for n in name_nodes if isinstance(n, Tag) and n.name == "a"), None)
    if link is None:
        link = next((a for n in name_nodes if isinstance(n, Tag) for a in n.find_all("a")), None)
    name = _text(name_nodes)
    if len(parts) == 1 and link is not None:  # "<a>Name</a>, Caption" on one line
        name = clean(link.get_text())
        caption = re.sub(r"^[\s,;:\-–—(]+|[\s)]+$", "", _text(name_nodes).replace(name, "", 1))
    else:
        caption = _text(caption_nodes)
    return Entry(name, link.get("href") if link is not None else None, caption, photo)


def from_list_item(html: str) -> Entry | None:
    """ "[Jane Doe](https://...), Professor, MIT" or "**Jane Doe** (MIT)" as a list item."""
    item = soup(f"<td>{html}</td>").td
    lead = item.find(["a", "strong", "b"])
    if lead is None:
        name, _, caption = clean(item.get_text()).partition(",")
        return Entry(name.strip(), None, caption.strip(), None) if name.strip() else None
    name = clean(lead.get_text())
    rest = clean(item.get_text()).replace(name, "", 1)
    caption = re.sub(r"^[\s,;:\-–—(]+|[\s)]+$", "", rest)
    href = lead.get("href") if lead.name == "a" else None
    if href is None and lead.find("a"):
        href = lead.find("a").get("href")
    return Entry(name, href, caption, None)


def _text(nodes: list) -> str:
    return clean("".join(n.get_text() if isinstance(n, Tag) else str(n) for n in nodes
                         if isinstance(n, Tag | NavigableString)))  # fmt: skip
