"""In Chromium: the papers search filters in place, and a hosted PDF opens in the browser's
own viewer under its sandboxing Content-Security-Policy."""

import pytest
from pdffiles import REAL_PDF
from playwright.sync_api import expect
from sqlalchemy import select

from wsapp.extensions import db
from wsapp.models import Paper
from wsapp.services import documents

pytestmark = pytest.mark.browser


def test_search_filters_as_one_types_and_back_restores(live_server, page):
    page.goto(live_server.url + "/bugs-2023/papers")
    titles = page.locator("#papers h3.paper-title")
    expect(titles).to_have_count(5)
    page.evaluate("window.pageMarker = 'still here'")
    page.fill("#paper-q", "badchain")
    expect(titles).to_have_count(1)
    expect(titles.first).to_contain_text("BadChain")
    expect(page.locator("#papers .search-summary")).to_contain_text("1 of the papers matches")
    assert page.evaluate("window.pageMarker") == "still here", "the page was reloaded"
    assert page.url.endswith("/bugs-2023/papers?q=badchain")
    page.go_back()
    expect(titles).to_have_count(5)


def test_search_without_javascript_is_a_plain_get(live_server, new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(live_server.url + "/bugs-2023/papers")
    page.fill("#paper-q", "diffusion")
    page.click("form.paper-search button")
    page.wait_for_url("**/bugs-2023/papers?q=diffusion")
    expect(page.locator("#papers h3.paper-title")).to_have_count(2)


def test_hosted_pdf_opens_in_the_browser_viewer(live_server, new_context):
    with live_server.app.app_context():
        paper = db.session.scalar(select(Paper).order_by(Paper.id).limit(1))
        paper.pdf = documents.store(documents.check(REAL_PDF.read_bytes()))
        db.session.commit()
        paper_id = paper.id
    page = new_context().new_page()
    page.goto(f"{live_server.url}/bugs-2023/papers/{paper_id}")
    with page.expect_response(lambda r: "/media/" in r.url) as answer:
        page.locator(".paper-links a[type='application/pdf']").first.click()
    response = answer.value
    assert response.status == 200
    assert response.header_value("content-type") == "application/pdf"
    assert response.header_value("content-security-policy").startswith("sandbox")
    page.wait_for_load_state()
    # shown inline as a PDF document, not downloaded, in spite of the sandbox
    assert page.evaluate("document.contentType") == "application/pdf"
    assert page.url.endswith(".pdf")
