"""The importer on pages that differ from the seeds: headings, tables, time formats, labels.

Each page is built here and read with read_page (no database); the document it yields is what
`flask import jekyll` would load.
"""

import datetime as dt
import textwrap

import pytest

from wsapp.importers.jekyll.blocks import parse_sections
from wsapp.importers.jekyll.clock import clock_range, find_dates
from wsapp.importers.jekyll.dates import read_value
from wsapp.importers.jekyll.page import read_page
from wsapp.importers.jekyll.parts import Options, PageError
from wsapp.importers.jekyll.people import person_key, split_caption
from wsapp.importers.jekyll.source import demojibake, read_source

FRONT = """---
layout: page
desc_title: Robust Models @ ICML 2025
description: <strong>Robust</strong> - models that hold up.
---
"""

DATES = """
## Key Dates

- **Paper submission deadline**: <del>May 1, 2025</del> 8 May 2025, 23:59 UTC
- **Workshop day**: July 18th, 2025
"""

PIPE_24H = """
## Programme

| Time (CEST, Vienna) | Event | Speaker | Room |
|---|---|---|---|
| 09:00 | Welcome | Chairs | A |
| 09:10 | Keynote 1: Robustness at scale | [Ada Lovelace](https://ada.example) | A |
|---|---|---|---|
| 10:00 | Break | | |
| 10:30 | Contributed talk 1: A paper | Alan Turing, Grace Hopper | B |
| 14:30 | Panel | Moderator: Ada Lovelace | A |
"""

HTML_TABLE = """
## Schedule

<table>
  <tr><th>When</th><th>What</th><th>Who</th></tr>
  <tbody>
    <tr><td>9:00 AM</td><td><b>Invited Talk 1:</b> Title one</td><td>Ada Lovelace</td></tr>
    <tr><td></td><td>Q&amp;A</td><td></td></tr>
  </tbody>
  <tbody>
    <tr><td>12:30 PM</td><td>Lunch</td><td>&nbsp;</td></tr>
    <tr><td>1:00 - 2:30 pm</td><td>Poster Session</td><td>Paper Authors</td></tr>
  </tbody>
</table>
"""


def page(tmp_path, *parts: str, front: str = FRONT):
    path = tmp_path / "index.md"
    path.write_text(front + "\n".join(textwrap.dedent(p) for p in parts), encoding="utf-8")
    return path


def read(tmp_path, *parts: str, front: str = FRONT, **options):
    document, report = read_page(page(tmp_path, *parts, front=front), Options(**options))
    return document["workshops"][0], document, report


def starts(workshop) -> list[str]:
    return [item["start"] for item in workshop["schedule"]]


def test_markdown_table_24h_times_extra_column_and_label(tmp_path):
    workshop, document, report = read(tmp_path, PIPE_24H, DATES)
    assert workshop["timezone"] == "Europe/Vienna" and workshop["city"] == "Vienna"
    assert starts(workshop)[:2] == ["2025-07-18T09:00:00+02:00", "2025-07-18T09:10:00+02:00"]
    assert [i["kind"] for i in workshop["schedule"]] == [
        "opening", "invited_talk", "coffee_break", "oral", "panel",
    ]  # fmt: skip
    assert [i["block"] for i in workshop["schedule"]] == [1, 1, 2, 2, 2]
    keynote = workshop["schedule"][1]
    assert (keynote["number"], keynote["title"]) == (1, "Robustness at scale")
    assert keynote["presenters"] == ["ada-lovelace"]  # a linked name becomes a person
    assert {"key": "ada-lovelace", "name": "Ada Lovelace", "homepage": "https://ada.example",
            "photo": None} in document["people"]  # fmt: skip
    assert workshop["schedule"][0]["abstract_md"] == "**Room:** A"
    assert "schedule column 'Room' is kept in each item's abstract" in report.notes
    oral = workshop["schedule"][3]
    assert workshop["papers"] == [{"key": "oral-1", "title": "A paper",
                                   "authors": "Alan Turing, Grace Hopper",
                                   "presentation": "oral", "paper_url": None}]  # fmt: skip
    assert oral["paper"] == "oral-1" and oral["presenters_text"] == ""
    panel = workshop["schedule"][4]
    assert panel["moderator"] == "ada-lovelace" and panel["presenters_text"] == ""
    assert panel["end"] == "2025-07-18T14:45:00+02:00"  # the last item: +15 minutes
    assert workshop["moderators"] == [{"person": "ada-lovelace", "position": "",
                                       "affiliation": ""}]  # fmt: skip


def test_html_table_12h_times_empty_cells_and_ranges(tmp_path):
    label = "All times are in CEST (Paris).\n"
    workshop, _, report = read(tmp_path, HTML_TABLE, label, DATES, "## Speakers\n", SPEAKER_LIST)
    assert workshop["timezone"] == "Europe/Paris"  # from the sentence under the table
    items = workshop["schedule"]
    assert [i["kind"] for i in items] == ["invited_talk", "other", "lunch_break", "poster_session"]
    assert items[0]["presenters"] == ["ada-lovelace"]
    assert (items[1]["label"], items[1]["title"]) == ("Q&A", None)  # the label as written
    assert items[1]["start"] == items[0]["start"]
    assert any("'Q&A' has no start time" in w for w in report.warnings)
    assert (
        "schedule times read in Europe/Paris on 2025-07-18 (from the label 'All times are "
        "in CEST (Paris).')" in report.notes
    )
    assert not report.unmapped  # the sentence was used
    assert items[2]["presenters_text"] == ""  # "&nbsp;"
    assert (items[3]["start"], items[3]["end"]) == (
        "2025-07-18T13:00:00+02:00",
        "2025-07-18T14:30:00+02:00",
    )
    assert [i["block"] for i in items] == [1, 1, 2, 2]


SPEAKER_LIST = """\
* [Ada Lovelace](https://ada.example), Professor, University of London
* **Alan Turing** (Bletchley Park)
"""


def test_missing_label_requires_timezone(tmp_path):
    table = PIPE_24H.replace(" (CEST, Vienna)", "")
    with pytest.raises(PageError, match="does not say which time zone.*pass --timezone"):
        read(tmp_path, table, DATES)
    workshop, _, _ = read(tmp_path, table, DATES, timezone="Asia/Tokyo")
    assert starts(workshop)[0] == "2025-07-18T09:00:00+09:00"


@pytest.mark.parametrize(
    ("label", "message"),
    [("PT", "is ambiguous"), ("GMT+2, Atlantis", "names no city I can map")],
)
def test_ambiguous_label_requires_timezone(tmp_path, label, message):
    table = PIPE_24H.replace("CEST, Vienna", label)
    with pytest.raises(PageError, match=message + ".*pass --timezone"):
        read(tmp_path, table, DATES)


def test_label_with_an_iana_name_and_a_wrong_offset(tmp_path):
    table = PIPE_24H.replace("CEST, Vienna", "Europe/Zurich, GMT+1")
    workshop, _, report = read(tmp_path, table, DATES)
    assert workshop["timezone"] == "Europe/Zurich"
    assert any("offset GMT+01:00" in w and "CEST/GMT+02:00" in w for w in report.warnings)


def test_missing_workshop_date_requires_date(tmp_path):
    with pytest.raises(PageError, match="no workshop date.*--date YYYY-MM-DD"):
        read(tmp_path, PIPE_24H)
    workshop, _, _ = read(tmp_path, PIPE_24H, date=dt.date(2025, 7, 19))
    assert starts(workshop)[0].startswith("2025-07-19T09:00")


def test_dates_with_del_day_month_order_and_utc(tmp_path):
    workshop, _, _ = read(tmp_path, PIPE_24H, DATES)
    deadline, day = workshop["dates"]
    assert deadline == {
        "label": "Paper submission deadline", "note": "", "due": "2025-05-08T23:59:00+00:00",
        "timezone": "UTC", "submission_deadline": True,
        "earlier": [{"due": "2025-05-01T23:59:00+00:00", "timezone": "UTC"}],
    }  # fmt: skip
    assert (day["date"], day["submission_deadline"]) == ("2025-07-18", False)
    assert workshop["start_date"] == workshop["end_date"] == "2025-07-18"


def test_headings_people_lists_and_unknown_sections(tmp_path):
    workshop, document, report = read(
        tmp_path,
        PIPE_24H,
        DATES,
        "## Keynote Speakers\n\n" + SPEAKER_LIST,
        "## Organizing Committee\n\n* [Grace Hopper](https://grace.example), Navy",
        "## Venue\n\nThe workshop is in **Hall C**.",
    )
    assert [r["person"] for r in workshop["speakers"]] == ["ada-lovelace", "alan-turing"]
    assert workshop["speakers"][0] == {
        "person": "ada-lovelace", "position": "Professor", "affiliation": "University of London",
    }  # fmt: skip
    assert workshop["speakers"][1]["affiliation"] == "Bletchley Park"
    assert workshop["organizers"] == [
        {"person": "grace-hopper", "position": "", "affiliation": "Navy"}
    ]
    # Alan Turing and Grace Hopper are known people now, so the oral's authors stay authors.
    assert workshop["papers"][0]["authors"] == "Alan Turing, Grace Hopper"
    assert "### Venue\n\nThe workshop is in **Hall C**." in workshop["description_md"]
    assert ("Venue", 0, "section 'Venue'", "added to the description") in [
        (s, 0, t, w) for s, _, t, w in report.unmapped
    ]


def test_no_schedule_is_fine_without_a_date(tmp_path):
    workshop, _, report = read(tmp_path, "Just a short page.\n")
    assert workshop["schedule"] == [] and workshop["start_date"] is None
    assert workshop["description_md"] == "Just a short page."
    assert any("no schedule on the page" in w for w in report.warnings)


def test_commented_rows_and_comments_in_tables(tmp_path):
    table = PIPE_24H.replace(
        "| 10:00 | Break | | |", "<!-- | 09:50 | Cancelled | X | A | -->\n| 10:00 | Break | | |"
    )
    workshop, _, report = read(tmp_path, table, DATES)
    assert len(workshop["schedule"]) == 5
    assert [c.preview for c in report.comments] == ["| 09:50 | Cancelled | X | A |"]


def test_kramdown_html_block_followed_by_heading(tmp_path):
    text = "<table><tr><td>a</td></tr></table>\n## Schedule\n" + PIPE_24H.split("\n", 2)[2]
    sections = parse_sections(text, 1)
    assert [s.title for s in sections] == ["", "Schedule"]
    assert [b.kind for b in sections[1].blocks] == ["pipe"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("08:55 am", (dt.time(8, 55), None)),
        ("9:00 AM", (dt.time(9), None)),
        ("14:30", (dt.time(14, 30), None)),
        ("9am", (dt.time(9), None)),
        ("12:15 p.m.", (dt.time(12, 15), None)),
        ("9:00 – 9:30", (dt.time(9), dt.time(9, 30))),
        ("1:00 - 2:30 pm", (dt.time(13), dt.time(14, 30))),
        ("TBA", None),
        ("", None),
    ],
)
def test_clock_formats(text, expected):
    assert clock_range(text) == expected


def test_date_values():
    value = read_value("October 6th, 2023, 11:59 PM Anywhere on Earth (AoE)")
    assert (value.day, value.time, value.timezone, value.rest) == (
        dt.date(2023, 10, 6), dt.time(23, 59), "Etc/GMT+12", "",
    )  # fmt: skip
    assert read_value("December 15th, 2023 (Full-day Event)").rest == "Full-day Event"
    assert read_value("Oct 6, 2023 23:59 GMT-7").timezone == "Etc/GMT+7"
    assert read_value("6 October, 12:00 PDT", year=2023).timezone == "America/Los_Angeles"
    ranged = find_dates("December 15-16, 2023")[0]
    assert (ranged.value, ranged.end) == (dt.date(2023, 12, 15), dt.date(2023, 12, 16))


def test_captions_and_keys():
    assert split_caption("Associate Professor, UIUC") == ("Associate Professor", "UIUC")
    assert split_caption("Research Group Leader, ELLIS Institute & MPI-IS") == (
        "Research Group Leader", "ELLIS Institute & MPI-IS",
    )  # fmt: skip
    assert split_caption("VinUniversity, Vietnam") == ("", "VinUniversity, Vietnam")
    assert split_caption("VinAI Research, Vietnam") == ("", "VinAI Research, Vietnam")
    assert split_caption("PhD Student") == ("PhD Student", "")
    assert person_key("Florian Tramèr") == "florian-tramer"
    assert person_key("Khoa D. Doan") == "khoa-d-doan"


def test_mojibake_repair(tmp_path):
    assert demojibake("Florian Tram√®r, ETH Z√ºrich") == "Florian Tramèr, ETH Zürich"
    assert demojibake("Florian Tramèr") == "Florian Tramèr"  # real UTF-8 stays
    path = tmp_path / "p.md"
    path.write_text(FRONT + "‚≠ê **Link** ‚≠ê\n", encoding="utf-8")
    src = read_source(path)
    assert "⭐ **Link** ⭐" in src.body and src.repaired_lines == 1


def test_front_matter_that_is_not_yaml(tmp_path):
    front = "---\ntitle: Workshop : A: B @ NeurIPS 2022\nlayout: home\n---\n"
    workshop, _, report = read(tmp_path, "Hello.\n", front=front)
    assert workshop["title"] == "Workshop : A: B"
    assert workshop["conference"]["name"] == "NeurIPS" and workshop["conference"]["year"] == 2022
    assert workshop["slug"] == "workshop-a-b-2022"
    assert report.unused_front_matter == ["title", "layout"]


def test_what_cannot_be_kept_is_reported(tmp_path):
    table = PIPE_24H.replace("| Chairs |", "| [Ada](https://ada.example), the chairs |")
    intro = 'Welcome! <img src="assets/img/banner.png" alt="">\n'
    workshop, _, report = read(tmp_path, intro, table, DATES)
    assert workshop["schedule"][0]["presenters_text"] == "Ada, the chairs"
    assert any("speaker links in 'Ada, the chairs' not kept" in n for n in report.notes)
    assert ("assets/img/banner.png", "in the text of 'the introduction': not shown") in (
        report.other_images
    )
    assert "Welcome!" in workshop["description_md"]


def test_people_table_with_column_headings_and_dates_table(tmp_path):
    people = """
    ## Invited Speakers

    | Photo | Name | Affiliation |
    |---|---|---|
    | ![](img/ada.png) | [Ada Lovelace](https://ada.example) | University of London |
    | | Alan Turing | Bletchley Park |
    """
    dates = """
    ## Timeline

    | Milestone | Date |
    |---|---|
    | Submission deadline | ~~May 1, 2025~~ May 8, 2025 AoE |
    | Workshop | July 18, 2025 |

    * Camera ready - June 20, 2025
    """
    workshop, document, report = read(tmp_path, PIPE_24H, people, dates)
    assert [(r["person"], r["affiliation"]) for r in workshop["speakers"]] == [
        ("ada-lovelace", "University of London"),
        ("alan-turing", "Bletchley Park"),
    ]
    assert ("img/ada.png", "photo") in [(i.src, i.kind) for i in report.images]
    deadline, day, camera = workshop["dates"]
    assert (deadline["due"], deadline["earlier"]) == (
        "2025-05-08T23:59:00-12:00",
        [{"due": "2025-05-01T23:59:00-12:00", "timezone": "Etc/GMT+12"}],
    )
    assert (day["label"], day["date"]) == ("Workshop", "2025-07-18")
    assert (camera["label"], camera["date"]) == ("Camera ready", "2025-06-20")
    assert workshop["start_date"] == "2025-07-18"


def test_two_days_headerless_table_and_label_in_the_heading(tmp_path):
    days = """
    ## Schedule (all times CEST, Vienna)

    ### Day 1: July 18, 2025

    | 09:00 | Opening | Chairs |
    |---|---|---|
    | 09:15 | Invited Talk 1: First | Ada |

    ### Day 2: July 19, 2025

    | Time | Session |
    |---|---|
    | 10:00 | Closing Remarks |
    """
    workshop, _, report = read(tmp_path, days, DATES)
    assert workshop["timezone"] == "Europe/Vienna"
    assert starts(workshop) == [
        "2025-07-18T09:00:00+02:00",
        "2025-07-18T09:15:00+02:00",
        "2025-07-19T10:00:00+02:00",
    ]
    assert [i["block"] for i in workshop["schedule"]] == [1, 1, 2]
    assert workshop["schedule"][0]["presenters_text"] == "Chairs"


def test_schedule_table_without_a_schedule_heading(tmp_path):
    intro = "Welcome.\n\n| Time (CEST, Vienna) | Talk |\n|--|--|\n| 9:00 | Opening |\n"
    intro += "| 9:30 | Break |\n"
    workshop, _, report = read(tmp_path, intro, DATES)
    assert [i["kind"] for i in workshop["schedule"]] == ["opening", "coffee_break"]
    assert workshop["description_md"] == "Welcome."
    assert any("is read as the schedule" in n for n in report.notes)
