"""In Chromium: an organizer logs in, edits the schedule, reorders speakers, restores a sponsor."""

import re

import pytest
from accounts import PASSWORD, make_user
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TALK = "Recent Advances in Backdoor Defense and Benchmark"


@pytest.fixture
def organizer_page(live_server, page):
    with live_server.app.app_context():
        make_user("chair@example.org", workshops=["bugs-2023"])
    page.goto(live_server.url + "/bugs-2023/")
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("E-mail").fill("chair@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My workshops")).to_be_visible()
    return page


def test_edit_schedule_title_and_see_it_on_the_site(live_server, organizer_page):
    page = organizer_page
    page.get_by_role("link", name=re.compile("Backdoors in Deep Learning")).first.click()
    page.get_by_role("link", name="Schedule").first.click()
    page.get_by_role("link", name=TALK, exact=True).click()
    page.get_by_label("Title").fill("Backdoor defenses, revisited")
    page.get_by_label("Abstract").fill("**Strong** words")
    # the live preview shows what the page will render
    expect(page.locator("#preview-abstract_md strong")).to_have_text("Strong")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash-success")).to_have_text("Saved.")
    page.goto(live_server.url + "/bugs-2023/schedule")
    expect(page.get_by_text("Backdoor defenses, revisited")).to_be_visible()


def test_inline_validation_when_leaving_a_field(live_server, organizer_page):
    page = organizer_page
    page.goto(live_server.url + "/manage/bugs-2023/sponsors/new")
    page.get_by_label("Web address").fill("not a web address")
    page.get_by_label("Name").focus()  # leaving the field fires its change event
    expect(page.locator("#field-url .errors")).to_contain_text("Give a full web address")


def test_reorder_speakers(live_server, organizer_page):
    page = organizer_page
    page.goto(live_server.url + "/manage/bugs-2023/people/")
    names = page.locator("#item-list ol").first.locator(".record-name").all_inner_texts()
    page.get_by_role("button", name=f"Move {names[1]} up").click()
    first = page.locator("#item-list ol").first.locator(".record-name").first
    expect(first).to_have_text(names[1])  # swapped in place by htmx
    assert page.url.endswith("/manage/bugs-2023/people/")
    page.goto(live_server.url + "/bugs-2023/speakers")
    cards = page.locator("#speakers .person-name").all_inner_texts()
    people = [n.removesuffix(" (speaker)") for n in names]
    assert cards[:2] == [people[1], people[0]]


def test_delete_and_restore_a_sponsor(live_server, organizer_page):
    page = organizer_page
    page.goto(live_server.url + "/manage/bugs-2023/sponsors/")
    sponsor = page.locator(".record-name").first.inner_text()
    page.get_by_role("link", name=f"Delete {sponsor}").click()
    expect(page.get_by_role("heading", name=f"Delete “{sponsor}”?")).to_be_visible()
    page.get_by_role("button", name="Delete").click()
    expect(page.locator(".flash-success")).to_contain_text("Deleted")
    page.goto(live_server.url + "/bugs-2023/organizers")
    expect(page.locator("#sponsors")).not_to_contain_text(sponsor)
    page.goto(live_server.url + "/manage/bugs-2023/history")
    deleted = page.locator("section", has=page.get_by_role("heading", name="Recently deleted"))
    deleted.locator(".record", has_text=sponsor).get_by_role("button", name="Restore").click()
    expect(page.locator(".flash-success")).to_contain_text("Restored")
    page.goto(live_server.url + "/bugs-2023/organizers")
    expect(page.locator("#sponsors")).to_contain_text(sponsor)
