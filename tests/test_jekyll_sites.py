# ruff: noqa: E501 (the pages built here have lines as long as real pages do)
"""Whole Jekyll sites and the ways real pages go wrong, built here to vary what the corpus shows.

Each case is a small page or site folder written in the test; read_page / read_site give the
wsapp/1 document `flask import jekyll` would load (no database), except where the command is
run.
"""

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from wsapp.importers.jekyll.clock import clock_range
from wsapp.importers.jekyll.items import read_session, split_label
from wsapp.importers.jekyll.liquid import Template
from wsapp.importers.jekyll.page import read_page, read_site
from wsapp.importers.jekyll.parts import Options, PageError
from wsapp.importers.jekyll.source import soup

FRONT = "---\nlayout: page\ndesc_title: Robust Models @ ICML 2025\n---\n"
DATES = "\n## Key Dates\n\n- **Workshop day**: July 18th, 2025\n"


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def page(tmp_path, *parts: str, **options):
    path = tmp_path / "index.md"
    path.write_text(FRONT + "\n".join(textwrap.dedent(p) for p in parts), encoding="utf-8")
    document, report = read_page(path, Options(**options))
    return document["workshops"][0], document, report


def names(document, workshop, kind) -> list[str]:
    people = {p["key"]: p["name"] for p in document["people"]}
    return [people[r["person"]] for r in workshop.get(kind, [])]


# --- never a bogus record -------------------------------------------------------------------


def test_list_items_under_a_speakers_heading_are_people_only_if_they_look_like_people(tmp_path):
    workshop, document, report = page(
        tmp_path,
        """
        # Speakers
        {% for speaker in site.speakers %}<p>{{ speaker.name }}</p>{% endfor %}

        ### Logistics

        * Paper Submission deadline: ~~May 24, 2024~~ May 30, 2024
        * Poster sessions

        ## Invited Speakers

        * [Ada Lovelace](https://ada.example), Professor, University of London
        * Paper Submission deadline: May 24
        * Networking sessions
        """,
        DATES,
    )
    assert names(document, workshop, "speakers") == ["Ada Lovelace"]
    assert [p["name"] for p in document["people"]] == ["Ada Lovelace"]
    left = [(text, where) for _, _, text, where in report.unmapped if "not imported as" in where]
    assert [text for text, _ in left] == [
        "Paper Submission deadline: May 24",
        "Networking sessions",
    ]
    assert any("line 17: 'Paper Submission deadline: May 24'" in w for w in report.warnings)
    assert workshop["published"] is False  # warnings: a draft until --publish
    assert "Stored as a draft" in report.draft_reason and "--publish" in report.draft_reason
    assert any("site.speakers is not in the site" in n for n in report.notes)


def test_advisors_are_reported_not_made_organizers(tmp_path):
    workshop, document, report = page(
        tmp_path,
        """
        ## Organizers

        * [Ada Lovelace](https://ada.example), MIT

        ## Advisors

        * [Alan Turing](https://alan.example), Bletchley Park
        """,
    )
    assert names(document, workshop, "organizers") == ["Ada Lovelace"]
    assert "alan-turing" not in {p["key"] for p in document["people"]}
    assert any("'Advisors' lists 1 people (Alan Turing)" in w for w in report.warnings)


# --- robust reading -------------------------------------------------------------------------


LOGOS = """
### Organizers affiliations

<table>
<tr>

<td><a href="https://one.example"><img src="one.png" alt="One"></a></td>

<td><a href="https://two.example"><img src="two.png" alt="Two"></a></td>
<!-- <td><a href="https://gone.example"><img src="gone.png"></a></td> -->

<td><a href="https://three.example"><img src="three.png" alt="Three"></a></td>
</tr>

<tr>
<td><a href="https://four.example"><img src="four.png" alt="Four"></a></td>

<td><a href="https://five.example"><img src="five.png" alt="Five"></a>
</tr>
</table>
"""


def test_blank_lines_comments_and_broken_tags_inside_an_html_table(tmp_path):
    workshop, _, report = page(tmp_path, LOGOS)
    urls = [logo["url"] for logo in workshop["institutions"]]
    assert urls == [f"https://{n}.example" for n in ("one", "two", "three", "four", "five")]
    assert not [u for u in report.unmapped if "affiliations" in u[0]]


TWO_TABLES = """
## Schedule (all times CEST, Vienna)

### Day 1: July 18, 2025

| 08:45-09:00 | Welcome | Chairs |
| 0900 - 0945 | Keynote: Robustness at Scale<br>We show how models fail and what to do about it, at length. | [Ada Lovelace](https://ada.example) |
| 09:45-10:15 | Contributed Talk 1: A Paper | Alan Turing, Grace Hopper |
| 10:15-10:30 | Spotlight | |
| 10:30-11:30 | Poster Session I | |
| 11:30-12:15 | Panel: The Future (Moderated by Grace Hopper) | Ada Lovelace, Alan Turing |

### Day 2: July 19, 2025

<table>
<tr><th>Time</th><th>Session</th><th>Chair</th></tr>

<tr><td>12h00</td><td>Lunch</td><td></td></tr>
<tr><td>13h00</td><td>Invited Talk 2: Second <br/> Abstract: about the second talk.</td><td>Session chair: Ada Lovelace</td></tr>
<tr><td>13h45</td><td>Closing Remarks</td><td></td></tr>
</table>
"""


def test_labels_titles_abstracts_and_moderators_as_written(tmp_path):
    workshop, document, report = page(tmp_path, TWO_TABLES, DATES)
    items = workshop["schedule"]
    shown = [(i["start"][5:16], i["label"], i["kind"], i["title"]) for i in items]
    assert shown == [
        ("07-18T08:45", "Welcome", "opening", None),
        ("07-18T09:00", "Keynote", "invited_talk", "Robustness at Scale"),
        ("07-18T09:45", "Contributed Talk 1", "oral", "A Paper"),
        ("07-18T10:15", "Spotlight", "oral", None),
        ("07-18T10:30", "Poster Session I", "poster_session", None),
        ("07-18T11:30", "Panel", "panel", "The Future"),
        ("07-19T12:00", "Lunch", "lunch_break", None),
        ("07-19T13:00", "Invited Talk 2", "invited_talk", "Second"),
        ("07-19T13:45", "Closing Remarks", "closing", None),
    ]
    assert items[1]["abstract_md"] == "We show how models fail and what to do about it, at length."
    assert items[7]["abstract_md"] == "about the second talk."
    assert items[2]["number"] == 1 and items[2]["paper"] == "oral-1"
    assert items[5]["moderator"] == "grace-hopper" and items[7]["moderator"] == "ada-lovelace"
    assert items[5]["presenters_text"] == "Ada Lovelace, Alan Turing"
    assert [i["block"] for i in items] == [1] * 6 + [2] * 3
    assert workshop["timezone"] == "Europe/Vienna"
    assert not [u for u in report.unmapped if "Schedule" in u[0] or "Day" in u[0]]


@pytest.mark.parametrize(
    ("text", "label", "title"),
    [
        ("Welcome", "Welcome", None),
        ("Keynote: Learning 3D Worlds: Occupancy", "Keynote", "Learning 3D Worlds: Occupancy"),
        ("Contributed Talk 1: A Paper", "Contributed Talk 1", "A Paper"),
        ("Q&A: Aditya Grover", "Q&A", "Aditya Grover"),
        ("Orals 1: AlphaVerus: Bootstrapping", "Orals 1", "AlphaVerus: Bootstrapping"),
        ("Networking session:", "Networking session", None),
        ("A title long enough that it cannot be a label of a schedule row at all, surely", "",
         "A title long enough that it cannot be a label of a schedule row at all, surely"),
    ],
)  # fmt: skip
def test_split_label(text, label, title):
    assert split_label(text) == (label, title)


def test_a_label_followed_by_names_is_who_not_what():
    cell = soup("<td>Invited Talk 1: Aditi Raghunathan</td>").td
    found = read_session(cell)
    assert (found["label"], found["title"], found["names"]) == (
        "Invited Talk 1", None, ["Aditi Raghunathan"],
    )  # fmt: skip
    panel = read_session(
        soup("<td><em>Panel, moderated by Jeremias Sulam</em> (Eric Xing, Yi Ma)</td>").td
    )
    assert (panel["label"], panel["moderator"], panel["names"]) == (
        "Panel", "Jeremias Sulam", ["Eric Xing", "Yi Ma"],
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0915 - 0945", (dt.time(9, 15), dt.time(9, 45))),
        ("0900", (dt.time(9), None)),
        ("2023", None),  # a year, not 20:23
        ("12h00", (dt.time(12), None)),
        ("08:45-09:00", (dt.time(8, 45), dt.time(9))),
        ("9:00 AM - 10:00 AM", (dt.time(9), dt.time(10))),
        ("**13:00-13:10**", (dt.time(13), dt.time(13, 10))),
    ],
)
def test_clock_formats_of_the_corpus(text, expected):
    assert clock_range(soup(f"<p>{text}</p>").get_text().replace("*", "")) == expected


def test_afternoon_without_am_pm_follows_the_morning(tmp_path):
    table = """
    ## Schedule (times in CEST, Vienna)

    | Time | Talk |
    |---|---|
    | 11:45 - 12:45 | Panel |
    | 12:45 - 02:15 | Lunch |
    | 02:15 - 02:40 | Keynote |
    """
    workshop, _, report = page(tmp_path, table, DATES)
    assert [(i["start"][11:16], i["end"][11:16]) for i in workshop["schedule"]] == [
        ("11:45", "12:45"), ("12:45", "14:15"), ("14:15", "14:40"),
    ]  # fmt: skip
    assert any("no am/pm" in n and "afternoon" in n for n in report.notes)


def test_kramdown_attributes_and_liquid_are_left_out_with_a_note(tmp_path):
    workshop, _, report = page(
        tmp_path,
        """
        **Join us in Vienna!**
        {: .text-center .fs-7 }

        See [the call](/cfp){:target="_blank"}. {% include missing.html %}{{ site.title }}
        """,
    )
    assert "{:" not in workshop["description_md"] and "{%" not in workshop["description_md"]
    assert "See [the call](/cfp)." in workshop["description_md"]
    assert any("2 kramdown attribute lists" in n for n in report.notes)
    assert any("include missing.html is not in the site" in n for n in report.notes)


def test_unclosed_liquid_is_left_out_not_a_crash(tmp_path):
    workshop, _, report = page(tmp_path, "Hello {% if page.x %} world.\n")
    assert workshop["description_md"] == "Hello  world."
    assert any("{% if %} is never closed" in n for n in report.notes)


# --- whole sites ----------------------------------------------------------------------------


SITE = {
    "_config.yml": """
        title: Robust Models
        description: "Robust Models @ ICML 2025, <br/> models that hold up"
        """,
    "_data/speakers.yml": """
        ada: {name: Ada Lovelace, affiliation: University of London, url: "https://ada.example"}
        alan: {name: Alan Turing, affiliation: Bletchley Park}
        """,
    "_data/schedule.csv": """
        start,end,kind,title,who
        9h00,9h30,Welcome,,
        9h30,10h15,Keynote,Robustness at Scale,ada
        10h15,11h00,Panel,The Future,ada alan
        """,
    "_organizers/b_grace.md": """
        ---
        name: Grace Hopper
        role: General Chair
        affil: Navy
        webpage: https://grace.example
        ---
        """,
    "_organizers/a_placeholder.md": """
        ---
        name: Jane Doe
        published: false
        ---
        """,
    "_includes/person.html": """
        <div class="card"><img src="{{ include.p[1].img }}"><br>
        <a href="{{ include.p[1].url }}">{{ include.p[1].name }}</a><br>{{ include.p[1].affiliation }}</div>
        """,
    "index.md": """
        ---
        layout: home
        title: Home
        ---
        Welcome to the workshop, held in Vienna on **July 18, 2025**.

        ## Speakers
        <div>
        {% for p in site.data.speakers %}
        {% include person.html p=p %}
        {% endfor %}
        </div>

        ## Organizers
        {% assign sorted = site.organizers | sort: "name" %}
        {% for o in sorted %}{% include card.liquid %}{% endfor %}
        """,
    "schedule.md": """
        ---
        title: Program
        permalink: /program/
        ---
        All times are in CEST (Vienna).

        <table>
        <tr><th>Time</th><th>Session</th><th>Speakers</th></tr>
        {% for s in site.data.schedule %}
        <tr><td>{{ s.start }}-{{ s.end }}</td><td>{{ s.kind }}: {{ s.title }}</td>
        <td>{% assign ids = s.who | split: " " %}{% for id in ids %}{% assign sp = site.data.speakers[id] %}{{ sp.name }}{% unless forloop.last %}, {% endunless %}{% endfor %}</td></tr>
        {% endfor %}
        </table>
        """,
    "old_edition.md": """
        ---
        title: Robust Models @ NeurIPS 2024
        ---
        ## Schedule

        | 09:00 | Old opening |
        """,
}


def test_a_site_folder_with_data_files_collections_and_config(tmp_path):
    root = write(tmp_path / "site", SITE)
    document, report = read_site(root, Options())
    workshop = document["workshops"][0]
    assert (workshop["title"], workshop["conference"]["name"], workshop["conference"]["year"]) == (
        "Robust Models", "ICML", 2025,
    )  # fmt: skip
    assert workshop["tagline_md"] == "models that hold up"
    assert names(document, workshop, "speakers") == ["Ada Lovelace", "Alan Turing"]
    assert workshop["speakers"][0]["affiliation"] == "University of London"
    assert names(document, workshop, "organizers") == ["Grace Hopper"]  # Jane Doe: unpublished
    assert workshop["organizers"][0] == {
        "person": "grace-hopper", "position": "General Chair", "affiliation": "Navy",
    }  # fmt: skip
    rows = [
        (i["start"][11:16], i["label"], i["title"], i["presenters"]) for i in workshop["schedule"]
    ]
    assert rows == [
        ("09:00", "Welcome", None, []),
        ("09:30", "Keynote", "Robustness at Scale", ["ada-lovelace"]),
        ("10:15", "Panel", "The Future", ["ada-lovelace", "alan-turing"]),
    ]
    assert workshop["timezone"] == "Europe/Vienna" and workshop["start_date"] == "2025-07-18"
    assert report.skipped_pages == [
        ("old_edition.md", "about NEURIPS 2024, not the home page's ICML 2025"),
    ]
    assert any("1 documents of _organizers/ have published: false" in n for n in report.notes)
    assert any("include card.liquid is the theme's" in n for n in report.notes)
    assert report.pages == ["index.md", "schedule.md"]


def test_zone_from_config_and_json_data(tmp_path):
    root = write(
        tmp_path / "site",
        {
            "_config.yml": "title: Robust Models @ ICML 2025\ntimezone: Europe/Vienna\n",
            "_data/talks.json": '[{"at": "09:00", "what": "Welcome"}, {"at": "09:30", "what": "Keynote"}]',
            "index.md": """
                ---
                title: Home
                ---
                ## Dates

                - **Workshop date**: July 18, 2025

                ## Schedule

                <table>{% for t in site.data.talks %}<tr><td>{{ t.at }}</td><td>{{ t.what }}</td></tr>{% endfor %}</table>
                """,
        },
    )
    document, report = read_site(root, Options())
    workshop = document["workshops"][0]
    assert workshop["timezone"] == "Europe/Vienna"
    assert [(i["start"], i["label"]) for i in workshop["schedule"]] == [
        ("2025-07-18T09:00:00+02:00", "Welcome"), ("2025-07-18T09:30:00+02:00", "Keynote"),
    ]  # fmt: skip
    assert "_config.yml sets timezone: Europe/Vienna" in report.notes


def test_home_chooses_which_edition_of_a_site_is_read():
    """LLVM-AD's repository holds its WACV 2026 site and its ITSC 2025 pages; --home reads the
    other edition (its schedule page gives the day; "/" marks an empty speaker cell)."""
    site = Path(__file__).parent / "fixtures" / "corpus" / "LLVM-AD__llvm-ad.github.io"
    options = Options(home=Path("_pages/ITSC_2025.md"), timezone="Australia/Brisbane")
    document, report = read_site(site, options)
    workshop = document["workshops"][0]
    assert (workshop["conference"]["name"], workshop["conference"]["year"]) == ("ITSC", 2025)
    assert workshop["start_date"] == "2025-11-18" and len(workshop["schedule"]) == 12
    assert workshop["schedule"][2]["label"] == "Tea Break"
    assert workshop["schedule"][2]["presenters_text"] == ""
    assert report.pages == ["_pages/ITSC_2025.md", "_pages/Schedule_ITSC_2025.md"]
    assert ("_pages/WACV_2026.md", "about WACV 2026, not the home page's ITSC 2025") in (
        report.skipped_pages
    )
    with pytest.raises(PageError, match="--home nowhere.md: not a page of"):
        read_site(site, Options(home=Path("nowhere.md")))


def test_a_site_without_a_title_asks_for_one(tmp_path):
    root = write(tmp_path / "site", {"index.md": "---\ntitle: Home\n---\nHello.\n"})
    with pytest.raises(PageError, match="names no workshop title.*'Home'.*pass --title"):
        read_site(root, Options())
    document, _ = read_site(root, Options(title="Robust Models"))
    assert document["workshops"][0]["title"] == "Robust Models"


def test_dry_run_of_a_site_prints_the_report_and_stores_nothing(app):
    site = (
        Path(__file__).parent
        / "fixtures"
        / "corpus"
        / "verifai-workshop__verifai-workshop.github.io"
    )
    result = app.test_cli_runner().invoke(args=["import", "jekyll", str(site), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Pages read: index.md, cfp.md, schedule.md, speakers.md" in result.output
    assert "schedule items: 17" in result.output and "Dry run: nothing was stored." in result.output
    from sqlalchemy import select

    from wsapp.extensions import db
    from wsapp.models import Workshop

    with app.app_context():
        assert db.session.scalar(select(Workshop).where(Workshop.title.like("VerifAI%"))) is None


# --- Liquid ---------------------------------------------------------------------------------


def render(source: str, **variables) -> tuple[str, list[str]]:
    notes: list[str] = []
    return Template(textwrap.dedent(source)).render(variables, None, notes.append), notes


def test_liquid_loops_conditions_and_filters():
    site = {"data": {"people": {"b": {"name": "Bo", "n": 2}, "a": {"name": "Al", "n": 1}}},
            "talks": [{"t": "X", "on": True}, {"t": "Y", "on": False}, {"t": "Z", "on": True}]}  # fmt: skip
    out, _ = render(
        """
        {%- for p in site.data.people -%}[{{ p[0] }}={{ p[1].name }}{% if forloop.index<=1 %}*{% endif %}]{%- endfor -%}
        {% assign on = site.talks | where: "on", true %}{% for t in on %}{{ t.t }}{% endfor %}
        {% for t in site.talks limit:2 offset:1 %}{{ t.t | downcase }}{% endfor %}
        {% capture c %}{{ site.talks | size }}{% endcapture %}{% unless c == "2" %}three{% endunless %}
        {% for p in site.data.people %}{% if p[1].n > 1 and p[1].name contains "B" %}big{% elsif p[1].n == 1 %}one{% else %}no{% endif %}{% endfor %}
        {% raw %}{{ kept }}{% endraw %}{% comment %}{{ dropped }}{% endcomment %}
        """,
        site=site,
    )
    # "-%}" at the end of the first line eats the line break after it, as in Liquid.
    assert out.split("\n") == ["[b=Bo*][a=Al]XZ", "yz", "three", "bigone", "{{ kept }}", ""]


def test_liquid_includes_without_the_theme_draw_person_cards():
    out, notes = render(
        """
        {% include people.html name="Ada Lovelace" affiliation="MIT" url="https://ada.example" %}
        {% for project in site.projects %}{% include projects.liquid %}{% endfor %}
        {% include footer.html %}
        """,
        site={"projects": [{"title": "Alan Turing", "description": "Bletchley",
                            "redirect": "https://alan.example", "url": "/projects/1/"}]},
    )  # fmt: skip
    cards = soup(out).find_all("wsapp-person")
    assert [(c["name"], c.get("href"), c.get("affiliation")) for c in cards] == [
        ("Ada Lovelace", "https://ada.example", "MIT"),
        ("Alan Turing", "https://alan.example", "Bletchley"),
    ]
    assert "include footer.html is not in the site's _includes/ (left out)" in notes
