"""In Chromium: vote with a code, see the choice marked without a page load, change it."""

import re

import pytest
from accounts import PASSWORD, make_user
from playwright.sync_api import expect
from voting_helpers import category, workshop

from wsapp.extensions import db
from wsapp.models import ManualState, Paper
from wsapp.services.voting import codes as ballot_codes
from wsapp.services.voting import results
from wsapp.services.voting import votes as voting
from wsapp.services.voting.admin import set_manual_state

pytestmark = pytest.mark.browser


def _open_voting(app) -> str:
    """Open best oral now and issue one code."""
    with app.app_context():
        set_manual_state(category(), ManualState.OPEN)
        code = ballot_codes.generate_codes(workshop(), 1)[0].code
        db.session.commit()
    return code


def _tally(app) -> dict[int, int]:
    with app.app_context():
        return {row.paper.id: row.votes for row in results.tally(category()).rows}


def _organizer_page(live_server, new_context, **context):
    """A second browser context, logged in as the organizer of bugs-2023."""
    with live_server.app.app_context():
        make_user("chair@example.org", workshops=["bugs-2023"])
    organizer = new_context(**context).new_page()
    organizer.console_errors = []
    organizer.on(
        "console", lambda m: organizer.console_errors.append(m.text) if m.type == "error" else None
    )
    organizer.goto(f"{live_server.url}/login")
    organizer.get_by_label("E-mail").fill("chair@example.org")
    organizer.get_by_label("Password").fill(PASSWORD)
    organizer.get_by_role("button", name="Log in").click()
    expect(organizer.get_by_role("heading", name="My workshops")).to_be_visible()
    return organizer


def _count_cell(organizer, app, paper_id: str):
    """The votes cell of a paper's row in best oral's results table."""
    with app.app_context():
        title = db.session.get(Paper, int(paper_id)).title
    row = organizer.locator("#live-best-oral .results-table tbody tr").filter(
        has=organizer.get_by_role("rowheader", name=title, exact=True)
    )
    return row.locator("td.votes")


def test_vote_and_change_it_without_a_page_load(live_server, page, new_context):
    code = _open_voting(live_server.app)
    page.goto(f"{live_server.url}/bugs-2023/vote?code={code}")
    page.evaluate("window.__noReload = 'same page'")
    buttons = page.locator("#ballot-best-oral button.vote-button")
    expect(buttons).to_have_count(5)
    first, second = buttons.nth(0).get_attribute("value"), buttons.nth(3).get_attribute("value")

    buttons.nth(0).click()
    chosen = page.locator(f"#vote-best-oral-{first}")
    expect(chosen).to_have_attribute("aria-pressed", "true")
    expect(chosen).to_contain_text("Your vote")
    expect(page.locator("#ballot-best-oral .notice-ok")).to_contain_text("is recorded")
    expect(page.locator("#announcer")).to_contain_text("is recorded")  # read out
    assert page.evaluate("window.__noReload") == "same page"
    assert _tally(live_server.app)[int(first)] == 1

    page.locator(f"#vote-best-oral-{second}").click()
    expect(page.locator(f"#vote-best-oral-{second}")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(f"#vote-best-oral-{first}")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#ballot-best-oral [aria-pressed=true]")).to_have_count(1)
    assert page.evaluate("window.__noReload") == "same page"
    tally = _tally(live_server.app)
    assert tally[int(second)] == 1 and tally[int(first)] == 0

    # The organizer sees the count on the live results page, and the next change by polling.
    organizer = _organizer_page(live_server, new_context)
    organizer.goto(f"{live_server.url}/manage/bugs-2023/voting/results")
    organizer.evaluate("window.__noReload = 'same page'")
    expect(_count_cell(organizer, live_server.app, second)).to_have_text("1")
    expect(_count_cell(organizer, live_server.app, first)).to_have_text("0")
    page.locator(f"#vote-best-oral-{first}").click()
    expect(page.locator(f"#vote-best-oral-{first}")).to_have_attribute("aria-pressed", "true")
    expect(_count_cell(organizer, live_server.app, first)).to_have_text("1", timeout=10_000)
    expect(_count_cell(organizer, live_server.app, second)).to_have_text("0")
    assert organizer.evaluate("window.__noReload") == "same page"
    assert not organizer.console_errors
    organizer.context.close()
    page.locator(f"#vote-best-oral-{second}").click()
    expect(page.locator(f"#vote-best-oral-{second}")).to_have_attribute("aria-pressed", "true")

    page.reload()  # the ballot cookie keeps the vote and the order across reloads
    expect(page.locator(f"#vote-best-oral-{second}")).to_have_attribute("aria-pressed", "true")
    assert (
        page.locator("#ballot-best-oral button.vote-button").nth(3).get_attribute("value") == second
    )


def test_without_javascript_the_form_posts_and_redirects(live_server, new_context):
    code = _open_voting(live_server.app)
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{live_server.url}/bugs-2023/vote?code={code}")
    button = page.locator("#ballot-best-oral button.vote-button").nth(1)
    paper = button.get_attribute("value")
    button.click()
    # the redirected page itself, whatever its stylesheet and images are doing
    expect(page).to_have_url(re.compile(r"/bugs-2023/vote#ballot-best-oral$"))
    expect(page.locator(f"#vote-best-oral-{paper}")).to_have_attribute("aria-pressed", "true")


def test_ballot_fits_a_phone_and_poster_fills_the_screen(live_server, new_context):
    code = _open_voting(live_server.app)
    page = new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{live_server.url}/bugs-2023/vote?code={code}")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page = new_context(viewport={"width": 1280, "height": 720}).new_page()
    page.goto(f"{live_server.url}/bugs-2023/vote/best-oral/poster")
    box = page.locator("svg.qr-poster-code").bounding_box()
    assert box["height"] >= 0.55 * 720 and box["width"] == box["height"]
    assert not page.locator(".site-header").is_visible()
    expect(page.locator("h1")).to_have_text("Vote for best oral!")


def test_candidates_vote_targets_are_real_papers(live_server, page):
    code = _open_voting(live_server.app)
    page.goto(f"{live_server.url}/bugs-2023/vote?code={code}")
    values = page.locator("#ballot-best-oral button.vote-button").evaluate_all(
        "buttons => buttons.map(b => Number(b.value))"
    )
    with live_server.app.app_context():
        assert sorted(values) == sorted(p.id for p in voting.candidates(category()))


def test_organizer_opens_voting_and_prints_cards_on_a_phone(live_server, new_context):
    organizer = _organizer_page(live_server, new_context, viewport={"width": 390, "height": 844})
    organizer.goto(f"{live_server.url}/manage/bugs-2023/")
    organizer.get_by_role("link", name="Voting").first.click()
    assert organizer.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    organizer.get_by_role("button", name="Open now · Best oral").click()
    expect(organizer.locator(".flash-success")).to_contain_text("is open now")
    organizer.get_by_label("How many new codes").fill("2")
    organizer.get_by_role("button", name="Issue the codes").click()
    organizer.get_by_role("link", name="print their cards").click()
    expect(organizer.locator(".ballot-card")).to_have_count(2)
    # the sheet's styles come from the stylesheet (the CSP blocks inline ones): cards are laid out
    box = organizer.locator(".ballot-card svg").first.bounding_box()
    assert 100 < box["width"] < 200 and box["width"] == box["height"]
    assert not organizer.console_errors
    organizer.context.close()
