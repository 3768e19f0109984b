"""The papers page and a paper's page: sessions, search, links, BibTeX and Google Scholar tags."""

import datetime as dt
import re

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from wsapp.extensions import db
from wsapp.models import (
    AwardCategory,
    Ballot,
    ItemKind,
    Paper,
    Presentation,
    ScheduleItem,
    Vote,
    Workshop,
)
from wsapp.models.papers import split_authors

BUGS_ORALS = [
    "Effective Backdoor Mitigation Depends on the Pre-training Objective",
    "VillanDiffusion: A Unified Backdoor Attack Framework for Diffusion Models",
    "The Stronger the Diffusion Model, the Easier the Backdoor: Data Poisoning to Induce "
    "Copyright Breaches Without Adjusting Finetuning Pipeline",
    "Backdooring Instruction-Tuned Large Language Models with Virtual Prompt Injection",
    "BadChain: Backdoor Chain-of-Thought Prompting for Large Language Models",
]


def _soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.text[:1000]
    return BeautifulSoup(response.text, "html.parser")


def _paper(app, title: str, slug: str = "bugs-2023") -> Paper:
    with app.app_context():
        return db.session.scalar(
            select(Paper).join(Workshop).where(Workshop.slug == slug, Paper.title == title)
        )


def _add_posters(app, count: int = 3) -> list[int]:
    """Posters standing in the BUGS poster session, boards given out of order."""
    with app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.slug == "bugs-2023"))
        papers = [
            Paper(
                workshop_id=workshop.id,
                title=f"Poster {n}: Tramèr-style audits",
                authors=f"Ana Número{n}, Bob Smith",
                presentation=Presentation.POSTER,
                poster_session=1,
                board=str(board),
                sort_order=100 + n,
            )
            for n, board in zip(range(count), (10, 2, 7), strict=False)
        ]
        db.session.add_all(papers)
        db.session.commit()
        return [p.id for p in papers]


def test_bugs_demo_shows_its_orals_with_their_schedule_links(client):
    soup = _soup(client.get("/bugs-2023/papers"))
    orals = soup.select_one("section#orals")
    assert orals is not None, "no oral presentations section"
    titles = [a.get_text(strip=True) for a in orals.select("h3.paper-title a")]
    assert titles == BUGS_ORALS  # in the order they are given (11:00, 13:00, 13:15, 15:45, 16:00)
    schedule = _soup(client.get("/bugs-2023/schedule"))
    for entry in orals.select("li.paper"):
        link = entry.select_one(".paper-where a")
        assert link.get_text(strip=True).startswith("Oral ")
        anchor = link["href"].split("#")[1]
        row = schedule.select_one(f"tr#{anchor}")  # the link lands on the talk's own row
        assert row is not None and entry.h3.get_text(strip=True) in row.get_text(" ", strip=True)
        assert entry.select_one("time")["datetime"].endswith("-06:00")  # the venue's zone


def test_the_schedule_and_the_ballot_link_the_paper_pages(app, client):
    schedule = _soup(client.get("/bugs-2023/schedule"))
    first = _paper(app, BUGS_ORALS[0])
    link = schedule.select_one(f'td.session a[href="/bugs-2023/papers/{first.id}"]')
    assert link is not None and link.get_text(strip=True) == BUGS_ORALS[0]
    app.config["NOW"] = "2023-12-15T12:00:00-06:00"  # best oral is open; the ballot shows
    ballot = _soup(client.get("/bugs-2023/vote"))
    linked = [a["href"] for a in ballot.select("#ballot-best-oral h3.candidate-title a")]
    assert f"/bugs-2023/papers/{first.id}" in linked and len(linked) == 5


def test_the_poster_session_lists_its_posters_by_board(app, client):
    _add_posters(app)
    schedule = _soup(client.get("/bugs-2023/schedule"))
    row = schedule.select_one("tr.kind-poster_session")
    items = [li.get_text(" ", strip=True) for li in row.select(".session-posters li")]
    assert [re.search(r"Board (\d+)", i)[1] for i in items] == ["2", "7", "10"]
    assert "3 posters" in row.select_one(".session-posters summary").get_text()
    papers = _soup(client.get("/bugs-2023/papers"))
    group = papers.select_one("section#poster-session-1")
    assert group.h2.get_text(strip=True) == "Poster Session"
    assert "3:00\u202fPM" in group.select_one(".session-time").get_text()  # the session's time
    boards = [
        li.select_one(".paper-where").get_text(" ", strip=True) for li in group.select("li.paper")
    ]
    assert boards == ["Poster board 2", "Poster board 7", "Poster board 10"]


def test_search_filters_by_title_or_author_with_htmx_and_without(client, app):
    _add_posters(app)
    plain = _soup(client.get("/bugs-2023/papers?q=diffusion"))
    titles = [a.get_text(strip=True) for a in plain.select("h3.paper-title a")]
    assert titles == [BUGS_ORALS[1], BUGS_ORALS[2]]
    assert "2 of the papers match “diffusion”" in plain.select_one(".search-summary").get_text()
    assert plain.select_one("form.paper-search input[name=q]")["value"] == "diffusion"
    fragment = client.get("/bugs-2023/papers?q=numero1", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<div id="papers"')  # the list alone, for htmx
    assert "<html" not in fragment.text
    assert "Poster 1: Tramèr-style audits" in fragment.text  # author "Número1", accents ignored
    assert "Poster 0" not in fragment.text
    assert "HX-Request" in fragment.headers["Vary"]
    several = _soup(client.get("/bugs-2023/papers?q=chen+VILLAN"))  # every word must match
    assert [a.get_text(strip=True) for a in several.select("h3 a")] == [BUGS_ORALS[1]]
    none = _soup(client.get("/bugs-2023/papers?q=" + "zz" * 300))  # long queries are cut
    assert "No paper matches your search." in none.get_text()


def test_paper_page_tells_when_and_where_in_the_viewers_zone(app, client):
    paper = _paper(app, BUGS_ORALS[0])
    soup = _soup(client.get(f"/bugs-2023/papers/{paper.id}?tz=Asia/Tokyo"))
    where = soup.select_one(".paper-where li")
    assert where.select_one("a").get_text(strip=True) == "Oral 1"
    time = where.select_one("time")
    assert time["datetime"] == "2023-12-16T02:00:00+09:00"  # 11:00 in New Orleans
    assert "Venue: 11:00\u202fAM" in where.get_text(" ", strip=True)
    assert "Sahil Verma" in soup.select_one(".paper-authors").get_text()
    assert soup.select_one("h1").get_text(strip=True) == BUGS_ORALS[0]


def test_paper_of_another_workshop_or_unknown_is_404(app, client):
    other = _paper(app, "Paper Title", slug="synthetic-2024")
    assert client.get(f"/bugs-2023/papers/{other.id}").status_code == 404
    assert client.get("/bugs-2023/papers/999999").status_code == 404
    assert client.get("/bugs-2023/papers/99999999999").status_code == 404  # beyond PostgreSQL's int


def _meta(soup: BeautifulSoup) -> list[tuple[str, str]]:
    head = soup.head
    return [(m["name"], m["content"]) for m in head.find_all("meta", attrs={"name": True})]


# Google Scholar inclusion guidelines, "Indexing": the tags every article page must have, and
# the form of the date ("2009/05/15", or the year alone).
REQUIRED = ("citation_title", "citation_author", "citation_publication_date")
DATE = re.compile(r"\d{4}(/\d{2}/\d{2})?")


def test_citation_tags_meet_the_scholar_guidelines(app, client):
    paper = _paper(app, BUGS_ORALS[1])
    soup = _soup(client.get(f"/bugs-2023/papers/{paper.id}"))
    tags = [(n, c) for n, c in _meta(soup) if n.startswith("citation_")]
    names = [n for n, _ in tags]
    for name in REQUIRED:
        assert name in names, f"{name} missing"
    assert len([n for n in names if n == "citation_title"]) == 1
    assert dict(tags)["citation_title"] == BUGS_ORALS[1] == soup.h1.get_text(strip=True)
    authors = [c for n, c in tags if n == "citation_author"]
    assert authors == ["Sheng-Yen Chou", "Pin-Yu Chen", "Tsung-Yi Ho"]  # one tag each, in order
    assert DATE.fullmatch(dict(tags)["citation_publication_date"])
    assert dict(tags)["citation_publication_date"] == "2023/12/15"
    assert dict(tags)["citation_conference_title"] == "Backdoors in Deep Learning @ NeurIPS 2023"
    assert "citation_pdf_url" not in names  # no hosted PDF yet (see test_pdf_hosting)
    for meta in soup.body.find_all("meta"):
        assert not meta.get("name", "").startswith("citation_"), "tags belong in <head>"


def test_scholar_tags_can_be_turned_off_and_need_a_date(app, client):
    paper = _paper(app, BUGS_ORALS[1])
    with app.app_context():
        workshop = db.session.get(Workshop, paper.workshop_id)
        workshop.scholar_tags = False
        db.session.commit()
    soup = _soup(client.get(f"/bugs-2023/papers/{paper.id}"))
    assert not [n for n, _ in _meta(soup) if n.startswith("citation_")]
    with app.app_context():
        workshop = db.session.get(Workshop, paper.workshop_id)
        workshop.scholar_tags, workshop.start_date, workshop.conference_year = True, None, None
        db.session.commit()
    soup = _soup(client.get(f"/bugs-2023/papers/{paper.id}"))
    # without a publication date Scholar cannot index it: an incomplete set is not given
    assert not [n for n, _ in _meta(soup) if n.startswith("citation_")]


def test_bibtex_entry(app, client):
    paper = _paper(app, BUGS_ORALS[2])
    soup = _soup(client.get(f"/bugs-2023/papers/{paper.id}"))
    bibtex = soup.select_one("pre.bibtex").get_text()
    assert bibtex.startswith("@inproceedings{wang2023stronger,\n")
    assert "author    = {Haonan Wang and Qianli Shen and Yao Tong and Yang Zhang and" in bibtex
    assert "booktitle = {Backdoors in Deep Learning @ NeurIPS 2023}" in bibtex
    assert f"url       = {{http://wsapp.test/bugs-2023/papers/{paper.id}}}" in bibtex
    assert bibtex.count("{") == bibtex.count("}")


def test_bibtex_escapes_what_latex_would_read_as_commands(app):
    from wsapp.services.papers.citation import bibtex

    with app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.slug == "bugs-2023"))
        paper = Paper(title="100% of {Unbalanced & odd_names #1", authors="Ann Lee and Bo Ng")
        entry = bibtex(paper, workshop, "https://x.org/p")
    assert r"title     = {100\% of \{Unbalanced \& odd\_names \#1}" in entry
    assert "author    = {Ann Lee and Bo Ng}" in entry


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Sahil Verma, Gantavya Bhatt", ["Sahil Verma", "Gantavya Bhatt"]),
        # as the aiforpeace site's _papers/ front matter writes them (tests/fixtures: corpus)
        (
            "Krishna Murthy Jatavallabhula, Soroush Saryazdi, Ganesh Iyer, and Liam Paull",
            ["Krishna Murthy Jatavallabhula", "Soroush Saryazdi", "Ganesh Iyer", "Liam Paull"],
        ),
        ("Ann Lee and Bo Ng", ["Ann Lee", "Bo Ng"]),
        ("Jane Doe; John Smith", ["Jane Doe", "John Smith"]),
        ("Alexander Anderson\nSandra Landers", ["Alexander Anderson", "Sandra Landers"]),
        ("", []),
    ],
)
def test_author_lists_are_split_as_people_write_them(text, names):
    assert split_authors(text) == names


def test_papers_page_is_in_the_nav_and_sitemap_only_with_papers(app, client):
    nav = _soup(client.get("/bugs-2023/")).select_one("nav ul.nav")
    assert "/bugs-2023/papers" in [a["href"] for a in nav.select("a")]
    first = _paper(app, BUGS_ORALS[0])
    sitemap = client.get("/sitemap.xml").text
    assert f"http://wsapp.test/bugs-2023/papers/{first.id}</loc>" in sitemap
    assert "http://wsapp.test/bugs-2023/papers</loc>" in sitemap
    with app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.slug == "synthetic-2024"))
        db.session.execute(ScheduleItem.__table__.update().values(paper_id=None))
        for paper in db.session.scalars(select(Paper).where(Paper.workshop_id == workshop.id)):
            db.session.delete(paper)
        db.session.commit()
    nav = _soup(client.get("/synthetic-2024/")).select_one("nav ul.nav")
    assert "/synthetic-2024/papers" not in [a["href"] for a in nav.select("a")]
    assert "synthetic-2024/papers" not in client.get("/sitemap.xml").text
    page = _soup(client.get("/synthetic-2024/papers"))  # still answers, for old links
    assert "The accepted papers will be listed here." in page.get_text()


def test_published_awards_show_as_badges(app, client):
    with app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.slug == "bugs-2023"))
        category = db.session.scalar(
            select(AwardCategory).where(
                AwardCategory.workshop_id == workshop.id, AwardCategory.slug == "best-oral"
            )
        )
        winner = db.session.scalar(select(Paper).where(Paper.title == BUGS_ORALS[3]))
        ballot = Ballot(workshop_id=workshop.id, token_hash="a" * 64)
        db.session.add(ballot)
        db.session.flush()
        db.session.add(Vote(ballot_id=ballot.id, category_id=category.id, paper_id=winner.id))
        category.results_published = True
        db.session.commit()
        winner_id = winner.id
    soup = _soup(client.get("/bugs-2023/papers"))
    badges = soup.select(f"#paper-{winner_id} .badge-award")
    assert [b.get_text(strip=True) for b in badges] == ["Best oral"]
    assert len(soup.select(".badge-award")) == 1
    page = _soup(client.get(f"/bugs-2023/papers/{winner_id}"))
    assert page.select_one(".badge-award").get_text(strip=True) == "Best oral"


def test_spotlight_papers_stand_for_best_poster(app, client):
    with app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.slug == "bugs-2023"))
        db.session.add(
            Paper(
                workshop_id=workshop.id,
                title="A spotlight",
                authors="S. Pot",
                presentation=Presentation.SPOTLIGHT,
            )
        )
        session = db.session.scalar(
            select(ScheduleItem).where(
                ScheduleItem.workshop_id == workshop.id,
                ScheduleItem.kind == ItemKind.POSTER_SESSION,
            )
        )
        assert session.start_dt == dt.datetime(2023, 12, 15, 21, 0, tzinfo=dt.UTC)
        db.session.commit()
    app.config["NOW"] = "2023-12-15T15:30:00-06:00"
    ballot = _soup(client.get("/bugs-2023/vote"))
    posters = [h.get_text(strip=True) for h in ballot.select("#ballot-best-poster h3")]
    orals = [h.get_text(strip=True) for h in ballot.select("#ballot-best-oral h3")]
    assert posters == ["A spotlight"] and "A spotlight" not in orals
    page = _soup(client.get("/bugs-2023/papers"))
    assert page.select_one("section#spotlights h3").get_text(strip=True) == "A spotlight"


def test_paper_page_query_count_does_not_grow_with_the_content(app, client, count_queries):
    from test_query_counts import grow_content

    app.config["PAGE_CACHE"] = False
    path = f"/bugs-2023/papers/{_paper(app, BUGS_ORALS[0]).id}"
    with count_queries() as before:
        assert client.get(path).status_code == 200
    with app.app_context():
        grow_content(5)  # papers, schedule rows presenting them, people, ...
    with count_queries() as after:
        assert client.get(path).status_code == 200
    assert after.count == before.count, "\n".join(after.statements)
    assert before.count <= 12
