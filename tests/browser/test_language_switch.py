"""In Chromium: the language switch swaps the page in place (htmx), and works without JavaScript."""

import re
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_switching_language_on_the_schedule_needs_no_page_load(live_server, page):
    page.goto(live_server.url + "/bugs-2023/schedule")
    expect(page.locator("h1")).to_have_text("Schedule")
    caption = page.locator("table.schedule caption").first
    expect(caption).to_contain_text("December 15th, 2023")
    first_time = page.locator("td.time > time").first
    expect(first_time).to_have_text("8:55\u202fAM")
    page.evaluate("window.__sameDocument = 'yes'")  # gone if the browser loads a new page

    page.select_option("#lang-select", "fr")
    page.get_by_role("button", name="Change language").click()

    expect(page.locator("h1")).to_have_text("Programme")
    expect(caption).to_contain_text("15 décembre 2023")
    expect(first_time).to_have_text("08:55")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("link", name="Intervenants", exact=True)).to_be_visible()
    assert page.evaluate("window.__sameDocument") == "yes"
    assert page.url.endswith("/bugs-2023/schedule?lang=fr")  # shareable, in the address bar
    expect(page).to_have_title(re.compile("^Programme · "))

    # by keyboard: the choice, then Tab to the button and Enter
    page.focus("#lang-select")
    page.select_option("#lang-select", "zh")
    page.keyboard.press("Tab")
    expect(
        page.get_by_role("button", name="切换语言").or_(
            page.get_by_role("button", name="Changer de langue")
        )
    ).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("日程")
    expect(caption).to_contain_text("2023年12月15日")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    assert page.evaluate("window.__sameDocument") == "yes"

    # the cookie remembers the choice on the next page, loaded the ordinary way
    page.get_by_role("link", name="演讲嘉宾", exact=True).click()
    expect(page.locator("h1")).to_have_text("演讲嘉宾与讨论嘉宾")
    assert page.evaluate("window.__sameDocument") is None


def test_switch_works_without_javascript(live_server, new_context):
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/bugs-2023/schedule?tz=Asia/Tokyo")
    page.select_option("#lang-select", "vi")
    page.get_by_role("button", name="Change language").click()
    expect(page.locator("h1")).to_have_text("Lịch trình")
    assert unquote(page.url).endswith("/bugs-2023/schedule?tz=Asia/Tokyo&lang=vi")  # zone kept
    expect(page.locator(".zone-note")).to_contain_text("Tokyo")
