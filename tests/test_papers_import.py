"""`flask papers import-openreview` against a recorded OpenReview venue, served to the real
openreview-py client, and `flask papers import` on CSV and YAML files."""

import shutil
from pathlib import Path

import pdffiles
import pytest
from bs4 import BeautifulSoup
from openreview_api import HOSTILE_PDF_NOTE, PASSWORD, USERNAME, VENUE, RecordedOpenReview
from sqlalchemy import func, select

from wsapp.extensions import db
from wsapp.models import Ballot, Document, Paper, Presentation, Vote, Workshop
from wsapp.services.voting import votes as voting

FIXTURES = Path(__file__).parent / "fixtures"
ORALS = 5
POSTERS = ["Fixture Poster A", "Fixture Poster B", "Fixture Poster C", "Fixture Poster D"]


@pytest.fixture
def openreview_api():
    server = RecordedOpenReview()
    yield server
    server.stop()


def _import(runner, server, *extra, slug="bugs-2023"):
    args = ["papers", "import-openreview", slug, VENUE, "--baseurl", server.url, *extra]
    return runner.invoke(args=args)


def _papers(app, slug="bugs-2023") -> list[Paper]:
    with app.app_context():
        return db.session.scalars(
            select(Paper).join(Workshop).where(Workshop.slug == slug).order_by(Paper.id)
        ).all()


def _soup(client, path: str) -> BeautifulSoup:
    response = client.get(path)
    assert response.status_code == 200, response.text[:500]
    return BeautifulSoup(response.text, "html.parser")


def test_openreview_venue_fills_the_papers_page_and_the_best_poster_ballot(
    app, client, runner, openreview_api
):
    result = _import(runner, openreview_api)
    assert result.exit_code == 0, result.output
    # the five orals of the demo were typed in by hand: adopted, not duplicated
    assert "New: 5, updated: 5, unchanged: 0, removed: 0, PDFs stored: 9" in result.output
    assert "Fixture Poster D: A Poster Whose PDF Runs JavaScript”: its PDF was not stored" in (
        result.output
    )
    assert "Fixture Rejected" not in result.output
    papers = _papers(app)
    assert len(papers) == 10 and all(p.source_id.startswith("openreview:") for p in papers)
    kinds = {p.title.split(":")[0]: p.presentation for p in papers}
    assert kinds["Fixture Spotlight"] == Presentation.SPOTLIGHT
    assert [kinds[t] for t in POSTERS] == [Presentation.POSTER] * 4

    page = _soup(client, "/bugs-2023/papers")
    assert len(page.select("section#orals li.paper")) == ORALS
    assert len(page.select("section#spotlights li.paper")) == 1
    # BUGS has one poster session: the new posters stand there
    session = page.select_one("section#poster-session-1")
    assert [h.get_text(strip=True).split(":")[0] for h in session.select("h3")] == POSTERS

    app.config["NOW"] = "2023-12-15T15:30:00-06:00"  # during the poster session
    ballot = _soup(client, "/bugs-2023/vote")
    candidates = {
        h.get_text(strip=True).split(":")[0] for h in ballot.select("#ballot-best-poster h3")
    }
    assert candidates == {*POSTERS, "Fixture Spotlight"}

    poster = next(p for p in papers if p.title.startswith("Fixture Poster A"))
    detail = _soup(client, f"/bugs-2023/papers/{poster.id}")
    assert "Fixture abstract of submission 33" in detail.select_one(".abstract").get_text()
    links = {
        a.get_text(strip=True).split(":")[0]: a["href"] for a in detail.select(".paper-links a")
    }
    assert links["OpenReview"] == "https://openreview.net/forum?id=P0sterAaaa"
    assert links["PDF"].startswith("/media/")
    assert detail.head.find("meta", attrs={"name": "citation_pdf_url"}) is not None
    hostile = next(p for p in papers if p.source_id == f"openreview:{HOSTILE_PDF_NOTE}")
    assert hostile.pdf_id is None  # refused, but the paper itself is imported

    asked = [(r["method"], r["path"]) for r in openreview_api.requests]
    assert asked[0] == ("GET", "/groups") and openreview_api.requests[0]["params"] == {"id": VENUE}
    listing = openreview_api.requests[1]
    assert listing["path"] == "/notes" and listing["params"]["content.venueid"] == VENUE
    assert listing["params"]["details"] == "directReplies"
    assert asked.count(("GET", "/attachment")) == 10
    assert all(r["agent"].startswith("openreview-py/") for r in openreview_api.requests)
    assert all(r["auth"] is None for r in openreview_api.requests)  # a guest: public venue


def test_reimport_changes_nothing(app, runner, openreview_api):
    assert _import(runner, openreview_api).exit_code == 0
    with app.app_context():
        before = [(p.id, p.title, p.pdf_id, p.version) for p in _papers(app)]
        documents = db.session.scalar(select(func.count(Document.id)))
    again = _import(runner, openreview_api)
    assert again.exit_code == 0, again.output
    assert "New: 0, updated: 0, unchanged: 10, removed: 0, PDFs stored: 0" in again.output
    with app.app_context():
        assert [(p.id, p.title, p.pdf_id, p.version) for p in _papers(app)] == before
        assert db.session.scalar(select(func.count(Document.id))) == documents


def test_a_voted_paper_survives_a_reimport_that_omits_it(app, runner, openreview_api):
    assert _import(runner, openreview_api).exit_code == 0
    with app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.slug == "bugs-2023"))
        category = voting.category(workshop, "best-poster")
        voted = db.session.scalar(select(Paper).where(Paper.source_id == "openreview:P0sterBbbb"))
        ballot = Ballot(workshop_id=workshop.id, token_hash="b" * 64)
        db.session.add(ballot)
        db.session.flush()
        db.session.add(Vote(ballot_id=ballot.id, category_id=category.id, paper_id=voted.id))
        db.session.commit()
    openreview_api.omit = {"P0sterBbbb", "P0sterCccc"}  # both withdrawn after the workshop
    result = _import(runner, openreview_api)
    assert result.exit_code == 0, result.output
    assert "removed: 1" in result.output
    assert "Removed (no longer accepted in the source" in result.output
    assert "  Fixture Poster C: Certified Defences Against Clean-Label Attacks" in result.output
    assert (
        "Fixture Poster B: Backdoor Watermarks for Dataset Ownership: attendees voted for it"
        in (result.output)
    )
    ids = {p.source_id for p in _papers(app)}
    assert "openreview:P0sterBbbb" in ids and "openreview:P0sterCccc" not in ids
    with app.app_context():
        assert db.session.scalar(select(func.count(Vote.id))) == 1


def test_decisions_not_yet_on_the_papers_are_read_from_the_decision_notes(
    app, runner, openreview_api
):
    openreview_api.unpublished = True
    result = _import(runner, openreview_api, "--no-pdfs")
    assert result.exit_code == 0, result.output
    assert "accepted papers were read from their Decision notes" in result.output
    papers = _papers(app)
    assert len(papers) == 10 and "Fixture Rejected" not in {p.title for p in papers}
    spot = next(p for p in papers if p.title.startswith("Fixture Spotlight"))
    assert spot.presentation == Presentation.SPOTLIGHT  # from "Accept (Spotlight)"
    listed = [r["params"] for r in openreview_api.requests if r["path"] == "/notes"]
    assert listed[-1]["invitation"] == f"{VENUE}/-/Submission"
    assert not any(r["path"] == "/attachment" for r in openreview_api.requests)


def test_the_client_pages_through_a_large_venue(app, runner, openreview_api):
    openreview_api.page_size = 3  # as if the venue had thousands of papers
    result = _import(runner, openreview_api, "--no-pdfs")
    assert result.exit_code == 0, result.output
    assert len(_papers(app)) == 10
    pages = [r for r in openreview_api.requests if r["path"] == "/notes"]
    assert len(pages) == 5 and "after" in pages[-1]["params"]  # 3 + 3 + 3 + 1, then empty


def test_credentials_from_the_environment_log_in(app, runner, openreview_api, monkeypatch):
    monkeypatch.setenv("OPENREVIEW_USERNAME", USERNAME)
    monkeypatch.setenv("OPENREVIEW_PASSWORD", PASSWORD)
    result = _import(runner, openreview_api, "--no-pdfs", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Dry run: nothing was stored." in result.output
    assert openreview_api.requests[0]["path"] == "/login"
    assert all(r["auth"] == "Bearer recorded-session-token" for r in openreview_api.requests[1:])
    assert len(_papers(app)) == ORALS  # the dry run stored nothing
    monkeypatch.setenv("OPENREVIEW_PASSWORD", "wrong")
    refused = _import(runner, openreview_api)
    assert refused.exit_code == 1
    assert "OpenReview refused the log-in: Invalid username or password" in refused.output


def test_unknown_venue_and_workshop_are_clear_errors(runner, openreview_api):
    args = ["papers", "import-openreview", "bugs-2023", "ICLR.cc/2099/Nothing"]
    result = runner.invoke(args=[*args, "--baseurl", openreview_api.url])
    assert result.exit_code == 1
    assert "OpenReview has no venue 'ICLR.cc/2099/Nothing' that you may read" in result.output
    missing = _import(runner, openreview_api, slug="no-such-workshop")
    assert missing.exit_code == 1 and "no workshop 'no-such-workshop'" in missing.output


# spreadsheets

CMT_CSV = """\
Paper ID,Created,Last Modified,Paper Title,Abstract,Primary Contact Author Name,\
Primary Contact Author Email,Authors,Author Names,Author Emails,Track Name,Primary Subject Area,\
Status
12,9/20/2023 8:12:33 AM -07:00,10/1/2023 1:00:00 AM -07:00,"Poisoning, Quickly: A Study",\
"We study poisoning; quickly, with commas.",Jane Doe,jane@mit.edu,"Jane Doe (MIT)*; John \
Smith (ETH Zürich)","Jane Doe; John Smith",jane@mit.edu;john@ethz.ch,Main Track,Security,\
Accept (Poster)
17,9/21/2023 9:00:00 AM -07:00,9/21/2023 9:00:00 AM -07:00,A Rejected Idea,Nope.,A B,a@b.c,\
A B (Nowhere)*,A B,a@b.c,Main Track,Security,Reject
23,9/22/2023 9:00:00 AM -07:00,9/22/2023 9:00:00 AM -07:00,Talks About Triggers,\
Abstract.,C D,c@d.e,"Chen Du (CMU)*; Ève Martin (Inria)","Chen Du; Ève Martin",\
c@d.e;e@inria.fr,Main Track,Security,Accept (Oral)
"""

EASYCHAIR_CSV = """\
#,Title,Authors,Submitted,Last updated,Form fields,Keywords,Decision,Notified,Reviews sent,\
Abstract
3,Graph Backdoors in Practice,"Ana Silva, Bo Chen and Carla Díaz",2023-09-28 10:00,\
2023-09-29 11:00,,graphs,accept,yes,yes,An abstract.
5,Withdrawn Work,Dee Eff,2023-09-28 10:00,2023-09-29 11:00,,x,withdrawn,no,no,X
"""


def _write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def test_cmt_export_is_read_as_it_comes(app, runner, tmp_path):
    path = _write(tmp_path, "Papers.csv", CMT_CSV, encoding="utf-8-sig")  # Excel's BOM
    result = runner.invoke(args=["papers", "import", "bugs-2023", str(path)])
    assert result.exit_code == 0, result.output
    assert "Read 2 accepted papers from Papers.csv." in result.output
    assert "“A Rejected Idea” skipped (Reject)" in result.output
    assert "Columns not imported: " in result.output and "Primary Contact Author Name" in (
        result.output
    )
    by_id = {p.source_id: p for p in _papers(app) if p.source_id}
    poster, oral = by_id["cmt:12"], by_id["cmt:23"]
    assert poster.title == "Poisoning, Quickly: A Study"
    assert poster.authors == "Jane Doe, John Smith"
    assert poster.abstract_md == "We study poisoning; quickly, with commas."
    assert poster.presentation == Presentation.POSTER and oral.presentation == Presentation.ORAL
    assert oral.authors == "Chen Du, Ève Martin"
    assert poster.poster_session == 1  # the schedule's only poster session
    again = runner.invoke(args=["papers", "import", "bugs-2023", str(path)])
    assert "New: 0, updated: 0, unchanged: 2, removed: 0" in again.output


def test_easychair_export_and_excel_encoding(app, runner, tmp_path):
    path = _write(tmp_path, "accepted.csv", EASYCHAIR_CSV.replace("Díaz", "Díaz"), "cp1252")
    result = runner.invoke(args=["papers", "import", "bugs-2023", str(path)])
    assert result.exit_code == 0, result.output
    assert "accepted.csv is not UTF-8: it was read as Windows-1252" in result.output
    assert "“Withdrawn Work” skipped (withdrawn)" in result.output
    (paper,) = [p for p in _papers(app) if p.source_id]
    assert paper.source_id == "easychair:3"
    assert paper.authors == "Ana Silva, Bo Chen, Carla Díaz"
    assert paper.presentation == Presentation.POSTER  # "accept" says no kind: a poster


def test_yaml_with_sessions_boards_links_and_pdfs(app, client, runner, tmp_path):
    shutil.copy(pdffiles.REAL_PDF, tmp_path / "camera-ready.pdf")
    (tmp_path / "bad.pdf").write_bytes(pdffiles.with_javascript(pdffiles.paper_pdf("Bad")))
    path = _write(
        tmp_path,
        "papers.yaml",
        """\
papers:
  - id: p1
    title: Hosted Here
    authors: [Ann Lee, Bo Ng]
    presentation: poster
    poster session: 1
    board: A12
    code: https://github.com/example/hosted
    pdf: camera-ready.pdf
  - id: p2
    title: Scripted
    authors: Cy Dee
    pdf: bad.pdf
    video: not a url
""",
    )
    result = runner.invoke(args=["papers", "import", "bugs-2023", str(path)])
    assert result.exit_code == 0, result.output
    assert "“Scripted”: bad.pdf was not stored: The PDF contains JavaScript" in result.output
    assert "video 'not a url' is not a web address: left out" in result.output
    by_id = {p.source_id: p for p in _papers(app) if p.source_id}
    hosted = by_id["yaml:p1"]
    assert (hosted.board, hosted.poster_session, hosted.authors) == ("A12", 1, "Ann Lee, Bo Ng")
    assert hosted.code_url == "https://github.com/example/hosted" and hosted.pdf_id is not None
    schedule = BeautifulSoup(client.get("/bugs-2023/schedule").text, "html.parser")
    posters = schedule.select(".session-posters li")
    assert [li.get_text(" ", strip=True) for li in posters] == [
        "Board A12: Hosted Here",
        "Scripted",
    ]


def test_real_jekyll_paper_collection(app, runner):
    """The aiforpeace site's _papers/ files: YAML front matter, "A, B, and C" authors, and
    both rows template placeholders that the site does not publish."""
    folder = FIXTURES / "aiforpeace-papers"
    for name in ("paper_00.md", "paper_01.md"):
        result = runner.invoke(args=["papers", "import", "synthetic-2024", str(folder / name)])
        assert result.exit_code == 0, result.output
        assert "skipped (published: false)" in result.output and "New: 0" in result.output


def test_real_jekyll_paper_collection_when_published(app, runner, tmp_path):
    source = (FIXTURES / "aiforpeace-papers" / "paper_00.md").read_text(encoding="utf-8")
    path = _write(tmp_path, "paper_00.md", source.replace("published: false", "published: true"))
    result = runner.invoke(args=["papers", "import", "synthetic-2024", str(path)])
    assert result.exit_code == 0, result.output
    assert "Columns not imported: affil, img, sequence_id" in result.output
    assert "PDF file 00.pdf not found next to the spreadsheet" in result.output
    (paper,) = [p for p in _papers(app, "synthetic-2024") if p.source_id]
    assert paper.title == "gradSLAM - Automagically differentiable SLAM"
    assert paper.authors == (
        "Krishna Murthy Jatavallabhula, Soroush Saryazdi, Ganesh Iyer, Liam Paull"
    )


def test_nul_characters_and_long_values_are_stored_as_the_database_allows(app, runner, tmp_path):
    path = _write(tmp_path, "x.csv", f"id,title,board\n1,Nul\x00Title {'x' * 600},{'9' * 30}\n")
    result = runner.invoke(args=["papers", "import", "bugs-2023", str(path)])
    assert result.exit_code == 0, result.output
    (paper,) = [p for p in _papers(app) if p.source_id]
    assert paper.title.startswith("NulTitle x") and len(paper.title) == 500
    assert paper.board == "9" * 20


def test_a_file_without_titles_is_refused(runner, tmp_path):
    path = _write(tmp_path, "x.csv", "name,who\nA,B\n")
    result = runner.invoke(args=["papers", "import", "bugs-2023", str(path)])
    assert result.exit_code == 1 and "no title column" in result.output
    bad = _write(tmp_path, "x.yaml", "papers: [unclosed\n")
    assert (
        "is not valid YAML"
        in runner.invoke(args=["papers", "import", "bugs-2023", str(bad)]).output
    )


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # `venue` values of real API v2 notes, as public projects recorded them
        ("ICLR 2024 oral", Presentation.ORAL),
        ("ICLR 2024 poster", Presentation.POSTER),
        ("ICLR 2026 Poster", Presentation.POSTER),
        ("NeurIPS 2025 spotlight", Presentation.SPOTLIGHT),
        ("ICML 2026 spotlight", Presentation.SPOTLIGHT),
        ("ICML 2025 spotlightposter", Presentation.SPOTLIGHT),  # no word break
        ("Submitted to ICML 2026", None),
        ("WWW 2026", None),
        # decisions (openreview-py's default options) and what tools.decision_to_venue makes
        ("Accept (Oral)", Presentation.ORAL),
        ("Accept (Poster)", Presentation.POSTER),
        ("Accept", None),
        ("BUGS 2023 Oral", Presentation.ORAL),
        ("Moral Philosophy Workshop 2024", None),  # "oral" inside a word is no talk
    ],
)
def test_presentation_from_venue_and_decision_texts(text, kind):
    from wsapp.importers.papers.records import presentation_in

    assert presentation_in(text) is kind
