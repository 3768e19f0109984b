"""One schedule row in the organizers' words: label, title, presenters, moderator, abstract.

The label is kept as written ("Welcome", "Keynote", "Contributed Talk 1", "Poster Session I");
the kind (talk, oral, break, poster session, panel) is inferred from it for styling, exports and
voting and never replaces it. A cell that holds a title and then an abstract (after a line
break) is separated; "(Remote)" markers stay with the title; moderators and chairs are read in
the common phrasings ("Moderator: X", "moderated by X", "(Chair: X)", "hosted by X").
"""

import re

from bs4 import NavigableString, Tag

from wsapp.importers.jekyll.people import not_a_person, person_key, split_names
from wsapp.importers.jekyll.source import clean, soup

# Words of a label, most specific first: the kind they stand for.
KIND_WORDS = [
    ("poster_session", r"poster"),
    ("lunch_break", r"lunch"),
    ("coffee_break", r"coffee|break|tea\b|networking break"),
    ("panel", r"panel|round ?table|debate"),
    ("oral", r"contributed|oral|spotlight|paper talk|paper\b|highlight|lightning"),
    ("invited_talk", r"invited|keynote|tutorial|plenary|talk\b"),
    ("opening", r"opening|welcome|introduction|intro\b"),
    ("closing", r"closing|concluding|wrap[- ]up|summary"),
]
LABEL = re.compile(
    r"(?P<label>(?:[A-Za-z&+/'’-]+\.?\s*){1,4}?(?:\s*(?P<number>\d{1,3}|[IVX]{1,4}))?)"
    r"\s*[:–—]\s*(?P<rest>.+)",
    re.S,
)
NUMBERED = re.compile(r".*?(?:\b|(?<=[a-z]))(\d{1,3})$")
MODERATOR = re.compile(
    r"\(?\s*(?:\b(?:moderators?|(?:session )?chairs?|hosts?)\s*:|\b(?:moderated|chaired|hosted)"
    r"\s+by\b)\s*(?P<name>[^;|()\[\]*\n]+?)\s*(?:\)|;|\*|$|(?=\())",
    re.I,
)
MARKER_WORDS = r"remote|virtual|online|in[- ]person|pre-?recorded"
MARKER = re.compile(rf"\(\s*\*?\s*({MARKER_WORDS})\s*\*?\s*\)", re.I)  # "(Remote)" in a line
MARKER_LINE = re.compile(rf"\(?\s*\*?\s*({MARKER_WORDS})\s*\*?\s*\)?", re.I)  # a line of its own
MAX_LABEL_WORDS = 8


def kind_of(label: str) -> str:
    """The kind a label stands for ("Keynote speaker1" -> invited_talk), "other" if none."""
    lower = label.lower()
    for kind, words in KIND_WORDS:
        if re.search(rf"\b(?:{words})", lower):
            return kind
    return "other"


def number_of(label: str) -> int | None:
    m = NUMBERED.match(label.strip())
    return int(m[1]) if m else None


def split_label(text: str) -> tuple[str, str | None]:
    """ "Keynote: Learning 3D Worlds" -> ("Keynote", "Learning 3D Worlds"); "Welcome" ->
    ("Welcome", None); a long text with no label is a title: ("", text)."""
    text = text.strip()
    m = LABEL.fullmatch(text)
    if m and m["rest"].strip():
        label = m["label"].strip()
        if len(label.split()) <= 5 and (kind_of(label) != "other" or _short_word_label(label)):
            return label.rstrip(":"), m["rest"].strip() or None
    bare = text.rstrip(":").strip()
    if len(bare.split()) <= MAX_LABEL_WORDS and len(bare) <= 80:
        return bare, None
    return "", text


def _short_word_label(label: str) -> bool:
    """ "Q&A", "Paper 5", "Orals 1", "Session 2": a label that names no kind but is short."""
    return len(label) <= 24 and (number_of(label) is not None or label.isupper()
                                 or label in ("Q&A", "QA", "AMA"))  # fmt: skip


def lines_of(cell: Tag) -> list[Tag]:
    """The cell cut at <br> and block elements, each line as a small tag of its own."""
    lines: list[list] = [[]]
    for node in cell.children:
        if isinstance(node, Tag) and node.name == "br":
            lines.append([])
        elif isinstance(node, Tag) and node.name in ("p", "div", "details", "ul", "ol"):
            lines += [[node], []]
        else:
            lines[-1].append(node)
    result = []
    for parts in lines:
        html = "".join(str(p) for p in parts if isinstance(p, Tag | NavigableString))
        tag = soup(f"<td>{html}</td>").td
        if clean(tag.get_text()):
            result.append(tag)
    return result


def read_session(cell: Tag | None, context_kind: str | None = None) -> dict:
    """Label, kind, number, title, the names the cell gives, abstract and markers of a cell."""
    found = {"label": "", "kind": "other", "number": None, "title": None, "names": [],
             "links": {}, "abstract": "", "moderator": None, "markers": [],
             "names_text": ""}  # fmt: skip
    if cell is None:
        return found
    lines = lines_of(cell)
    if not lines:
        return found
    first = lines[0]
    text = clean(first.get_text())
    stripped = clean(MARKER.sub(" ", text))
    if stripped:  # "Title (Remote)": the marker goes back after the title, not into the label
        found["markers"] += [m[1] for m in MARKER.finditer(text)]
        text = stripped
    moderator = MODERATOR.search(text)
    if moderator:
        found["moderator"] = clean(moderator["name"])
        text = clean(text[: moderator.start()] + text[moderator.end() :]).strip(" ,;")
    trailing = re.fullmatch(r"(.*?)[\s,]*\(([^()]*(?:\[[^\]]*\][^()]*)*)\)\s*", text)
    if trailing and trailing[1] and looks_like_names(trailing[2]):
        # "Opening (Qing Qu [UMich], Sultan Al Hajji [MBZUAI])": who, in parentheses
        found["names"], found["names_text"] = split_names(trailing[2]), trailing[2].strip()
        text = trailing[1].strip(" ,")
    label, title = split_label(text)
    found["label"], found["title"] = label, title
    found["kind"] = kind_of(label) if label else (context_kind or "other")
    found["number"] = number_of(label) if label else None
    several = title is not None and len(split_names(title)) > 1
    if (
        title
        and not found["names"]
        and (found["kind"] != "oral" or several)
        and (looks_like_names(title))
    ):
        # "Invited Talk 1: Aditi Raghunathan", "Panel: A, B, C": who, not what.
        found["names"], found["title"] = split_names(title), None
    found["links"] = {clean(a.get_text()): a["href"] for a in cell.find_all("a", href=True)}
    abstract = []
    for line in lines[1:]:
        line_text = clean(line.get_text())
        marker = MARKER_LINE.fullmatch(line_text)
        if marker:
            found["markers"].append(marker[1])
            continue
        m = MODERATOR.search(line_text)
        if m and not found["moderator"] and len(line_text) < 80:
            found["moderator"] = clean(m["name"])
            line_text = clean(line_text[: m.start()] + line_text[m.end() :]).strip(" ,;()")
            if not line_text:
                continue
        if not found["names"] and not abstract and looks_like_names(_no_title(line_text)):
            found["names"] = split_names(_no_title(line_text))
        elif found["title"] is None and not abstract:
            found["title"] = line_text  # "**Keynote**<br>Title", "Invited Talk: Name<br>Title"
        else:
            abstract.append(re.sub(r"^abstract\s*:\s*", "", line_text, flags=re.I))
    found["abstract"] = "\n\n".join(abstract)
    return found


def _no_title(text: str) -> str:
    """ "Dr. Lars Hammarstrand" -> "Lars Hammarstrand"."""
    return re.sub(r"^(?:dr|prof|professor)\.?\s+", "", text, flags=re.I)


def looks_like_names(text: str) -> bool:
    """True for "Aditi Raghunathan" or "A, B and C": every part reads as a person's name."""
    names = split_names(text)
    if not names or len(names) > 12:
        return False
    from wsapp.importers.jekyll.people import Entry

    return all(not_a_person(Entry(n, None, "", None)) is None and len(n.split()) >= 2
               for n in names)  # fmt: skip


def clean_name(name: str) -> str:
    """A name without a title or an affiliation: "Dr. Lars Hammarstrand (Remote)" -> ..."""
    return clean(re.sub(r"\[[^\]]*\]|\([^)]*\)", " ", _no_title(clean(name)))).strip(" .,*")


def known_key(name: str, known: dict[str, str]) -> str | None:
    """The key of a known person of this name (or the same first and last name), else None."""
    name = clean_name(name)
    return known.get(name.casefold()) or _same_person(name, known)


def _same_person(name: str, known: dict[str, str]) -> str | None:
    """ "Dalton Lunga" for the known "Dalton D Lunga": same first and last name, one of them
    with middle names or initials, and no other known person with that first and last name."""
    words = name.casefold().split()
    if len(words) < 2:
        return None
    matches = {
        key
        for known_name, key in known.items()
        if known_name.split()[:1] == words[:1] and known_name.split()[-1:] == words[-1:]
    }
    return matches.pop() if len(matches) == 1 else None


def moderator_in(text: str) -> tuple[str | None, str]:
    """The moderator or chair a text names, and the text without it."""
    m = MODERATOR.search(text)
    if not m:
        return None, text
    return clean(m["name"]), clean(text[: m.start()] + text[m.end() :]).strip(" ,;|")


def key_for(name: str, href: str | None, known: dict[str, str], people: dict) -> str:
    """The person key of a name: a known person's, or a new person's (added to `people`)."""
    name = clean_name(name)
    key = known.get(name.casefold()) or _same_person(name, known)
    if key:
        return key
    key = person_key(name)
    people.setdefault(key, {"key": key, "name": name, "homepage": href, "photo": None})
    known[name.casefold()] = key
    return key
