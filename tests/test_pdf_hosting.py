"""Hosted PDFs: checked before they are stored, served sandboxed, kept in history, backups,
content files and the frozen copy."""

import hashlib
import io
import os
import re
import zipfile
from pathlib import Path

import pdffiles
import pytest
from bs4 import BeautifulSoup
from conftest import SQLITE_ONLY
from formdata import get_form, post_multipart
from sqlalchemy import func, select

from wsapp.extensions import db
from wsapp.models import Change, Document, Paper
from wsapp.services.documents import PdfError
from wsapp.services.documents.pdf import check_pdf

TITLE = "Effective Backdoor Mitigation Depends on the Pre-training Objective"
REAL = pdffiles.REAL_PDF.read_bytes()
NAME = "effective-backdoor-mitigation-depends-on-the-pre-training-objective.pdf"
POLICY = "sandbox; default-src 'none'; frame-ancestors 'none'"

HOSTILE = {
    "javascript": (lambda: pdffiles.with_javascript(REAL), "contains JavaScript"),
    "encrypted": (lambda: pdffiles.encrypted(REAL), "encrypted or password-protected"),
    "encrypted-no-password": (lambda: pdffiles.encrypted(REAL, ""), "encrypted"),
    "launch": (lambda: pdffiles.with_launch(REAL), "launch action"),
    "escaped-name": (pdffiles.escaped_javascript, "contains JavaScript"),
    "object-stream": (pdffiles.javascript_in_object_stream, "contains JavaScript"),
    "png-named-pdf": (lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "This is a PNG file, not a PDF"),
    "html-named-pdf": (lambda: b"<!DOCTYPE html><html><body>hi", "a web page, not a PDF"),
    "truncated": (lambda: REAL[: len(REAL) // 3], "damaged or incomplete"),
    "empty": (lambda: b"", "The file is empty"),
}


@SQLITE_ONLY
def test_real_pdfs_pass_the_checks(app):
    with app.test_request_context():
        assert check_pdf(REAL).pages == 17  # pdfTeX with hyperref links: not scripts
        made = check_pdf(pdffiles.paper_pdf("Title", pages=3))
        assert made.pages == 3
        assert made.sha256 == hashlib.sha256(pdffiles.paper_pdf("Title", pages=3)).hexdigest()


@SQLITE_ONLY
@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_pdfs_are_refused_with_the_reason(app, name):
    make, reason = HOSTILE[name]
    with app.test_request_context(), pytest.raises(PdfError) as refused:
        check_pdf(make())
    assert reason in str(refused.value)


# uploading in the organizer area


def _paper(app, title: str = TITLE) -> Paper:
    with app.app_context():
        return db.session.scalar(select(Paper).where(Paper.title == title))


def _edit_url(paper: Paper) -> str:
    return f"/manage/bugs-2023/papers/{paper.id}"


def _upload(client, url: str, files: dict, **changes):
    form = {**get_form(client, url), **changes}
    for field, (data, filename) in files.items():
        form[field] = (io.BytesIO(data), filename)
    return post_multipart(client, url, form)


def _state(app) -> tuple:
    folder = app.config["MEDIA_DIR"]
    with app.app_context():
        return (
            db.session.scalar(select(func.count(Document.id))),
            db.session.scalar(select(func.count(Change.id))),
            sorted(os.listdir(folder)) if os.path.isdir(folder) else [],
        )


def _get(client, path: str, **kwargs):
    """GET, with the body read and the file behind it closed (PDFs are streamed from disk)."""
    response = client.get(path, **kwargs)
    response.get_data()
    response.close()
    return response


def _pdf_link(html: str, label: str = "PDF") -> str:
    soup = BeautifulSoup(html, "html.parser")
    for link in soup.select(".paper-links a"):
        if link.get_text(strip=True).startswith(label + ":"):
            return link["href"]
    raise AssertionError(f"no {label} link")


def test_uploaded_pdf_is_served_inline_sandboxed_and_cached(app, client, login_as):
    login_as("bugs")
    paper = _paper(app)
    response = _upload(client, _edit_url(paper), {"pdf": (REAL, "final version.PDF")})
    assert response.status_code == 303, response.text[:3000]
    digest = hashlib.sha256(REAL).hexdigest()
    stored = Path(app.config["MEDIA_DIR"]) / f"{digest}.pdf"
    assert stored.read_bytes() == REAL  # stored once, under its content hash
    page = client.get(f"/bugs-2023/papers/{paper.id}")
    href = _pdf_link(page.text)
    assert href == f"/media/{digest}/{NAME}"
    assert "17 pages" in page.text
    served = _get(client, href)
    assert served.status_code == 200 and served.data == REAL
    assert served.mimetype == "application/pdf"
    assert served.headers["Content-Disposition"] == f"inline; filename={NAME}"
    assert served.headers["Content-Security-Policy"] == POLICY
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    cache = served.headers["Cache-Control"]
    assert "public" in cache and "max-age=31536000" in cache and "immutable" in cache
    assert "no-cache" not in cache and "private" not in cache
    assert served.headers["ETag"] == f'"{digest}"'
    assert _get(client, href, headers={"If-None-Match": f'"{digest}"'}).status_code == 304
    part = _get(client, href, headers={"Range": "bytes=0-1023"})  # PDF viewers read in ranges
    assert part.status_code == 206 and part.data == REAL[:1024]
    # the paper page gives Google Scholar the PDF's absolute address on this site
    soup = BeautifulSoup(page.text, "html.parser")
    pdf_url = soup.head.find("meta", attrs={"name": "citation_pdf_url"})["content"]
    assert pdf_url == "http://wsapp.test" + href


def test_the_same_pdf_twice_is_stored_once(app, client, login_as):
    login_as("bugs")
    first, second = (
        _paper(app),
        _paper(app, "BadChain: Backdoor Chain-of-Thought Prompting for Large Language Models"),
    )
    data = pdffiles.paper_pdf("Shared", pages=2)
    assert _upload(client, _edit_url(first), {"pdf": (data, "a.pdf")}).status_code == 303
    assert _upload(client, _edit_url(second), {"poster_pdf": (data, "b.pdf")}).status_code == 303
    documents, _, files = _state(app)
    assert documents == 1 and files == [hashlib.sha256(data).hexdigest() + ".pdf"]
    html = client.get(f"/bugs-2023/papers/{second.id}").text
    assert _pdf_link(html, "Poster").endswith("-poster.pdf")


@pytest.mark.parametrize("name", ["javascript", "encrypted", "launch", "png-named-pdf"])
def test_hostile_upload_is_refused_and_nothing_is_stored(app, client, login_as, name):
    login_as("bugs")
    paper = _paper(app)
    before = _state(app)
    make, reason = HOSTILE[name]
    response = _upload(client, _edit_url(paper), {"pdf": (make(), "paper.pdf")})
    assert response.status_code == 422
    errors = BeautifulSoup(response.text, "html.parser").select_one("#field-pdf .errors")
    assert reason in errors.get_text()
    assert _state(app) == before
    assert _paper(app).pdf_id is None


def test_too_large_pdf_is_refused(app, client, login_as):
    login_as("bugs")
    app.config["MAX_PDF_BYTES"] = 50 * 1024
    response = _upload(client, _edit_url(_paper(app)), {"pdf": (REAL, "paper.pdf")})
    assert response.status_code == 422
    assert "larger than 50 KB" in response.text


def test_pdf_removed_and_restored_from_history(app, client, login_as):
    login_as("bugs")
    paper = _paper(app)
    first, second = pdffiles.paper_pdf("One"), pdffiles.paper_pdf("Two")
    assert _upload(client, _edit_url(paper), {"pdf": (first, "1.pdf")}).status_code == 303
    assert _upload(client, _edit_url(paper), {"pdf": (second, "2.pdf")}).status_code == 303
    assert _upload(client, _edit_url(paper), {}, **{"pdf-remove": "y"}).status_code == 303
    assert _paper(app).pdf_id is None
    history = client.get(f"/manage/bugs-2023/papers/{paper.id}/history")
    assert history.status_code == 200 and "PDF, 1 page" in history.text
    with app.app_context():
        changes = db.session.scalars(
            select(Change)
            .where(Change.entity == "paper", Change.entity_id == paper.id)
            .order_by(Change.id)
        ).all()
        replaced = changes[-2]  # the second upload: restoring "before" brings the first back
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', history.text)[1]
    response = client.post(
        f"/manage/bugs-2023/history/{replaced.id}/restore", data={"csrf_token": token}
    )
    assert response.status_code in (302, 303)
    restored = _paper(app)
    with app.app_context():
        assert db.session.get(Document, restored.pdf_id).sha256 == hashlib.sha256(first).hexdigest()
    href = _pdf_link(client.get(f"/bugs-2023/papers/{paper.id}").text)
    assert _get(client, href).data == first


def _store_pdf(app, data: bytes, title: str = TITLE) -> str:
    """Give the paper a hosted PDF the way the service does; returns its sha256."""
    from wsapp.services import documents

    with app.test_request_context():
        paper = db.session.scalar(select(Paper).where(Paper.title == title))
        paper.pdf = documents.store(documents.check(data))
        db.session.commit()
    return hashlib.sha256(data).hexdigest()


def test_content_files_carry_the_pdf_and_load_it_again(app):
    from wsapp.services.content.site import dump_site, load_site

    digest = _store_pdf(app, REAL)
    with app.app_context():
        dumped = dump_site()
        bugs = next(w for w in dumped["workshops"] if w["slug"] == "bugs-2023")
        entry = next(p for p in bugs["papers"] if p["title"] == TITLE)
        assert entry["pdf"] == {"sha256": digest, "bytes": len(REAL), "pages": 17}
        assert entry["poster_pdf"] is None
        load_site(dumped)
        db.session.commit()
        assert dump_site() == dumped  # loading what was dumped changes nothing
        assert db.session.scalar(select(func.count(Document.id))) == 1


def test_backup_archive_carries_pdfs(app, fresh_app, tmp_path):
    from conftest import load_demo
    from flask_migrate import upgrade

    source = fresh_app(MEDIA_DIR=str(tmp_path / "media-a"))
    with source.app_context():
        upgrade()
        load_demo()
    digest = _store_pdf(source, REAL)
    archive = tmp_path / "site.zip"
    assert source.test_cli_runner().invoke(args=["export", str(archive)]).exit_code == 0
    with zipfile.ZipFile(archive) as zf:
        assert zf.read(f"media/{digest}.pdf") == REAL
    target = fresh_app(MEDIA_DIR=str(tmp_path / "media-b"))
    with target.app_context():
        upgrade()
    result = target.test_cli_runner().invoke(args=["import", str(archive)])
    assert result.exit_code == 0, result.output
    client = target.test_client()
    with target.app_context():
        paper_id = db.session.scalar(select(Paper.id).where(Paper.title == TITLE))
    href = _pdf_link(client.get(f"/bugs-2023/papers/{paper_id}").text)
    assert _get(client, href).data == REAL


def test_frozen_copy_carries_the_pdf_and_the_paper_pages(app, tmp_path):
    from test_freeze import broken_links, freeze

    digest = _store_pdf(app, REAL)
    out = tmp_path / "copy"
    freeze(app, out, "--slug", "bugs-2023", "--base-url", "https://live.example.org/")
    files = list((out / "media" / digest).glob("*.pdf"))
    assert len(files) == 1 and files[0].read_bytes() == REAL
    with app.app_context():
        paper_id = db.session.scalar(select(Paper.id).where(Paper.title == TITLE))
    page = (out / "bugs-2023" / "papers" / str(paper_id) / "index.html").read_text("utf-8")
    assert f'href="../../../media/{digest}/{files[0].name}"' in page
    listing = (out / "bugs-2023" / "papers" / "index.html").read_text("utf-8")
    assert 'class="paper-search"' not in listing  # a static copy cannot search: form left out
    assert not broken_links(out), broken_links(out)


@SQLITE_ONLY
def test_media_pdf_addresses_that_are_not_ours_are_404(app, client):
    digest = _store_pdf(app, REAL)
    assert _get(client, f"/media/{digest}/x.pdf").status_code == 200
    for path in (
        f"/media/{digest}/x.exe",
        f"/media/{digest}/..%2F..%2Fsecret.pdf",
        f"/media/{digest}/UPPER.pdf",
        f"/media/{'0' * 64}/x.pdf",
        f"/media/{digest[:-1]}g/x.pdf",
    ):
        assert client.get(path).status_code == 404, path
