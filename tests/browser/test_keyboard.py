"""In Chromium, by keyboard alone: voting keeps the focus on the pressed button and is read out."""

import pytest
from playwright.sync_api import expect
from voting_helpers import category, workshop

from wsapp.extensions import db
from wsapp.models import ManualState
from wsapp.services.voting import codes as ballot_codes
from wsapp.services.voting.admin import set_manual_state

pytestmark = pytest.mark.browser


def test_vote_with_the_keyboard(live_server, page):
    with live_server.app.app_context():
        set_manual_state(category(), ManualState.OPEN)
        code = ballot_codes.generate_codes(workshop(), 1)[0].code
        db.session.commit()
    page.goto(f"{live_server.url}/bugs-2023/vote?code={code}")
    buttons = page.locator("#ballot-best-oral button.vote-button")
    first_id, second_id = buttons.nth(0).get_attribute("id"), buttons.nth(1).get_attribute("id")
    # the first Tab from the top of the page reaches the skip link, which leads to the content
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.locator(f"#{first_id}").focus()
    page.keyboard.press("Enter")
    pressed = page.locator(f"#{first_id}")
    expect(pressed).to_have_attribute("aria-pressed", "true")
    expect(pressed).to_be_focused()  # the swapped ballot gives the focus back to the same button
    expect(page.locator("#announcer")).to_contain_text("is recorded")
    page.keyboard.press("Tab")  # on to the next candidate: its title links its paper page,
    expect(
        page.locator(".candidate", has=page.locator(f"#{second_id}")).locator("h3 a")
    ).to_be_focused()
    page.keyboard.press("Tab")  # then its button
    expect(page.locator(f"#{second_id}")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator(f"#{second_id}")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(f"#{first_id}")).to_have_attribute("aria-pressed", "false")
    # the focus ring is drawn (an outline of the focus colour), not left to the browser default
    outline = page.locator(f"#{second_id}").evaluate("b => getComputedStyle(b).outlineStyle")
    assert outline == "solid"
