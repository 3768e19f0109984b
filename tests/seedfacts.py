"""Facts of an old Jekyll workshop page or news post, parsed from its source (tests, importer)."""

from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag


@dataclass(frozen=True)
class Link:
    href: str
    text: str = ""
    image: str | None = None


@dataclass(frozen=True)
class Person:
    name: str
    href: str | None
    caption: str  # as printed under the name: "Associate Professor, UIUC"
    photo: str | None = None


@dataclass(frozen=True)
class Paragraph:
    text: str
    links: tuple[Link, ...] = ()
    struck: tuple[str, ...] = ()  # texts inside <s>


@dataclass(frozen=True)
class ScheduleRow:
    time: dt.time  # venue-local, as printed
    time_text: str  # "08:55 am"
    label: str  # "Invited talk 5", "Coffee Break"
    title: str | None
    presenters: str  # the cell's text, "" when empty
    moderator: str | None
    block: int  # rows between two rules of the old table share a block
    presenter_links: tuple[Link, ...] = ()

    @property
    def kind(self) -> str:
        """The label without its number, lower case: "invited talk", "coffee break"."""
        return re.sub(r"\s*\d+$", "", self.label).lower()

    @property
    def number(self) -> int | None:
        m = re.search(r"(\d+)$", self.label)
        return int(m[1]) if m else None


@dataclass
class Topic:
    text: str
    children: list[Topic] = field(default_factory=list)


@dataclass(frozen=True)
class ImportantDate:
    label: str
    earlier: tuple[str, ...]  # struck-through old values, oldest first
    value: str  # "October 6th, 2023, 11:59 PM Anywhere on Earth (AoE)"


@dataclass(frozen=True)
class DateValue:
    date: dt.date | None
    time: dt.time | None
    aoe: bool


@dataclass
class SeedFacts:
    front_matter: dict[str, str]
    title: str
    conference: str | None  # "NeurIPS 2023", from "desc_title: ... @ NeurIPS 2023"
    tagline: str
    tagline_parts: list[str]  # the bold lead and the rest
    intro: list[Paragraph]
    conference_link: Link | None
    schedule_timezone: str | None  # "CST/GMT-06:00, New Orleans"
    schedule: list[ScheduleRow]
    speakers: list[Person]
    panelists: list[Person]
    organizers: list[Person]
    sponsors: list[Link]
    institutions: list[Link]
    topics: list[Topic]
    criteria: list[str]
    dates: list[ImportantDate]
    submission_url: str | None
    cfp_links: list[Link]
    cfp_paragraphs: list[Paragraph]


@dataclass
class SeedPost:
    front_matter: dict[str, str]
    title: str
    published: dt.datetime | None
    paragraphs: list[Paragraph]
    headings: list[str]


@dataclass(frozen=True)
class _Section:
    level: int
    title: str
    text: str


def parse_seed(path: str | Path) -> SeedFacts:
    """The facts of a workshop home page (layout: home) of the old Jekyll sites."""
    front, body = split_front_matter(read_seed_text(path))
    sections = _sections(strip_comments(body))
    desc_title = front.get("desc_title") or front.get("title", "")
    title, _, conference = (part.strip() for part in desc_title.partition(" @ "))
    tagline_soup = _soup(front.get("description", ""))
    tagline_parts = [clean(b.get_text()) for b in tagline_soup.find_all(["strong", "b"])]
    rest = clean(tagline_soup.get_text())
    for part in tagline_parts:
        rest = rest.replace(part, "", 1)
    tagline_parts.append(re.sub(r"^[\s\-–—:]+", "", rest))
    cfp = _region(sections, "call for papers") + _region(sections, "submission instructions")
    cfp_blocks = _blocks(cfp)
    cfp_paragraphs = [_paragraph(text) for kind, text in cfp_blocks if kind == "p"]
    schedule_text = _region(sections, "schedule")
    timezone, schedule = _schedule(schedule_text)
    return SeedFacts(
        front_matter=front,
        title=title,
        conference=conference or None,
        tagline=clean(tagline_soup.get_text()),
        tagline_parts=[p for p in tagline_parts if p],
        intro=_paragraphs(_blocks(sections[0].text if sections[0].level == 0 else "")),
        conference_link=_conference_link(strip_comments(body)),
        schedule_timezone=timezone,
        schedule=schedule,
        speakers=_people(_titled(sections, "speakers")),
        panelists=_people(_titled(sections, "panelists")),
        organizers=_people(_titled(sections, "organizers")),
        sponsors=_links(_titled(sections, "sponsors", contains=True)),
        institutions=_links(_titled(sections, "affiliations", contains=True)),
        topics=_list_after(cfp_blocks, ("not limited to", "topics")),
        criteria=[t.text for t in _list_after(cfp_blocks, ("criteria",))],
        dates=[_important_date(item) for item in _list_items(_region(sections, "important dates"))],
        submission_url=next(
            (link.href for p in cfp_paragraphs for link in p.links if "submi" in p.text.lower()),
            None,
        ),
        cfp_links=list({link.href: link for p in cfp_paragraphs for link in p.links}.values()),
        cfp_paragraphs=cfp_paragraphs,
    )


def parse_post(path: str | Path) -> SeedPost:
    """A news post (layout: post): title, date, paragraphs and headings of the body."""
    front, body = split_front_matter(read_seed_text(path))
    sections = _sections(strip_comments(body))
    published = None
    if front.get("date"):
        published = dt.datetime.fromisoformat(re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", front["date"]))
    return SeedPost(
        front_matter=front,
        title=front.get("title", ""),
        published=published,
        paragraphs=[p for s in sections for p in _paragraphs(_blocks(s.text))],
        headings=[s.title for s in sections if s.level],
    )


def read_seed_text(path: str | Path) -> str:
    """The file's text, with lines that were UTF-8 read as Mac Roman ("Tram√®r") repaired."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return "\n".join(_demojibake(line) for line in lines) + "\n"


def _demojibake(line: str) -> str:
    if line.isascii():
        return line
    try:
        return line.encode("mac_roman").decode("utf-8")
    except UnicodeError:
        return line


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """YAML-ish front matter as a flat dict (values are unquoted strings) and the body."""
    m = re.match(r"---\n(.*?)\n---\n", text, re.S)
    if not m:
        return {}, text
    front = {}
    for line in m[1].splitlines():
        key, sep, value = line.partition(":")
        if sep and not line.lstrip().startswith("#"):
            front[key.strip()] = value.strip().strip("'\"")
    return front, text[m.end() :]


def strip_comments(text: str) -> str:
    return re.sub(r"<!--.*?-->", "", text, flags=re.S)


def clean(text: str) -> str:
    """Collapse every run of whitespace (non-breaking spaces too) into one space."""
    return " ".join(text.split())


def normalize_time_text(text: str) -> str:
    """ "08:55 am" and "8:55 AM" both become "8:55 am"."""
    text = clean(text).lower().replace(".", "")
    return re.sub(r"^0(\d)", r"\1", re.sub(r"(\d)(am|pm)$", r"\1 \2", text))


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z“\"(])", clean(text)) if s]


_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_MONTH = r"([A-Za-z]{3,9})\.?"
_DATE_FORMS = (
    (re.compile(_MONTH + r" (\d{1,2}),? (\d{4})"), "mdy"),  # October 6, 2023
    (re.compile(r"(\d{1,2}) " + _MONTH + r",? (\d{4})"), "dmy"),  # 6 October 2023
    (re.compile(r"(\d{4})-(\d\d)-(\d\d)"), "ymd"),  # 2023-10-06
)


def dates_in(text: str) -> list[tuple[dt.date, str]]:
    """Every date written in text (ordinals allowed: "October 6th, 2023"), with its spelling."""
    text = re.sub(r"\b(\d{1,2})(st|nd|rd|th)\b", r"\1", clean(text))
    found = []
    for pattern, order in _DATE_FORMS:
        for m in pattern.finditer(text):
            parts = dict(zip(order, m.groups(), strict=True))
            month = parts["m"] if parts["m"].isdigit() else _MONTHS.get(parts["m"][:3].lower())
            try:
                found.append((dt.date(int(parts["y"]), int(month), int(parts["d"])), m[0]))
            except (TypeError, ValueError):  # "Speaker 1 2023" and the like
                continue
    return found


def parse_date_value(text: str) -> DateValue:
    """The date, time and AoE-ness of "October 6th, 2023, 11:59 PM Anywhere on Earth (AoE)"."""
    text = re.sub(r"\b(\d{1,2})(st|nd|rd|th)\b", r"\1", clean(text))
    found = dates_in(text)
    date = found[0][0] if found else None
    if found:
        text = text.replace(found[0][1], " ")
    m = re.search(r"(?<![\d:])(\d{1,2}):(\d\d)(?::\d\d)?\s*([ap])?\.?m?\b", text, re.I)
    lower = text.lower()
    return DateValue(
        date, _clock(*m.groups()) if m else None, "aoe" in lower or "anywhere on earth" in lower
    )


def _clock(hour: str, minute: str, am_pm: str | None) -> dt.time:
    """A time from "11", "59" and "p" (12-hour) or None (24-hour)."""
    h = int(hour)
    if am_pm:
        h = h % 12 + (12 if am_pm.lower() == "p" else 0)
    return dt.time(h, int(minute))


def _soup(html: str) -> BeautifulSoup:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(html, "html.parser")


def _md_inline(text: str) -> str:
    """The Markdown the seeds use inside a line (bold, emphasis, links) as HTML."""
    text = re.sub(r"\[([^\]]*)\]\(([^)\s]+)\)", r'<a href="\2">\1</a>', text)
    text = re.sub(r"<(https?://[^>\s]+)>", r'<a href="\1">\1</a>', text)
    text = re.sub(r"\*\*(.+?)\*\*|__(.+?)__", lambda m: f"<strong>{m[1] or m[2]}</strong>", text)
    return re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<em>\1</em>", text)


def _sections(body: str) -> list[_Section]:
    """The body cut at every Markdown heading; text before the first heading is level 0."""
    sections, level, title, lines = [], 0, "", []
    for line in body.splitlines():
        m = re.match(r"(#{1,6})\s+(.*?)\s*#*\s*$", line)
        if m:
            sections.append(_Section(level, title, "\n".join(lines)))
            level, title, lines = len(m[1]), clean(m[2]), []
        else:
            lines.append(line)
    sections.append(_Section(level, title, "\n".join(lines)))
    return sections


def _titled(sections: list[_Section], name: str, contains: bool = False) -> str:
    """The text of every section with that title (two "### Speakers" give both, in order)."""
    hits = [
        s.text
        for s in sections
        if (name in s.title.lower() if contains else s.title.lower() == name)
    ]
    return "\n".join(hits)


def _region(sections: list[_Section], name: str) -> str:
    """The text of the first section titled name and of its subsections."""
    out, level = [], None
    for s in sections:
        if level is None and s.level and s.title.lower() == name:
            level = s.level
        elif level is not None and s.level <= level:
            break
        if level is not None:
            out.append(s.text)
    return "\n".join(out)


_HTML_BLOCK = re.compile(r"\s*</?(table|thead|tbody|tr|td|th|ol|ul|li|p|div|colgroup|col)\b", re.I)


def _blocks(text: str) -> list[tuple[str, str]]:
    """Markdown blocks as (kind, source): kind is p, list, table, html or hr."""
    blocks: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        current = blocks[-1][0] if blocks else None
        if not line.strip():
            kind = "blank"
        elif re.match(r"\s*([-*_])(\s*\1){2,}\s*$", line):
            kind = "hr"
        elif re.match(r"\s*[*+-]\s+", line) or (current == "list" and line.startswith(" ")):
            kind = "list"
        elif line.lstrip().startswith("|"):
            kind = "table"
        elif current == "html" or _HTML_BLOCK.match(line):
            kind = "html"  # like Markdown, an HTML block runs to the next blank line
        else:
            kind = "p"
        if kind == current and kind not in ("blank", "hr"):
            blocks[-1][1].append(line)
        else:
            blocks.append((kind, [line]))
    return [(kind, "\n".join(lines)) for kind, lines in blocks if kind != "blank"]


def _paragraph(source: str) -> Paragraph:
    soup = _soup(_md_inline(source))
    links = tuple(Link(a["href"], clean(a.get_text())) for a in soup.find_all("a", href=True))
    return Paragraph(clean(soup.get_text()), links, tuple(clean(s.get_text()) for s in soup("s")))


def _paragraphs(blocks: list[tuple[str, str]]) -> list[Paragraph]:
    """Paragraphs, and the items of HTML or Markdown lists, in order."""
    out = []
    for kind, source in blocks:
        if kind == "p":
            out.append(_paragraph(source))
        elif kind == "html":
            soup = _soup(source)
            out += [_paragraph(str(el)) for el in soup.find_all(["li", "p"])]
        elif kind == "list":
            out += [_paragraph(item) for item in _list_items(source)]
    return [p for p in out if p.text]


def _list_items(text: str) -> list[str]:
    return [m[1] for m in re.finditer(r"^\s*[*+-]\s+(.*)$", text, re.M)]


def _topic_tree(source: str) -> list[Topic]:
    root: list[Topic] = []
    stack: list[tuple[int, list[Topic]]] = [(-1, root)]
    last: Topic | None = None
    for line in source.splitlines():
        m = re.match(r"(\s*)[*+-]\s+(.*)", line)
        if not m:
            if last:  # a continuation line belongs to the item above
                last.text = clean(last.text + " " + _soup(_md_inline(line)).get_text())
            continue
        indent = len(m[1].expandtabs(4))
        while stack[-1][0] >= indent:
            stack.pop()
        last = Topic(clean(_soup(_md_inline(m[2])).get_text()))
        stack[-1][1].append(last)
        stack.append((indent, last.children))
    return root


def _list_after(blocks: list[tuple[str, str]], cues: tuple[str, ...]) -> list[Topic]:
    """The first list whose introducing paragraph mentions one of the cues."""
    for (kind, source), (next_kind, next_source) in zip(blocks, blocks[1:], strict=False):
        if kind == "p" and next_kind == "list" and any(c in source.lower() for c in cues):
            return _topic_tree(next_source)
    return []


def _people(html: str) -> list[Person]:
    """People from tables whose rows alternate photos and "<a>Name</a> <br> Caption" cells."""
    people = []
    for table in _soup(html).find_all("table"):
        photos: list[str | None] = []
        for tr in table.find_all("tr"):
            cells = tr.find_all(["td", "th"])
            if not any(clean(td.get_text()) for td in cells):
                photos = [td.img.get("src") if td.img else None for td in cells] or photos
                continue
            for i, td in enumerate(cells):
                if clean(td.get_text()):
                    people.append(_person(td, photos[i] if i < len(photos) else None))
            photos = []
    return people


def _person(td: Tag, photo: str | None) -> Person:
    """ "<a href>Name</a> <br> Caption": the name before the first <br>, the caption after."""
    parts: list[list] = [[]]
    for node in td.children:
        if isinstance(node, Tag) and node.name == "br" and len(parts) == 1:
            parts.append([])
        else:
            parts[-1].append(node)
    name_nodes, caption_nodes = parts[0], parts[1] if len(parts) > 1 else []
    link = _soup("".join(str(n) for n in name_nodes)).find("a", href=True)
    return Person(
        name=_text(name_nodes),
        href=link["href"] if link else None,
        caption=_text(caption_nodes),
        photo=photo,
    )


def _text(nodes: list) -> str:
    return clean("".join(n.get_text() if isinstance(n, Tag) else str(n) for n in nodes))


def _links(html: str) -> list[Link]:
    return [
        Link(a["href"], clean(a.get_text()), a.img.get("src") if a.img else None)
        for a in _soup(html).find_all("a", href=True)
    ]


def _conference_link(body: str) -> Link | None:
    for line in body.splitlines():
        if re.search(r"link to .+ page", line, re.I):
            a = _soup(_md_inline(line)).find("a", href=True)
            if a:
                return Link(a["href"], clean(a.get_text()))
    return None


def _important_date(item: str) -> ImportantDate:
    soup = _soup(_md_inline(item))
    strong = soup.find(["strong", "b"])
    label = clean(strong.get_text()).rstrip(":") if strong else ""
    earlier = tuple(clean(s.get_text()) for s in soup.find_all("s"))
    for tag in [strong, *soup.find_all("s")]:
        if tag:
            tag.decompose()
    value = re.sub(r"^[\s:]+", "", clean(soup.get_text()))
    if not strong:
        label, _, value = (clean(x) for x in value.partition(":"))
    return ImportantDate(label, earlier, value)


def _schedule(text: str) -> tuple[str | None, list[ScheduleRow]]:
    """The venue timezone named in the header and the rows of the schedule table."""
    header = re.search(r"start time\s*\(([^)]*)\)", text, re.I)
    raw = _pipe_rows(text) if re.search(r"^\s*\|", text, re.M) else _html_rows(text)
    return (header[1].strip() if header else None), [_row(*r) for r in raw if len(r[0]) >= 3]


def _pipe_rows(text: str):
    """Cells of a kramdown pipe table; a |---| rule between body rows starts a new block."""
    rows, block, seen_header, rows_in_block = [], 0, False, 0
    for line in text.splitlines():
        if not line.strip().startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if all(re.fullmatch(r"[\s:-]*", c) for c in cells):
            if rows_in_block:
                block, rows_in_block = block + 1, 0
        elif not seen_header:
            seen_header = True
        else:
            rows.append(([_soup(_md_inline(c)) for c in cells], block))
            rows_in_block += 1
    return rows


def _html_rows(text: str):
    soup = _soup(text)
    table = soup.find("table")
    if table is None:
        return []
    groups = table.find_all("tbody") or [table]
    return [
        (tr.find_all("td"), block)
        for block, group in enumerate(groups)
        for tr in group.find_all("tr")
        if tr.find_all("td")
    ]


def _row(cells, block: int) -> ScheduleRow:
    time_text = clean(cells[0].get_text())
    m = re.search(r"(\d{1,2}):(\d\d)\s*([ap])?", time_text, re.I)
    session = cells[1]
    text = clean(session.get_text())
    strong = session.find(["strong", "b"])
    if strong and text.startswith(clean(strong.get_text())):
        label = clean(strong.get_text())
        title = text[len(label) :]
    else:
        m_label = re.match(r"(.*?\d+)\s*:\s*(.*)", text)
        label, title = (m_label[1], m_label[2]) if m_label else (text, "")
    presenters = clean(cells[2].get_text())
    moderator = re.match(r"moderator:\s*(.+)", presenters, re.I)
    links = tuple(Link(a["href"], clean(a.get_text())) for a in cells[2].find_all("a", href=True))
    return ScheduleRow(
        time=_clock(m[1], m[2], m[3]),
        time_text=time_text,
        label=label.rstrip(": "),
        title=re.sub(r"^[\s:]+", "", title) or None,
        presenters=presenters,
        moderator=moderator[1] if moderator else None,
        block=block,
        presenter_links=links,
    )
