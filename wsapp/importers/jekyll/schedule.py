"""Schedule rows: time, session ("Invited Talk 3: Title", "Coffee Break") and speakers.

Each row ends when the next one starts (the last one 15 minutes after its start, said in the
report); rules of a pipe table and <tbody> groups of an HTML table become blocks; orals become
papers; "Moderator: X" in the speakers cell names the panel's moderator.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from bs4 import Tag

from wsapp.importers.jekyll import items
from wsapp.importers.jekyll.clock import clock_range
from wsapp.importers.jekyll.people import split_names
from wsapp.importers.jekyll.source import clean
from wsapp.importers.jekyll.tables import Table
from wsapp.timezones.formats import zone

LAST_ITEM = dt.timedelta(minutes=15)
COLUMNS = {  # header words of each column, first match wins (end before start)
    "end": ("end", "until", "finish"),
    "time": ("time", "when", "start", "hour", "clock"),
    "speakers": ("speaker", "presenter", "who", "author", "chair", "moderator", "host"),
    "session": (
        "session",
        "title",
        "talk",
        "event",
        "program",
        "activity",
        "what",
        "topic",
        "schedule",
    ),
}


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


def has_times(table: Table) -> bool:
    """True if any row (or a header that is really a row) starts with a clock time."""
    rows = table.rows + ([table.header_cells] if table.header_cells else [])
    return any(row and clock_range(clean(row[0].get_text())) for row in rows)


def looks_like_schedule(table: Table) -> bool:
    """True for a table whose time column mostly holds clock times (outside a Schedule
    section, e.g. in the introduction)."""
    cols, _ = columns(table, lambda message: None)
    cells = [clean(r[cols["time"]].get_text()) for r in table.rows if cols["time"] < len(r)]
    times = sum(1 for text in cells if clock_range(text))
    return times >= 2 and times * 2 >= len(cells)


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
            times = _afternoon(times, cell("time"), previous, note)
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
                     note)  # fmt: skip
        item.update(start=start, end=end, block=block)
        extras = [(header[i], clean(cells[i].get_text())) for i in extra if i < len(cells)]
        if any(value for _, value in extras):
            lines = [item.get("abstract_md", "")] + [f"**{h}:** {v}" for h, v in extras if v]
            item["abstract_md"] = "\n\n".join(line for line in lines if line)
        result.items.append(item)
        previous = start
    finish(result, note)
    return result


def finish(result: Schedule, note) -> None:
    """Ends from the next row's start; times as ISO text."""
    _ends(result.items, note)
    for item in result.items:
        item["start"], item["end"] = item["start"].isoformat(), item["end"].isoformat()


def _afternoon(times, text: str, previous: dt.datetime | None, note):
    """ "12:45 - 02:15" then "02:15 - 02:40" with no am/pm: the afternoon, read on a 12-hour
    clock, comes after the morning rather than on the next day."""
    start, end = times
    if re.search(r"[ap]\.?\s*m\b", text, re.I):
        return times
    later = dt.timedelta(hours=12)

    def shifted(t: dt.time) -> dt.time:
        return (dt.datetime.combine(dt.date.min, t) + later).time()

    if previous is not None and start.hour < 12 and start < previous.time():
        if shifted(start) >= previous.time():
            note(f"schedule time {text!r} has no am/pm and comes after {previous:%H:%M}: read "
                 "as afternoon")  # fmt: skip
            start = shifted(start)
            end = shifted(end) if end is not None and end.hour < 12 else end
    if end is not None and end < start and end.hour < 12 and shifted(end) >= start:
        end = shifted(end)
    return start, end


def _tag(cells: list[Tag], cols: dict[str, int], name: str) -> Tag | None:
    return cells[cols[name]] if name in cols and cols[name] < len(cells) else None


def _picker(cells: list[Tag], cols: dict[str, int]):
    """cell(name): the text of the named column in this row ("" if the row has no such cell)."""

    def cell(name: str) -> str:
        tag = _tag(cells, cols, name)
        return clean(tag.get_text()) if tag is not None else ""

    return cell


def _item(session: Tag | None, speakers: Tag | None, known, result: Schedule, note) -> dict:
    info = items.read_session(session)
    text = clean(speakers.get_text()) if speakers is not None else ""
    if re.fullmatch(r"[\W_]*", text):
        text = ""  # "/" or "-": the page's way of leaving the cell empty
    moderator, text = items.moderator_in(text)
    if speakers is not None and info["title"] is None and not info["names"]:
        # "<i>Keynote 1:</i> <a>Kevin Ellis</a>" or "<i>Orals 1: A Title</i>" in the
        # speakers' column: the words that are not the linked names are the title.
        linked = [clean(a.get_text()) for a in speakers.find_all("a", href=True)]
        rest = text
        for name in linked:
            rest = rest.replace(name, " ")
        if linked:  # "<a>Koushik Sen</a> (Berkeley), ...": the places go with the names
            rest = re.sub(r"\([^)]*\)", " ", rest)
        rest = clean(rest).strip(" ,;")
        if rest and (":" in rest or len(rest.split()) > 6) and not items.looks_like_names(rest):
            info["title"] = rest.rstrip(":").strip()
            text = ", ".join(linked)
    moderator = moderator or info["moderator"]
    title = info["title"]
    if title and info["markers"]:
        title = f"{title} ({', '.join(info['markers'])})"
    item = {"kind": info["kind"], "number": info["number"], "label": info["label"],
            "title": title, "presenters": [], "presenters_text": "", "paper": None,
            "moderator": None}  # fmt: skip
    links = dict(info["links"])
    if speakers is not None:
        links.update({clean(a.get_text()): a["href"] for a in speakers.find_all("a", href=True)})
    if moderator:
        item["moderator"] = items.key_for(moderator, links.get(moderator), known, result.people)
        result.moderators.append(item["moderator"])
    if info["abstract"]:
        item["abstract_md"] = info["abstract"]
    names_text = text or ", ".join(info["names"])
    if item["kind"] == "oral" and info["title"]:
        key = f"oral-{len([p for p in result.papers if p['presentation'] == 'oral']) + 1}"
        link = session.find("a", href=True) if session is not None else None
        result.papers.append({"key": key, "title": info["title"], "authors": names_text,
                              "presentation": "oral",
                              "paper_url": link["href"] if link else None})  # fmt: skip
        item["paper"] = key
        if info["markers"]:
            item["presenters_text"] = names_text
        return item
    item["presenters"] = _presenters(names_text, links, known, result)
    if not item["presenters"]:
        item["presenters_text"] = names_text
        if speakers is not None and speakers.find("a", href=True):
            note(f"speaker links in {names_text!r} not kept: not every name there is a person "
                 "of the page (the names are kept as text)")  # fmt: skip
    session_links = session.find_all("a", href=True) if session is not None else []
    if session_links and not info["names"]:
        kept = " ".join(f"[{clean(a.get_text())}]({a['href']})" for a in session_links)
        item["abstract_md"] = "\n\n".join(filter(None, [kept, item.get("abstract_md")]))
        note(f"links in the session cell of {item['label'] or title!r} kept in its abstract")
    return item


def _presenters(text: str, links: dict[str, str], known: dict[str, str], result) -> list:
    """Person keys when every name is a known person or a linked name, else []."""
    if not text:
        return []
    names = split_names(text)
    linked = {items.clean_name(k): v for k, v in links.items()}
    if not names or not all(items.known_key(n, known) or items.clean_name(n) in linked
                            for n in names):  # fmt: skip
        return []
    return [items.key_for(n, linked.get(items.clean_name(n)), known, result.people) for n in names]


def _ends(items: list[dict], note) -> None:
    for item, following in zip(items, items[1:] + [None], strict=True):
        if item["end"] is None:
            if following is not None:
                item["end"] = max(following["start"], item["start"])
            else:
                item["end"] = item["start"] + LAST_ITEM
                what = item["title"] or item.get("label") or item["kind"]
                note(f"the last schedule item ({what}) has no end time; "
                     f"it ends {LAST_ITEM.seconds // 60} minutes after its start")  # fmt: skip
        if item["end"] < item["start"]:
            item["end"] = item["start"]


def _row_text(cells: list[Tag]) -> str:
    return " | ".join(text for c in cells if (text := clean(c.get_text())))
