"""The display zone: ?tz=, the remembered cookie, venue time, bad input, both clocks, formats."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from conftest import SQLITE_ONLY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wsapp.models import ItemKind, ScheduleItem
from wsapp.services.schedule import build_days
from wsapp.timezones.choices import COMMON
from wsapp.timezones.display import COOKIE

HX = {"HX-Request": "true"}


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def first_row(page: BeautifulSoup):
    return page.select_one("#schedule tr.item")


def test_venue_time_by_default_with_the_computed_label(client):
    page = soup(client.get("/bugs-2023/schedule"))
    assert page.select_one("#schedule")["data-zone"] == "venue"
    assert "(CST, GMT-06:00, New Orleans)" in page.select_one("th.time").get_text()
    row = first_row(page)
    assert row.select_one("td.time time")["datetime"] == "2023-12-15T08:55:00-06:00"
    assert row.select_one(".venue-time") is None  # one clock when viewing the venue's zone


def test_other_zone_shows_both_clocks_and_regroups_days(client):
    response = client.get("/bugs-2023/schedule?tz=Asia/Tokyo")
    page = soup(response)
    assert "JST, GMT+09:00, Tokyo" in page.select_one("th.time").get_text()
    captions = [c.get_text() for c in page.select("#schedule caption")]
    assert captions == ["December 15th, 2023", "December 16th, 2023"]  # grouped after conversion
    row = first_row(page)
    assert row.select_one("td.time > time").get_text() == "11:55\u202fPM"
    assert row.select_one(".venue-time time").get_text() == "8:55\u202fAM"  # same calendar day
    second_day = page.select("#schedule table")[1].select_one("tr.item")
    assert second_day.select_one("td.time > time").get_text() == "12:00\u202fAM"
    assert second_day.select_one(".venue-time").get_text(" ", strip=True) == (
        "Venue: Fri, Dec 15, 9:00\u202fAM"  # the venue's day differs, so its date is shown
    )
    # the opening remarks end after midnight in Tokyo: the end shows its day
    assert first_row(page).select_one(".end").get_text(" ", strip=True).startswith("– Sat, Dec 16")


def test_choice_is_remembered_and_venue_time_forgets_it(client):
    response = client.get("/bugs-2023/schedule?tz=Europe/Zurich")
    assert f"{COOKIE}=Europe/Zurich" in response.headers["Set-Cookie"]
    assert "HttpOnly" in response.headers["Set-Cookie"]
    assert "SameSite=Lax" in response.headers["Set-Cookie"]
    assert "Cookie" in response.headers["Vary"] and "HX-Request" in response.headers["Vary"]
    # every page of the site uses it: the other workshop, its dates, the schedule without ?tz=
    page = soup(client.get("/synthetic-2024/schedule"))
    assert page.select_one("#schedule")["data-zone"] == "Europe/Zurich"
    cfp = soup(client.get("/bugs-2023/cfp"))
    assert cfp.select_one("#dates-list")["data-zone"] == "Europe/Zurich"
    assert "CEST, GMT+02:00, Zurich" in cfp.select_one("#dates-list .date-local").get_text()
    home = soup(client.get("/bugs-2023/"))
    assert "GMT+02:00, Zurich" in home.select_one("#dates-list").get_text()
    response = client.get("/bugs-2023/schedule?tz=venue")
    assert f"{COOKIE}=;" in response.headers["Set-Cookie"]  # deleted
    assert soup(client.get("/bugs-2023/schedule")).select_one("#schedule")["data-zone"] == "venue"


def test_a_bad_remembered_zone_is_ignored_and_dropped(client):
    client.set_cookie(COOKIE, "Nowhere/Atlantis", domain="wsapp.test")
    response = client.get("/bugs-2023/schedule")
    assert response.status_code == 200
    assert soup(response).select_one("#schedule")["data-zone"] == "venue"
    assert f"{COOKIE}=;" in response.headers["Set-Cookie"]


def test_the_refused_value_is_escaped(client):
    page = client.get("/bugs-2023/schedule", query_string={"tz": "<b>x</b>"})
    fragment = client.get("/bugs-2023/schedule", query_string={"tz": "<b>x</b>"}, headers=HX)
    for response in (page, fragment):
        assert "&lt;b&gt;x&lt;/b&gt;" in response.text and "<b>x</b>" not in response.text


def test_unknown_zone_page_shows_venue_time_and_a_notice(client):
    response = client.get("/bugs-2023/schedule?tz=Mars/Olympus_Mons")
    assert response.status_code == 200
    page = soup(response)
    assert "Mars/Olympus_Mons" in page.select_one("#tz-notice").get_text()
    assert "venue's time zone" in page.select_one("#tz-notice").get_text()
    assert page.select_one("#schedule")["data-zone"] == "venue"
    assert "Set-Cookie" not in response.headers or COOKIE not in response.headers["Set-Cookie"]


@pytest.mark.parametrize("path", ["/bugs-2023/schedule", "/bugs-2023/cfp", "/bugs-2023/now"])
def test_unknown_zone_fragment_is_a_400_with_a_message(client, path):
    response = client.get(path, query_string={"tz": "Mars/Olympus_Mons"}, headers=HX)
    assert response.status_code == 400
    assert "Mars/Olympus_Mons" in response.text and "not a time zone" in response.text
    assert response.headers["HX-Retarget"] == "#tz-notice"
    assert response.headers["HX-Reswap"] == "innerHTML"
    assert response.headers["HX-Push-Url"] == "false"
    assert "<html" not in response.text


@SQLITE_ONLY  # the zone comes from the query and the cookie; the database plays no part
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=st.text(max_size=120), fragment=st.booleans(), cookie=st.text(max_size=40))
def test_no_zone_value_is_a_server_error(client, value, fragment, cookie):
    client.set_cookie(
        COOKIE, cookie.encode("utf-8", "ignore").decode("latin-1"), domain="wsapp.test"
    )
    for path in ("/bugs-2023/schedule", "/bugs-2023/cfp", "/bugs-2023/", "/bugs-2023/now"):
        response = client.get(path, query_string={"tz": value}, headers=HX if fragment else {})
        assert response.status_code in (200, 400), (path, value, response.status_code)


def test_fragment_is_the_schedule_alone(client):
    for path in ("/bugs-2023/schedule", "/synthetic-2024/schedule"):
        for zone in ("venue", "Asia/Tokyo", "America/Argentina/Buenos_Aires"):
            page = client.get(path, query_string={"tz": zone})
            fragment = client.get(path, query_string={"tz": zone}, headers=HX)
            assert fragment.status_code == 200 and 'id="schedule"' in fragment.text[:100]
            assert fragment.text.strip() in page.text  # the page's own region, nothing more
            assert "<html" not in fragment.text and 'id="tz-select"' not in fragment.text
            assert len(page.data) - len(fragment.data) > 4000, (path, zone)  # head, switch


def test_the_page_offers_common_zones_and_the_viewers_own_not_every_zone(client):
    page = soup(client.get("/bugs-2023/schedule"))
    select = page.select_one("#tz-select")
    values = [o["value"] for o in select.select("option")]
    assert values[0] == "venue"
    assert set(values[1:]) == set(COMMON) and len(values) == len(COMMON) + 1
    assert [g["label"] for g in select.select("optgroup")] == ["Common time zones"]
    assert any(o.get_text().startswith("Zurich (GMT+0") for o in select.select("option"))
    assert page.select_one("datalist") is None  # every zone is on the time-zones page
    assert page.select_one("a.tz-all")["href"] == "/bugs-2023/time-zones"
    # a zone outside the common ones, when it is the viewer's, is offered and selected
    page = soup(client.get("/bugs-2023/schedule?tz=America/Argentina/Cordoba"))
    chosen = page.select_one("#tz-select option[selected]")
    assert chosen["value"] == "America/Argentina/Cordoba"
    assert "Cordoba" in chosen.get_text()
    # the call for papers' switch leads to the same page, whose links go back to it
    page = soup(client.get("/bugs-2023/cfp"))
    assert page.select_one("a.tz-all")["href"] == "/bugs-2023/time-zones?for=cfp"


def test_time_zones_page_lists_every_zone_grouped_with_offsets(client):
    from zoneinfo import available_timezones

    response = client.get("/bugs-2023/time-zones")
    assert response.status_code == 200
    page = soup(response)
    links = page.select("ul.tz-list a[data-tz]")
    assert {a["data-tz"] for a in links} == available_timezones() - {"localtime", "Factory"}
    headings = [h.get_text() for h in page.select("section.tz-group h2")]
    assert headings[:3] == ["Africa", "Americas", "Antarctica"]
    zurich = next(a for a in links if a["data-tz"] == "Europe/Zurich")
    assert zurich.get_text().startswith("Zurich (GMT+0")
    assert zurich["href"] == "/bugs-2023/schedule?tz=Europe/Zurich"
    assert client.get("/bugs-2023/time-zones").headers["X-Cache"] == "hit"  # a cached page
    cfp = soup(client.get("/bugs-2023/time-zones?for=cfp"))
    assert cfp.select_one("a[data-tz='Asia/Tokyo']")["href"] == "/bugs-2023/cfp?tz=Asia/Tokyo"


@pytest.mark.parametrize(
    ("query", "zone"),
    [
        ("zurich", "Europe/Zurich"),
        ("São Paulo", "America/Sao_Paulo"),
        ("NEW YORK", "America/New_York"),
        ("Asia/Kolkata", "Asia/Kolkata"),
        ("buenos_aires", "America/Argentina/Buenos_Aires"),
    ],
)
def test_searching_a_city_without_javascript_goes_to_its_zone(client, query, zone):
    response = client.get("/bugs-2023/time-zones", query_string={"q": query})
    assert response.status_code == 303
    assert response.location == f"/bugs-2023/schedule?tz={zone}"
    response = client.get("/bugs-2023/time-zones", query_string={"q": query, "for": "cfp"})
    assert response.location == f"/bugs-2023/cfp?tz={zone}"


def test_a_search_with_several_or_no_zones_lists_them(client):
    page = soup(client.get("/bugs-2023/time-zones?q=new"))
    found = {a["data-tz"] for a in page.select("ul.tz-list a")}
    assert {"America/New_York", "America/North_Dakota/New_Salem"} <= found
    assert "Europe/Zurich" not in found
    assert page.select_one("#tz-query")["value"] == "new"
    empty = client.get("/bugs-2023/time-zones", query_string={"q": "<Atlantis>"})
    assert empty.status_code == 200
    assert "No time zone matches “&lt;Atlantis&gt;”." in empty.text
    assert client.get("/bugs-2023/time-zones?for=nowhere").status_code == 200


def test_babel_writes_the_locale_clock(client):
    start = dt.datetime(2023, 12, 15, 14, 55, tzinfo=dt.UTC)
    item = ScheduleItem(
        id=1, start_dt=start, end_dt=start + dt.timedelta(minutes=5), kind=ItemKind.OPENING, block=1
    )
    assert build_days([item], "Europe/Zurich", "en")[0].blocks[0][0].start_text == "3:55\u202fPM"
    assert build_days([item], "Europe/Zurich", "de")[0].blocks[0][0].start_text == "15:55"
    assert build_days([item], "Europe/Zurich", "de")[0].heading == "15. Dezember 2023"
    # the page formats with the request's locale
    page = soup(
        client.get("/bugs-2023/schedule?tz=Europe/Zurich", headers={"Accept-Language": "fr"})
    )
    assert first_row(page).select_one("td.time > time").get_text() == "15:55"
