"""In Chromium, at a workshop-day instant: from the home page to a cast vote by links alone.

An attendee opens the workshop's home page, follows its "Vote for Best oral" link, types the code
from their card where the ballot page says, and votes. With JavaScript and without it.
"""

import datetime as dt

import pytest
from playwright.sync_api import expect
from voting_helpers import category, workshop

from wsapp.extensions import db
from wsapp.services.voting import codes as ballot_codes
from wsapp.services.voting import results

pytestmark = pytest.mark.browser

ORALS_OPEN = dt.datetime(2023, 12, 15, 20, 10, tzinfo=dt.UTC)  # 2:10 PM in New Orleans


def _day_with_codes(app, n: int) -> list[str]:
    app.config["NOW"] = ORALS_OPEN
    with app.app_context():
        codes = [c.code for c in ballot_codes.generate_codes(workshop(), n)]
        db.session.commit()
    return codes


def _votes(app) -> int:
    with app.app_context():
        return results.tally(category()).total


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_from_the_home_page_to_a_cast_vote_by_links(live_server, new_context, javascript):
    code = _day_with_codes(live_server.app, 1)[0]
    page = new_context(java_script_enabled=javascript).new_page()
    page.goto(f"{live_server.url}/bugs-2023/")
    links = page.locator("nav.vote-links")
    expect(links).to_be_visible()
    links.get_by_role("link", name="Vote for Best oral").click()
    expect(page).to_have_url(f"{live_server.url}/bugs-2023/vote#ballot-best-oral")
    expect(page.locator("#code-hint")).to_contain_text("ten letters and digits")
    # typed as people type it from a card: lower case, a space instead of the dash
    page.get_by_label("Ballot code").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Open my ballot").click()
    buttons = page.locator("#ballot-best-oral button.vote-button")
    expect(buttons).to_have_count(5)
    chosen = buttons.nth(2).get_attribute("value")
    buttons.nth(2).click()
    expect(page.locator(f"#vote-best-oral-{chosen}")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#ballot-best-oral .ballot-choice")).to_contain_text("Your vote")
    if javascript:  # swapped in place; without it the page comes back marked (post/redirect/get)
        expect(page.locator("#ballot-best-oral .notice-ok")).to_contain_text("is recorded")
    assert _votes(live_server.app) == 1


def test_a_schedule_row_links_its_ballot(live_server, page):
    _day_with_codes(live_server.app, 1)
    page.goto(f"{live_server.url}/bugs-2023/schedule")
    row_link = page.locator("tr.kind-oral a.vote-link").first
    expect(row_link).to_be_visible()
    row_link.click()
    expect(page).to_have_url(f"{live_server.url}/bugs-2023/vote#ballot-best-oral")
    expect(page.locator("#ballot-best-oral")).to_be_visible()
