"""Every fact on the seed pages is on the matching wsapp page (issue 2).

The expected facts are parsed from the seed copies in tests/fixtures by seedfacts.py, never listed
by hand. Tests with "parser" in their name check the parser alone and need no app; the others need
the `client` fixture with the demo content loaded. Each of those is a `check_*(client, slug, facts)`
function, listed in FACT_CHECKS, so the same checks also run against a workshop imported from the
seed page (tests/test_jekyll_import.py).
"""

import datetime as dt
import functools
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup, Tag
from seedfacts import (
    SeedFacts,
    Topic,
    clean,
    dates_in,
    normalize_time_text,
    parse_date_value,
    parse_post,
    parse_seed,
    read_seed_text,
    sentences,
)

FIXTURES = Path(__file__).parent / "fixtures"
SEED_FILES = {"bugs-2023": "bugs-2023-page-final.md", "synthetic-2024": "001_9cc6530fd49b137d.txt"}
NEWS_FILES = [("bugs-2023", "000_57b55239e531d781.txt")]
SLUGS = list(SEED_FILES)
PEOPLE_PAGES = {"speakers": "speakers", "panelists": "speakers", "organizers": "organizers"}


@functools.cache
def seed(slug: str) -> SeedFacts:
    return parse_seed(FIXTURES / SEED_FILES[slug])


def get_page(client, path: str) -> BeautifulSoup:
    response = client.get(path)
    assert response.status_code == 200, f"GET {path} answered {response.status_code}"
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def text_of(node) -> str:
    return clean(node.get_text()) if node is not None else ""


def one(soup: BeautifulSoup, selector: str, path: str) -> Tag:
    found = soup.select(selector)
    assert len(found) == 1, f"{path}: expected one {selector!r}, found {len(found)}"
    return found[0]


def report(path: str, problems: list[str]) -> str:
    return f"{path}:\n  " + "\n  ".join(problems)


# --- the parser alone -------------------------------------------------------------------------

COUNTS = {
    "bugs-2023": dict(
        schedule=19,
        speakers=7,
        panelists=4,
        organizers=10,
        sponsors=2,
        institutions=8,
        topics=3,
        criteria=3,
        dates=4,
    ),
    "synthetic-2024": dict(
        schedule=19,
        speakers=13,
        panelists=4,
        organizers=10,
        sponsors=3,
        institutions=8,
        topics=3,
        criteria=3,
        dates=4,
    ),
}


@pytest.mark.parametrize("slug", SLUGS)
def test_parser_counts(slug):
    counts = {name: len(getattr(seed(slug), name)) for name in COUNTS[slug]}
    assert counts == COUNTS[slug]


@pytest.mark.parametrize("slug", SLUGS)
def test_parser_schedule_blocks_follow_the_rules_of_the_table(slug):
    blocks = [row.block for row in seed(slug).schedule]
    assert [blocks.count(b) for b in sorted(set(blocks))] == [1, 3, 4, 5, 4, 2]


def test_parser_reads_pipe_and_html_schedules_alike():
    def shape(slug):
        return [(r.time, r.label.casefold(), r.block) for r in seed(slug).schedule]

    assert shape("bugs-2023") == shape("synthetic-2024")


def test_parser_schedule_cells():
    rows = {r.label.casefold(): r for r in seed("bugs-2023").schedule}
    first = seed("bugs-2023").schedule[0]
    assert (first.time, first.time_text, first.label, first.title, first.presenters) == (
        dt.time(8, 55),
        "08:55 am",
        "Opening Remarks",
        None,
        "Organizers",
    )
    assert rows["invited talk 1"].title.startswith("A Blessing in Disguise")
    assert rows["invited talk 6"].title is None
    assert rows["invited talk 6"].presenters == "Ruoxi Jia"
    assert rows["poster session"].title is None
    assert rows["panel discussion"].moderator == "Eugene Bagdasaryan"
    assert rows["closing remarks"].time == dt.time(17, 15)
    assert rows["invited talk 5"].kind == "invited talk" and rows["invited talk 5"].number == 5
    breaks = [r for r in seed("synthetic-2024").schedule if r.kind == "coffee break"]
    assert [r.presenters for r in breaks] == ["", ""]  # "&nbsp;" cells


def test_parser_repairs_mojibake_and_leaves_utf8_alone():
    assert "√" not in read_seed_text(FIXTURES / SEED_FILES["synthetic-2024"])
    bugs = FIXTURES / SEED_FILES["bugs-2023"]
    assert read_seed_text(bugs) == bugs.read_text(encoding="utf-8")
    tramer = [p for p in seed("synthetic-2024").speakers if p.href == "https://floriantramer.com/"]
    assert [(p.name, p.caption) for p in tramer] == [
        ("Florian Tramèr", "Assistant Professor, ETH Zürich")
    ]


@pytest.mark.parametrize("slug", SLUGS)
def test_parser_skips_html_comments(slug):
    names = {p.name for p in seed(slug).speakers}
    assert not names & {"Dawn Song", "Scott Aaronson", "Rohan Taori or Tatsunori B. Hashimoto"}
    assert "inst-umd-cs.png" not in {
        (link.image or "").rsplit("/", 1)[-1] for link in seed(slug).sponsors
    }
    assert not any("forms.gle" in p.text for p in seed(slug).intro)  # the commented-out UPDATE


def test_parser_people():
    bugs = seed("bugs-2023")
    assert bugs.speakers[0].name == "Bo Li"
    assert bugs.speakers[0].href == "https://aisecure.github.io/"
    assert bugs.speakers[0].caption == "Associate Professor, UIUC"
    assert bugs.speakers[-1].caption == "Research Group Leader, ELLIS Institute & MPI-IS"
    anh = bugs.organizers[2]
    assert anh.href == "https://scholar.google.com/citations?user=FYZ5ODQAAAAJ&hl=en"
    two_sections = [p.name for p in seed("synthetic-2024").speakers]
    assert two_sections[0] == "Josue Casco-Rodriguez" and two_sections[6] == "Bo Li"


def test_parser_call_for_papers():
    bugs = seed("bugs-2023")
    assert [t.text for t in bugs.topics] == [
        "Backdoor attacks",
        "Backdoor defenses",
        "Backdoor for social good",
    ]
    assert [len(t.children) for t in bugs.topics] == [10, 2, 4]
    assert bugs.criteria[0] == "Soundness of the methodology"
    assert bugs.submission_url == "https://openreview.net/group?id=NeurIPS.cc/2023/Workshop/BUGS"
    deadline = bugs.dates[0]
    assert (deadline.label, deadline.earlier) == ("Submission deadline", ("September 29th, 2023",))
    assert parse_date_value(deadline.value) == parse_date_value("October 6, 2023, 11:59 PM AoE")


def test_parser_front_matter_and_links():
    bugs, synthetic = seed("bugs-2023"), seed("synthetic-2024")
    assert (bugs.title, bugs.conference) == ("Backdoors in Deep Learning", "NeurIPS 2023")
    assert bugs.tagline_parts[0] == "The Good, the Bad and the Ugly"
    assert bugs.conference_link.href == "https://neurips.cc/virtual/2023/workshop/66550"
    assert synthetic.title == "AI in the Synthetic Age"
    assert synthetic.conference_link.href == "https://neurips.cc/"
    assert bugs.schedule_timezone == "CST/GMT-06:00, New Orleans"


def test_parser_news_post():
    post = parse_post(FIXTURES / NEWS_FILES[0][1])
    assert post.title.startswith("NeurIPS Workshop : Backdoors in Deep")
    assert post.published == dt.datetime(
        2023, 12, 5, 16, 11, tzinfo=dt.timezone(dt.timedelta(hours=-4))
    )
    assert post.paragraphs[0].text.startswith("The Good, the Bad and the Ugly - Modern AI")
    assert post.headings == ["Workshop Home Page"]


def test_parser_value_normalizers():
    assert normalize_time_text("08:55 am") == normalize_time_text("8:55\u202fAM") == "8:55 am"
    assert normalize_time_text("01:00 pm") == normalize_time_text("1:00 PM")
    seed_value = parse_date_value("October 6th, 2023, 11:59 PM Anywhere on Earth (AoE)")
    assert seed_value == parse_date_value("6 October 2023, 23:59 AoE")
    assert seed_value == parse_date_value("Oct 6, 2023 11:59 p.m. (AoE)")
    assert parse_date_value("December 15th, 2023 (Full-day Event)").time is None
    assert [d for d, _ in dates_in("from Dec 1st, 2023 to 2023-12-15")] == [
        dt.date(2023, 12, 1),
        dt.date(2023, 12, 15),
    ]


# --- schedule -------------------------------------------------------------------------------


def row_problems(row, tr: Tag) -> list[str]:
    where = f"{row.time_text} {row.label!r}"
    problems = []
    time = tr.select_one("td.time time[datetime]")
    if time is None:
        problems.append(f"{where}: no <td class=time><time datetime=...>")
    else:
        try:
            when = dt.datetime.fromisoformat(time["datetime"])
        except ValueError:
            when = None
        if when is None or when.tzinfo is None:
            problems.append(f"{where}: datetime={time['datetime']!r} is not ISO with an offset")
        elif when.strftime("%H:%M") != row.time.strftime("%H:%M"):
            problems.append(f"{where}: datetime={time['datetime']!r}, seed says {row.time_text}")
        if normalize_time_text(time.get_text()) != normalize_time_text(row.time_text):
            problems.append(f"{where}: shows time {text_of(time)!r}, seed says {row.time_text!r}")
    label = tr.select_one("td.session span.label")
    if text_of(label).rstrip(":").casefold() != row.label.casefold():
        problems.append(f"{where}: label {text_of(label)!r}, seed says {row.label!r}")
    session = text_of(tr.select_one("td.session"))
    title = session.removeprefix(text_of(label)).lstrip(": ")
    if title != (row.title or ""):
        problems.append(f"{where}: title {title!r}, seed says {row.title!r}")
    presenters = text_of(tr.select_one("td.presenters"))
    if presenters != row.presenters:
        problems.append(f"{where}: presenters {presenters!r}, seed says {row.presenters!r}")
    return problems


def check_schedule_rows(client, slug: str, facts: SeedFacts) -> None:
    path = f"/{slug}/schedule"
    items = one(get_page(client, path), "table.schedule", path).select("tr.item")
    rows = facts.schedule
    assert len(items) == len(rows), f"{path}: {len(items)} tr.item, the seed has {len(rows)} rows"
    problems = [p for row, tr in zip(rows, items, strict=True) for p in row_problems(row, tr)]
    assert not problems, report(path, problems)


def check_schedule_blocks(client, slug: str, facts: SeedFacts) -> None:
    path = f"/{slug}/schedule"
    table = one(get_page(client, path), "table.schedule", path)
    shown = [
        [tr.select_one("td.time time[datetime]")["datetime"][11:16] for tr in body("tr", "item")]
        for body in table("tbody")
    ]
    expected: dict[int, list[str]] = {}
    for row in facts.schedule:
        expected.setdefault(row.block, []).append(row.time.strftime("%H:%M"))
    assert [b for b in shown if b] == list(expected.values()), f"{path}: <tbody> groups differ"


# --- people, sponsors, institutions -----------------------------------------------------------


def page_people(section: Tag) -> list[tuple[str, str | None, str]]:
    """(name, homepage, caption) of each li.person, in page order."""
    people = []
    for li in section.select("li.person"):
        caption = text_of(li.select_one(".caption"))
        link = next((a for a in li.select("a[href]") if text_of(a)), None)
        name = text_of(link) if link else clean(text_of(li).replace(caption, "", 1))
        people.append((name, link["href"] if link else None, caption))
    return people


def check_people(client, slug: str, facts: SeedFacts, role: str) -> None:
    path = f"/{slug}/{PEOPLE_PAGES[role]}"
    found = page_people(one(get_page(client, path), f"section#{role}", path))
    expected = list(dict.fromkeys((p.name, p.href, p.caption) for p in getattr(facts, role)))
    missing = [p for p in expected if p not in found]
    assert not missing, report(
        f"{path} section#{role}",
        [f"lacks {n} <{h}> {c!r}" for n, h, c in missing] + [f"has {p}" for p in found],
    )
    assert len(found) == len(expected), report(
        f"{path} section#{role}", [f"{len(found)} people, the seed has {len(expected)}"]
    )
    assert [p[0] for p in found] == [p[0] for p in expected], f"{path}: {role} not in seed order"


def check_logo_links(client, slug: str, facts: SeedFacts, kind: str) -> None:
    path = f"/{slug}/organizers"
    section = one(get_page(client, path), f"section#{kind}", path)
    found = list(dict.fromkeys(a["href"] for a in section.select("a[href]")))
    expected = list(dict.fromkeys(link.href for link in getattr(facts, kind)))
    missing = [href for href in expected if href not in found]
    assert not missing, report(f"{path} section#{kind}", [f"no link to {h}" for h in missing])
    assert found == expected, f"{path} section#{kind}: links {found}, the seed has {expected}"


# --- call for papers --------------------------------------------------------------------------


def own_text(li: Tag) -> str:
    """The text of a list item without the text of its nested lists."""
    parts = [c for c in li.children if not (isinstance(c, Tag) and c.name in ("ul", "ol"))]
    return clean("".join(c.get_text() if isinstance(c, Tag) else str(c) for c in parts))


def page_tree(ul: Tag) -> list:
    return [
        (own_text(li), page_tree(li.find(["ul", "ol"])) if li.find(["ul", "ol"]) else [])
        for li in ul.find_all("li", recursive=False)
    ]


def seed_tree(topics: list[Topic]) -> list:
    return [(t.text, seed_tree(t.children)) for t in topics]


def outline(tree: list, depth: int = 0) -> str:
    return "".join(f"{'  ' * depth}- {text}\n{outline(kids, depth + 1)}" for text, kids in tree)


def check_cfp_topics(client, slug: str, facts: SeedFacts) -> None:
    path = f"/{slug}/cfp"
    tops = [
        ul
        for ul in get_page(client, path).select("ul.topics")
        if not ul.find_parent("ul", class_="topics")
    ]
    assert len(tops) == 1, f"{path}: expected one top-level ul.topics, found {len(tops)}"
    found, expected = page_tree(tops[0]), seed_tree(facts.topics)
    assert found == expected, f"{path} topics:\n{outline(found)}seed:\n{outline(expected)}"


def check_cfp_criteria(client, slug: str, facts: SeedFacts) -> None:
    path = f"/{slug}/cfp"
    criteria = [text_of(li) for li in one(get_page(client, path), "ul.criteria", path)("li")]
    assert criteria == facts.criteria, f"{path}: review criteria differ"


def date_problems(where: str, seed_text: str, shown: str) -> list[str]:
    expected, found = parse_date_value(seed_text), parse_date_value(shown)
    if found.date != expected.date or (expected.time and found.time != expected.time):
        return [f"{where}: shows {shown!r}, seed says {seed_text!r}"]
    if expected.aoe and not found.aoe:
        return [f"{where}: shows {shown!r} without AoE, seed says {seed_text!r}"]
    return []


def check_cfp_dates(client, slug: str, facts: SeedFacts) -> None:
    path = f"/{slug}/cfp"
    items = one(get_page(client, path), "section#dates", path).select("li.date")
    by_label = {text_of(li.select_one(".date-label")).rstrip(":").casefold(): li for li in items}
    problems = []
    for date in facts.dates:
        li = by_label.get(date.label.casefold())
        if li is None:
            problems.append(f"no li.date labelled {date.label!r}; labels: {list(by_label)}")
            continue
        struck = [text_of(s) for s in li("s")]
        if len(struck) != len(date.earlier):
            problems.append(f"{date.label}: struck {struck}, seed strikes {list(date.earlier)}")
        for old, shown in zip(date.earlier, struck, strict=False):
            problems += date_problems(f"{date.label} (struck)", old, shown)
        current = BeautifulSoup(str(li), "html.parser")
        for tag in current.select(".date-label, s"):
            tag.decompose()
        problems += date_problems(date.label, date.value, text_of(current).lstrip(": "))
    if len(items) != len(facts.dates):
        problems.append(f"{len(items)} li.date, the seed has {len(facts.dates)} dates")
    assert not problems, report(path, problems)


def check_cfp_links(client, slug: str, facts: SeedFacts) -> None:
    path = f"/{slug}/cfp"
    hrefs = {a["href"] for a in get_page(client, path).select("a[href]")}
    expected = [facts.submission_url] + [link.href for link in facts.cfp_links]
    assert facts.submission_url, "the parser found no submission link"
    missing = [href for href in dict.fromkeys(expected) if href not in hrefs]
    assert not missing, report(path, [f"no link to {href}" for href in missing])


def check_cfp_text(client, slug: str, facts: SeedFacts) -> None:
    """Each sentence of the call, except those stating a link or a struck date (checked above)."""
    path = f"/{slug}/cfp"
    page = text_of(get_page(client, path).body)
    missing = [
        sentence
        for paragraph in facts.cfp_paragraphs
        for sentence in sentences(paragraph.text)
        if not any(link.text and link.text in sentence for link in paragraph.links)
        and not any(old in sentence for old in paragraph.struck)
        and sentence not in page
    ]
    assert not missing, report(path, [f"lacks {s!r}" for s in missing])


# --- home and news ----------------------------------------------------------------------------


def check_home_title_tagline_and_conference_link(client, slug: str, facts: SeedFacts) -> None:
    path = f"/{slug}/"
    soup = get_page(client, path)
    page, problems = text_of(soup.body), []
    if facts.title not in page or facts.title not in text_of(soup.title):
        problems.append(f"title {facts.title!r} missing from the page or its <title>")
    problems += [
        f"tagline part {part!r} missing" for part in facts.tagline_parts if part not in page
    ]
    if not soup.select(f'a[href="{facts.conference_link.href}"]'):
        problems.append(f"no link to the conference page {facts.conference_link.href}")
    assert not problems, report(path, problems)


def check_home_description(client, slug: str, facts: SeedFacts) -> None:
    path = f"/{slug}/"
    page = text_of(get_page(client, path).body)
    missing = [s for p in facts.intro for s in sentences(p.text) if s not in page]
    assert not missing, report(path, [f"lacks {s!r}" for s in missing])


def check_home_key_dates(client, slug: str, facts: SeedFacts) -> None:
    path = f"/{slug}/"
    page = text_of(get_page(client, path).body)
    shown = {d for d, _ in dates_in(page)}
    problems = []
    for date in facts.dates:
        value = parse_date_value(date.value).date
        if date.label.casefold() not in page.casefold() or value not in shown:
            problems.append(f"lacks {date.label}: {date.value} (dates shown: {sorted(shown)})")
    assert not problems, report(path, problems)


def check_news_post(client, slug: str, filename: str) -> None:
    post = parse_post(FIXTURES / filename)
    listing = get_page(client, f"/{slug}/news")
    links = [a for a in listing.select("a[href]") if text_of(a) == clean(post.title)]
    assert links, f"/{slug}/news has no link whose text is the post title {post.title!r}"
    href = links[0]["href"]
    assert urlsplit(href).path.startswith(f"/{slug}/news/"), f"post link {href!r}"
    soup = get_page(client, href)
    page = text_of(soup.body)
    problems = [f"lacks {s!r}" for s in [clean(post.title), *post.headings] if s not in page]
    problems += [
        f"lacks {s!r}" for p in post.paragraphs for s in sentences(p.text) if s not in page
    ]
    day = post.published.date()
    stamps = [t["datetime"] for t in soup.select("time[datetime]")]
    if not any(s.startswith(day.isoformat()) for s in stamps) and day not in {
        d for d, _ in dates_in(page)
    }:
        problems.append(f"no publication date {day} (time elements: {stamps})")
    assert not problems, report(href, problems)


FACT_CHECKS: dict[str, Callable] = {
    "schedule rows": check_schedule_rows,
    "schedule blocks": check_schedule_blocks,
    **{f"people {role}": functools.partial(check_people, role=role) for role in PEOPLE_PAGES},
    **{
        f"organizers page {kind}": functools.partial(check_logo_links, kind=kind)
        for kind in ("sponsors", "institutions")
    },
    "cfp topics": check_cfp_topics,
    "cfp criteria": check_cfp_criteria,
    "cfp dates": check_cfp_dates,
    "cfp links": check_cfp_links,
    "cfp text": check_cfp_text,
    "home title, tagline and conference link": check_home_title_tagline_and_conference_link,
    "home description": check_home_description,
    "home key dates": check_home_key_dates,
}


@pytest.mark.parametrize("check", FACT_CHECKS)
@pytest.mark.parametrize("slug", SLUGS)
def test_demo_page_matches_seed(client, slug, check):
    FACT_CHECKS[check](client, slug, seed(slug))


@pytest.mark.parametrize(("slug", "filename"), NEWS_FILES)
def test_news_post_is_listed_and_shown(client, slug, filename):
    check_news_post(client, slug, filename)
