"""Schedule rows: time, session ("Invited Talk 3: Title", "Coffee Break") and speakers.

Each row ends when the next one starts (the last one 15 minutes after its start, said in the
report); rules of a pipe table and <tbody> groups of an HTML table become blocks; orals become
papers; "Moderator: X" in the speakers cell names the panel's moderator.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from bs4 import Tag

from wsapp.importers.jekyll.clock import clock_range
from wsapp.importers.jekyll.people import person_key
from wsapp.importers.jekyll.source import clean
from wsapp.importers.jekyll.tables import Table
from wsapp.timezones.formats import zone

LAST_ITEM = dt.timedelta(minutes=15)
COLUMNS = {  # header words of each column, first match wins (end before start)
    "end": ("end", "until", "finish"),
    "time": ("time", "when", "start", "hour", "clock"),
    "speakers": ("speaker", "presenter", "who", "author", "chair", "moderator", "host"),
    "session": ("session", "title", "talk", "event", "program", "activity", "what", "topic"),
}
PREFIXES = {
    "invited talk": "invited_talk", "invited keynote": "invited_talk",
    "keynote talk": "invited_talk", "keynote": "invited_talk", "talk": "invited_talk",
    "oral presentation": "oral",
    "contributed talk": "oral", "oral": "oral", "spotlight talk": "oral", "spotlight": "oral",
    "panel discussion": "panel", "panel": "panel", "poster session": "poster_session",
    "opening remarks": "opening", "closing remarks": "closing",
}  # fmt: skip
WHOLE = {
    "opening": "opening", "welcome": "opening", "welcome remarks": "opening",
    "opening address": "opening", "introduction": "opening", "closing": "closing",
    "concluding remarks": "closing", "coffee break": "coffee_break", "break": "coffee_break",
    "coffee": "coffee_break", "lunch break": "lunch_break", "lunch": "lunch_break",
    "posters": "poster_session",
}  # fmt: skip
PREFIX = re.compile(
    r"(?P<label>" + "|".join(sorted(map(re.escape, PREFIXES), key=len, reverse=True)) + r")"
    r"\s*(?P<number>\d+)?\s*(?:[:.\-–—]\s*(?P<title>.*))?",
    re.I,
)
MODERATOR = re.compile(r"moderat(?:or|ed by)\s*:?\s*(?P<name>[^;|]+)", re.I)


@dataclass
class Schedule:
    items: list[dict] = field(default_factory=list)
    papers: list[dict] = field(default_factory=list)
    people: dict[str, dict] = field(default_factory=dict)  # new people (moderators, linked names)
    moderators: list[str] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)


def columns(table: Table, warn) -> tuple[dict[str, int], bool]:
    """Which cell holds what, from the header; positions 0, 1, 2 when there is none.

    Also says whether the header is really a first row (its first cell is a time).
    """
    header = [h.lower() for h in table.header]
    if header and clock_range(header[0]) and "time" not in header[0]:
        header = []
        header_is_row = True
    else:
        header_is_row = False
    found: dict[str, int] = {}
    for i, text in enumerate(header):
        for name, words in COLUMNS.items():
            if name not in found and any(w in text for w in words):
                found[name] = i
                break
    if "time" not in found or "session" not in found:
        if header:
            warn(f"schedule columns {table.header} not all recognised; reading time, session, "
                 "speakers from the first three columns")  # fmt: skip
        found = {"time": 0, "session": 1, "speakers": 2} | {
            k: v for k, v in found.items() if k == "end"
        }
    return found, header_is_row


def looks_like_schedule(table: Table) -> bool:
    """True for a table whose time column mostly holds clock times (outside a Schedule
    section, e.g. in the introduction)."""
    cols, _ = columns(table, lambda message: None)
    cells = [clean(r[cols["time"]].get_text()) for r in table.rows if cols["time"] < len(r)]
    times = sum(1 for text in cells if clock_range(text))
    return times >= 2 and times * 2 >= len(cells)


def classify(cell: Tag) -> tuple[str, int | None, str | None]:
    """ "**Invited Talk 3:** Title" -> ("invited_talk", 3, "Title"); "Coffee Break" -> no title."""
    text = clean(cell.get_text())
    m = PREFIX.fullmatch(text)
    if m:
        title = (m["title"] or "").strip() or None
        return PREFIXES[m["label"].lower()], int(m["number"]) if m["number"] else None, title
    kind = WHOLE.get(text.lower().rstrip(":. "))
    if kind:
        return kind, None, None
    return "other", None, text or None


def build(table: Table, tz: str, day: dt.date, known: dict[str, str], warn, note) -> Schedule:
    """The wsapp/1 schedule items (and papers) of one table, on `day` in `tz`."""
    result = Schedule()
    cols, header_is_row = columns(table, warn)
    header = [] if header_is_row else table.header
    extra = [i for i in range(len(header)) if i not in cols.values()]
    result.extra_columns = [header[i] for i in extra]
    rows: list[tuple[int, list[Tag]]] = [(b, r) for b, g in enumerate(table.groups, 1) for r in g]
    if header_is_row:  # "| 09:00 | Opening |" above the first rule: a row, not a header
        rows.insert(0, (1, table.header_cells))
    previous: dt.datetime | None = None
    current_day = day
    for block, cells in rows:
        if not any(clean(c.get_text()) for c in cells):
            continue
        cell = _picker(cells, cols)
        times = clock_range(cell("time")) if cell("time") else None
        if times is None:
            if previous is None:
                warn(f"schedule row {_row_text(cells)!r} has no start time and nothing before "
                     "it; skipped")  # fmt: skip
                continue
            warn(f"schedule row {_row_text(cells)!r} has no start time; it starts with the row "
                 "above")  # fmt: skip
            start, end = previous, None
        else:
            start = dt.datetime.combine(current_day, times[0], tzinfo=zone(tz))
            if previous and start < previous:
                current_day += dt.timedelta(days=1)
                start += dt.timedelta(days=1)
                warn(f"schedule time {times[0]:%H:%M} is earlier than the row above; read as "
                     f"the next day, {current_day.isoformat()}")  # fmt: skip
            end = dt.datetime.combine(current_day, times[1], tzinfo=zone(tz)) if times[1] else None
        if end is None and clock_range(cell("end")):
            end = dt.datetime.combine(current_day, clock_range(cell("end"))[0], tzinfo=zone(tz))
        item = _item(_tag(cells, cols, "session"), _tag(cells, cols, "speakers"), known, result,
                     warn)  # fmt: skip
        item.update(start=start, end=end, block=block)
        extras = [(header[i], clean(cells[i].get_text())) for i in extra if i < len(cells)]
        if any(value for _, value in extras):
            lines = [item.get("abstract_md", "")] + [f"**{h}:** {v}" for h, v in extras if v]
            item["abstract_md"] = "\n\n".join(line for line in lines if line)
        result.items.append(item)
        previous = start
    _ends(result.items, note)
    for item in result.items:
        item["start"], item["end"] = item["start"].isoformat(), item["end"].isoformat()
    return result


def _tag(cells: list[Tag], cols: dict[str, int], name: str) -> Tag | None:
    return cells[cols[name]] if name in cols and cols[name] < len(cells) else None


def _picker(cells: list[Tag], cols: dict[str, int]):
    """cell(name): the text of the named column in this row ("" if the row has no such cell)."""

    def cell(name: str) -> str:
        tag = _tag(cells, cols, name)
        return clean(tag.get_text()) if tag is not None else ""

    return cell


def _item(session: Tag | None, speakers: Tag | None, known, result: Schedule, warn) -> dict:
    kind, number, title = classify(session) if session is not None else ("other", None, None)
    text = clean(speakers.get_text()) if speakers is not None else ""
    item = {"kind": kind, "number": number, "title": title, "presenters": [],
            "presenters_text": "", "paper": None, "moderator": None}  # fmt: skip
    m = MODERATOR.search(text)
    if m:
        name = clean(m["name"])
        link = speakers.find("a", string=re.compile(re.escape(name))) if speakers else None
        item["moderator"] = _person(name, link.get("href") if link else None, known, result)
        result.moderators.append(item["moderator"])
        text = clean(text[: m.start()] + text[m.end() :]).strip(" ;,|")
    if kind == "oral" and title:
        key = f"oral-{number or sum(p['presentation'] == 'oral' for p in result.papers) + 1}"
        link = session.find("a", href=True)
        result.papers.append({"key": key, "title": title, "authors": text,
                              "presentation": "oral",
                              "paper_url": link["href"] if link else None})  # fmt: skip
        item["paper"] = key
        return item
    item["presenters"] = _presenters(text, speakers, known, result)
    if not item["presenters"]:
        item["presenters_text"] = text
        if speakers is not None and speakers.find("a", href=True):
            warn(f"speaker links in {text!r} not kept: not every name there is a person of "
                 "the page (the names are kept as text)")  # fmt: skip
    if session is not None:
        links = [a for a in session.find_all("a", href=True)]
        if links:
            item["abstract_md"] = " ".join(f"[{clean(a.get_text())}]({a['href']})" for a in links)
            warn(f"links in the session cell of {title!r} kept in its abstract")
    return item


def _presenters(text: str, cell: Tag | None, known: dict[str, str], result: Schedule) -> list:
    """Person keys when every name in the cell is a known person or a linked name, else []."""
    if not text:
        return []
    links = {clean(a.get_text()): a["href"] for a in cell.find_all("a", href=True)} if cell else {}
    names = [n.strip() for n in re.split(r",|;|\band\b|&", text) if n.strip()]
    if not all(n.casefold() in known or n in links for n in names):
        return []
    return [_person(n, links.get(n), known, result) for n in names]


def _person(name: str, href: str | None, known: dict[str, str], result: Schedule) -> str:
    key = known.get(name.casefold())
    if key:
        return key
    key = person_key(name)
    result.people.setdefault(key, {"key": key, "name": name, "homepage": href, "photo": None})
    known[name.casefold()] = key
    return key


def _ends(items: list[dict], note) -> None:
    for item, following in zip(items, items[1:] + [None], strict=True):
        if item["end"] is None:
            if following is not None:
                item["end"] = max(following["start"], item["start"])
            else:
                item["end"] = item["start"] + LAST_ITEM
                note(f"the last schedule item ({item['title'] or item['kind']}) has no end time; "
                     f"it ends {LAST_ITEM.seconds // 60} minutes after its start")  # fmt: skip
        if item["end"] < item["start"]:
            item["end"] = item["start"]


def _row_text(cells: list[Tag]) -> str:
    return " | ".join(text for c in cells if (text := clean(c.get_text())))
