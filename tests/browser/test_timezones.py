"""In Chromium: the zone switch swaps the schedule in place; URL, history and reload follow it."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

BROWSER_ZONE = "Pacific/Auckland"


@pytest.fixture
def zoned_page(new_context):
    """A page whose browser reports BROWSER_ZONE; console errors fail the test."""
    context = new_context(timezone_id=BROWSER_ZONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.console_errors = errors
    yield page
    context.close()
    assert not errors, f"browser console errors: {errors}"


def zone_in_url(page) -> str | None:
    return parse_qs(urlsplit(page.url).query).get("tz", [None])[0]


def first_start(page) -> str:
    return page.locator("#schedule td.time time").first.get_attribute("datetime")


def test_switch_swaps_in_place_and_history_follows(live_server, zoned_page):
    page = zoned_page
    page.goto(live_server.url + "/bugs-2023/schedule")
    expect(page.locator("#schedule")).to_have_attribute("data-zone", "venue")
    assert zone_in_url(page) == "venue"  # the first view is in the URL too, for Back
    assert first_start(page) == "2023-12-15T08:55:00-06:00"
    page.evaluate("window.pageMarker = 'still here'")

    page.select_option("#tz-select", "Europe/Zurich")
    expect(page.locator("#schedule")).to_have_attribute("data-zone", "Europe/Zurich")
    assert first_start(page) == "2023-12-15T15:55:00+01:00"
    assert page.evaluate("window.pageMarker") == "still here", "the page was reloaded"
    assert zone_in_url(page) == "Europe/Zurich"
    assert "tz=Europe/Zurich" in page.url  # readable, not %2F
    expect(page.locator("#schedule .venue-time").first).to_contain_text("8:55")

    page.select_option("#tz-select", "Asia/Tokyo")
    expect(page.locator("#schedule")).to_have_attribute("data-zone", "Asia/Tokyo")
    assert first_start(page) == "2023-12-15T23:55:00+09:00"
    assert page.evaluate("window.pageMarker") == "still here"

    page.go_back()
    expect(page.locator("#schedule")).to_have_attribute("data-zone", "Europe/Zurich")
    assert first_start(page) == "2023-12-15T15:55:00+01:00"
    assert zone_in_url(page) == "Europe/Zurich"
    expect(page.locator("#tz-select")).to_have_value("Europe/Zurich")

    # Without htmx's snapshot the server is asked for the whole page (a history-restore request).
    restores = []
    page.on(
        "request",
        lambda r: (
            restores.append(r.url)
            if r.headers.get("hx-history-restore-request") == "true"
            else None
        ),
    )
    page.evaluate("sessionStorage.removeItem('htmx-history-cache')")
    page.go_back()
    expect(page.locator("#schedule")).to_have_attribute("data-zone", "venue")
    assert first_start(page) == "2023-12-15T08:55:00-06:00"
    assert restores and "tz=venue" in restores[-1]
    assert page.evaluate("window.pageMarker") == "still here"

    page.go_forward()
    expect(page.locator("#schedule")).to_have_attribute("data-zone", "Europe/Zurich")

    page.reload()
    expect(page.locator("#schedule")).to_have_attribute("data-zone", "Europe/Zurich")
    assert first_start(page) == "2023-12-15T15:55:00+01:00"
    expect(page.locator("#tz-select")).to_have_value("Europe/Zurich")
    assert page.evaluate("window.pageMarker") is None  # a real reload this time


def test_my_time_uses_the_browser_zone(live_server, zoned_page):
    page = zoned_page
    page.goto(live_server.url + "/bugs-2023/schedule")
    page.evaluate("window.pageMarker = 1")
    assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == BROWSER_ZONE
    page.get_by_role("button", name="My time").click()
    expect(page.locator("#schedule")).to_have_attribute("data-zone", BROWSER_ZONE)
    # 08:55 in New Orleans on 15 December is 03:55 the next day in Auckland (NZDT, +13:00)
    assert first_start(page) == "2023-12-16T03:55:00+13:00"
    assert zone_in_url(page) == BROWSER_ZONE
    assert page.evaluate("window.pageMarker") == 1


def test_choice_is_remembered_on_other_pages(live_server, zoned_page):
    page = zoned_page
    page.goto(live_server.url + "/bugs-2023/schedule")
    page.select_option("#tz-select", "Asia/Kolkata")
    expect(page.locator("#schedule")).to_have_attribute("data-zone", "Asia/Kolkata")
    page.goto(live_server.url + "/bugs-2023/cfp")
    expect(page.locator("#dates-list")).to_have_attribute("data-zone", "Asia/Kolkata")
    expect(page.locator("#dates-list .date-local").first).to_contain_text("GMT+05:30")
    page.goto(live_server.url + "/bugs-2023/schedule")  # no ?tz=: the cookie decides
    expect(page.locator("#schedule")).to_have_attribute("data-zone", "Asia/Kolkata")
    page.get_by_role("link", name="Venue time").click()
    expect(page.locator("#schedule")).to_have_attribute("data-zone", "venue")
    page.goto(live_server.url + "/bugs-2023/cfp")
    expect(page.locator("#dates-list")).to_have_attribute("data-zone", "venue")


def test_search_field_and_unknown_zone_message(live_server, new_context):
    page = new_context().new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(live_server.url + "/bugs-2023/schedule")
    page.fill("#tz-find", "America/Sao_Paulo")
    page.locator("form.tz-find button[type=submit]").click()
    expect(page.locator("#schedule")).to_have_attribute("data-zone", "America/Sao_Paulo")
    page.fill("#tz-find", "Mars/Olympus_Mons")
    page.locator("form.tz-find button[type=submit]").click()
    expect(page.locator("#tz-notice")).to_contain_text("Mars/Olympus_Mons")
    expect(page.locator("#schedule")).to_have_attribute("data-zone", "America/Sao_Paulo")
    assert zone_in_url(page) == "America/Sao_Paulo"  # a refused choice is not pushed
    page.select_option("#tz-select", "Europe/Zurich")
    expect(page.locator("#schedule")).to_have_attribute("data-zone", "Europe/Zurich")
    expect(page.locator("#tz-notice")).to_have_text("")
    assert not errors


def test_without_javascript_the_form_loads_a_page(live_server, new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(live_server.url + "/bugs-2023/schedule")
    expect(page.get_by_role("button", name="My time")).to_be_hidden()
    page.select_option("#tz-select", "Europe/Zurich")
    page.locator("form.tz-pick button[type=submit]").click()
    # Wait for the new document itself, not for its load event (which also waits for every
    # stylesheet and image from the test server): the form's GET names the zone in the URL.
    expect(page).to_have_url(re.compile(r"[?&]tz=Europe%2FZurich$"))
    expect(page.locator("#schedule")).to_have_attribute("data-zone", "Europe/Zurich")
    assert first_start(page) == "2023-12-15T15:55:00+01:00"


@pytest.mark.parametrize(
    "path", ["/bugs-2023/schedule?tz=Asia/Tokyo", "/bugs-2023/cfp?tz=Asia/Kolkata", "/bugs-2023/"]
)
def test_phone_layout_with_the_switch_has_no_horizontal_scroll(live_server, new_context, path):
    page = new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(live_server.url + path)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


def test_search_by_city_swaps_in_place_with_every_zone_suggested(live_server, zoned_page):
    page = zoned_page
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if "/time-zones" in r.url else None)
    page.goto(live_server.url + "/bugs-2023/schedule")
    page.evaluate("window.pageMarker = 'still here'")
    page.focus("#tz-find")  # the time-zones page is fetched once, for the suggestions
    expect(
        page.locator("datalist#tz-zones option[value='America/Argentina/Cordoba']")
    ).to_have_count(1)
    assert page.locator("datalist#tz-zones option").count() > 400
    page.fill("#tz-find", "zürich")
    page.locator("form.tz-find button[type=submit]").click()
    expect(page.locator("#schedule")).to_have_attribute("data-zone", "Europe/Zurich")
    assert zone_in_url(page) == "Europe/Zurich"
    page.fill("#tz-find", "America/Argentina/Cordoba")  # not a common zone: added to the select
    page.locator("form.tz-find button[type=submit]").click()
    expect(page.locator("#schedule")).to_have_attribute("data-zone", "America/Argentina/Cordoba")
    expect(page.locator("#tz-select")).to_have_value("America/Argentina/Cordoba")
    assert page.evaluate("window.pageMarker") == "still here"
    assert len(fetched) == 1, fetched
    # several zones match: the time-zones page lists them, each a link back in its zone
    page.fill("#tz-find", "new")
    page.locator("form.tz-find button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/bugs-2023/time-zones\?q=new$"))
    page.get_by_role("link", name=re.compile(r"^New York")).click()
    expect(page.locator("#schedule")).to_have_attribute("data-zone", "America/New_York")


def test_without_javascript_a_city_search_and_the_full_list_work(live_server, new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(live_server.url + "/bugs-2023/cfp")
    page.fill("#tz-find", "Kolkata")
    page.locator("form.tz-find button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/bugs-2023/cfp\?tz=Asia/Kolkata$"))
    expect(page.locator("#dates-list")).to_have_attribute("data-zone", "Asia/Kolkata")
    page.get_by_role("link", name="All time zones").click()
    expect(page).to_have_url(re.compile(r"/bugs-2023/time-zones\?for=cfp$"))
    page.get_by_role("link", name=re.compile(r"^Cordoba, Argentina")).click()
    expect(page.locator("#dates-list")).to_have_attribute("data-zone", "America/Argentina/Cordoba")
