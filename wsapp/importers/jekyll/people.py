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


NOT_NAME_WORDS = {
    "deadline", "deadlines", "submission", "submissions", "session", "sessions", "poster",
    "posters", "paper", "papers", "workshop", "talk", "talks", "notification", "camera",
    "ready", "date", "dates", "panel", "keynote", "keynotes", "break", "lunch", "award",
    "awards", "datasets", "dataset", "data", "model", "models", "learning", "networking",
    "discussion", "discussions", "tba", "tbd", "topics", "call", "registration", "program",
    "schedule", "and", "for", "of", "the", "in", "on", "to", "with", "via", "from", "at",
    "remarks", "opening", "closing", "welcome", "coffee", "organizers", "results",
}  # fmt: skip
NAME_PARTICLES = {
    "de", "da", "del", "della", "der", "den", "van", "von", "le", "la", "di", "du", "al", "el",
    "bin", "ibn", "y", "dos", "das", "ten", "ter", "st.",
}  # fmt: skip


def not_a_person(entry: Entry) -> str | None:
    """Why an entry does not look like a person's name, or None if it does."""
    name = entry.name.strip()
    if not name:
        return "no name"
    if len(name) > 60:
        return "too long for a name"
    if re.search(r"\d|[:;!?@|{}<>]|https?://", name):
        return "a name has no digits, colons or links"
    words = name.replace(",", " ").split()
    if len(words) > 6:
        return "too many words for a name"
    lower = {w.lower().strip(".()") for w in words}
    if lower & NOT_NAME_WORDS:
        return "reads as a topic or a date, not a name"
    if any(w[:1].islower() and w.lower() not in NAME_PARTICLES for w in words):
        return "a word that is not capitalized"
    return None


def in_block(block) -> list[tuple[Entry, str]]:
    """People a block holds, each with what held it: person cards (a Liquid include or
    collection item), tables of photos and names, HTML cards of a name and an affiliation."""
    from wsapp.importers.jekyll.tables import tables_in

    page = soup(block.html)
    found = [(card_entry(tag), "card") for tag in page.find_all("wsapp-person")]
    for tag in page.find_all("wsapp-person"):
        tag.decompose()
    found += [(e, "table") for t in tables_in(block) for e in from_table(t)]
    if not found and block.kind == "html":
        found += [(e, "card") for e in html_cards(page)]
    return [(e, why) for e, why in found if e is not None]


def card_entry(tag: Tag) -> Entry:
    """A <wsapp-person> card (from sitedir or liquid) as an Entry."""
    caption = ", ".join(p for p in (tag.get("position", ""), tag.get("affiliation", "")) if p)
    return Entry(clean(tag.get("name", "")), tag.get("href") or None, clean(caption),
                 tag.get("photo") or None)  # fmt: skip


NAME_CLASS = re.compile(r"name", re.I)
AFFILIATION_CLASS = re.compile(r"affil|institution|organi[sz]ation|position", re.I)


def html_cards(page) -> list[Entry]:
    """Cards such as <div class="headshotname">Name</div> followed by an affiliation link and
    a photo: each name element with what follows it up to the next name."""
    names = [t for t in page.find_all(class_=NAME_CLASS) if t.name not in ("a", "img")]
    names = [t for t in names if not t.find(class_=NAME_CLASS)]
    if not names:
        return _photo_cards(page)
    entries = []
    for i, tag in enumerate(names):
        parent = tag.parent
        siblings = list(parent.children)
        start = siblings.index(tag)
        following = names[i + 1] if i + 1 < len(names) else None
        stop = siblings.index(following) if following in siblings else len(siblings)
        own_box = sum(1 for t in names if t.parent is parent) == 1
        segment = siblings if own_box else siblings[start + 1 : stop]
        caption_tag = None
        for node in segment:
            if not isinstance(node, Tag) or node is tag:
                continue
            hit = (
                node
                if AFFILIATION_CLASS.search(" ".join(node.get("class") or []))
                else (node.find(class_=AFFILIATION_CLASS))
            )
            if hit is None and node.name == "p" and node.find("a") and not node.find("img"):
                hit = node
            if hit is not None:
                caption_tag = hit
                break
        link = None
        if caption_tag is not None:
            link = caption_tag if caption_tag.name == "a" else caption_tag.find("a", href=True)
        if link is None:
            link = next((n.find("a", href=True) if n.name != "a" else n for n in segment
                         if isinstance(n, Tag) and (n.name == "a" or n.find("a", href=True))),
                        None)  # fmt: skip
        img = next((n if n.name == "img" else n.find("img") for n in segment
                    if isinstance(n, Tag) and (n.name == "img" or n.find("img"))),
                   None)  # fmt: skip
        caption = clean(caption_tag.get_text()) if caption_tag is not None else ""
        entries.append(Entry(clean(tag.get_text()), link.get("href") if link else None, caption,
                             img.get("src") if img is not None else None))  # fmt: skip
    return entries


def _photo_cards(page) -> list[Entry]:
    """Boxes of one photo and one linked name ("<div><img><br><a>Name</a><br>Place</div>"):
    the innermost element holding exactly one of each."""
    entries = []
    for box in page.find_all(["div", "li", "figure", "td", "p"]):
        if len(box.find_all("img")) != 1 or len(box.find_all("a", href=True)) < 1:
            continue
        if any(len(inner.find_all("img")) == 1 and inner.find("a", href=True)
               for inner in box.find_all(["div", "li", "figure", "td", "p"])):  # fmt: skip
            continue
        entry = from_cell(box)
        if entry.name and not not_a_person(entry):
            entries.append(entry)
    return entries


def split_names(text: str) -> list[str]:
    """ "Qing Qu [UMich], Sultan Al Hajji (MBZUAI) and X" -> the names, affiliations dropped."""
    text = re.sub(r"\[[^\]]*\]|\([^)]*\)", " ", text)
    parts = re.split(r",|;|\band\b|&|\n", text)
    return [clean(p).strip(" .*") for p in parts if clean(p).strip(" .*")]
