"""`flask import jekyll` on ten real workshop sites, compared with what their pages say.

tests/fixtures/corpus/ holds the sites' files verbatim (each with its LICENSE and SOURCE.txt);
tests/fixtures/corpus_expected/<site>.yml says what a reader of the built site sees: every
schedule row (day and time in the venue's zone, the label and title as written, who presents),
the people of each role in page order, the important dates. Those files were written by
reading the sites, not by running the importer. Each site is imported into an empty database
and the stored workshop must match exactly, with no person the site does not name, and a
second import must change nothing.
"""

from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from wsapp.extensions import db
from wsapp.services.content.site import dump_site

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = FIXTURES / "corpus"
EXPECTED = FIXTURES / "corpus_expected"


def _cases():
    for path in sorted(EXPECTED.glob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for i, case in enumerate(document.get("imports") or [document]):
            site = path.stem
            name = site.split("__")[0] + (f"-{Path(case['import']).stem}" if i or "imports"
                                          in document else "")  # fmt: skip
            yield pytest.param(site, case, id=name)


CASES = list(_cases())


@pytest.fixture
def empty_app(fresh_app):
    app = fresh_app()
    with app.app_context():
        db.create_all()
    return app


def run_import(app, site: str, case: dict):
    target = CORPUS / site / case["import"]
    args = ["import", "jekyll", str(target), *map(str, case.get("options") or [])]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    return result.output


def stored(app) -> tuple[dict, dict]:
    """The one workshop as the content format writes it, and the people by key."""
    with app.app_context():
        document = dump_site()
    (workshop,) = document["workshops"]
    return workshop, {p["key"]: p for p in document["people"]}


def shown_rows(workshop: dict, people: dict) -> list[dict]:
    """Each schedule row as the schedule page shows it: local start, label as written, title,
    presenters (people, else the text, else the paper's authors), moderator."""
    papers = {p["key"]: p for p in workshop["papers"]}
    rows = []
    for item in workshop["schedule"]:
        names = ", ".join(people[k]["name"] for k in item["presenters"])
        paper = papers.get(item["paper"]) or {}
        row = {"at": f"{item['start'][:10]} {item['start'][11:16]}", "label": item["label"],
               "title": item["title"] or paper.get("title"),
               "presenters": names or item["presenters_text"] or paper.get("authors") or "",
               "moderator": people[item["moderator"]]["name"] if item["moderator"] else None,
               "offset": item["start"][19:]}  # fmt: skip
        rows.append(row)
    return rows


def expected_rows(case: dict) -> list[dict]:
    return [
        {"at": str(r["at"]), "label": r.get("label", ""), "title": r.get("title"),
         "presenters": r.get("presenters", ""), "moderator": r.get("moderator")}
        for r in case["schedule"]
    ]  # fmt: skip


def role_names(workshop: dict, people: dict, kind: str) -> list[str]:
    return [people[r["person"]]["name"] for r in workshop.get(kind, [])]


def date_rows(workshop: dict) -> list[dict]:
    rows = []
    for d in workshop["dates"]:
        row = {"label": d["label"], "day": (d["due"] or d["date"])[:10]}
        earlier = [(e["due"] or e["date"])[:10] for e in d["earlier"]]
        if earlier:
            row["earlier"] = earlier
        rows.append(row)
    return rows


def named_people(case: dict) -> set[str]:
    """Everyone the expectation names: roles, moderators, presenters that are people."""
    names = {n for kind in ("speakers", "panelists", "organizers", "moderators")
             for n in case.get(kind) or []}  # fmt: skip
    for row in case["schedule"]:
        names |= {n.strip() for n in str(row.get("presenters", "")).split(",")}
        if row.get("moderator"):
            names.add(row["moderator"])
    return names


@pytest.mark.parametrize(("site", "case"), CASES)
def test_corpus_site_imports_as_its_pages_say(empty_app, site, case):
    output = run_import(empty_app, site, case)
    workshop, people = stored(empty_app)
    problems = []

    def same(what, found, expected):
        if found != expected:
            problems.append(f"{what}:\n    found    {found!r}\n    expected {expected!r}")

    same("title", workshop["title"], case["title"])
    conference = workshop["conference"]
    found_conference = f"{conference['name'] or ''} {conference['year'] or ''}".strip()
    same("conference", found_conference, case["conference"])
    if "timezone" in case:
        same("timezone", workshop["timezone"], case["timezone"])
    same("start date", workshop["start_date"], str(case["start_date"]))
    same("end date", workshop["end_date"], str(case["end_date"]))
    rows = shown_rows(workshop, people)
    if "utc_offset" in case:
        same("offsets", {r["offset"] for r in rows}, {case["utc_offset"]})
    rows = [{k: v for k, v in r.items() if k != "offset"} for r in rows]
    expected = expected_rows(case)
    same("number of schedule rows", len(rows), len(expected))
    for i, (found, wanted) in enumerate(zip(rows, expected, strict=False)):
        same(f"schedule row {i + 1} ({wanted['at']})", found, wanted)
    for kind in ("speakers", "panelists", "organizers"):
        same(kind, role_names(workshop, people, kind), case[kind])
    same("moderators", sorted(role_names(workshop, people, "moderators")),
         sorted(case["moderators"]))  # fmt: skip
    expected_dates = [
        {k: ([str(x) for x in v] if k == "earlier" else str(v) if k == "day" else v)
         for k, v in d.items()}
        for d in case["dates"]
    ]  # fmt: skip
    same("important dates", date_rows(workshop), expected_dates)
    for kind in ("sponsors", "institutions"):
        if kind in case:
            same(kind, [entry["url"] for entry in workshop[kind]], case[kind])
    bogus = sorted(p["name"] for p in people.values() if p["name"] not in named_people(case))
    same("people the site does not name", bogus, [])
    report = "\n".join(line for line in output.splitlines() if not line.startswith("  - photo"))
    assert not problems, f"{site} {case['import']}:\n" + "\n".join(problems) + "\n\n" + report


def row_counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }


@pytest.mark.parametrize(("site", "case"), CASES)
def test_corpus_reimport_is_idempotent(empty_app, site, case):
    run_import(empty_app, site, case)
    before, dumped = row_counts(empty_app), stored(empty_app)
    run_import(empty_app, site, case)
    assert row_counts(empty_app) == before
    assert stored(empty_app) == dumped


def test_every_corpus_site_has_expectations_and_its_licence():
    sites = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())
    assert sites == sorted(p.stem for p in EXPECTED.glob("*.yml")) and len(sites) == 10
    for site in sites:
        assert (CORPUS / site / "SOURCE.txt").is_file()
        assert any((CORPUS / site).glob("LICENSE*")), f"{site} has no LICENSE"
