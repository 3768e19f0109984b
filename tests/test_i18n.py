"""The interface language: ?lang=, the cookie, Accept-Language, the workshop's default."""

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from wsapp.extensions import db
from wsapp.i18n import language
from wsapp.models import Workshop


def page(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.text, "html.parser")


def heading(client, path="/bugs-2023/schedule", **headers) -> tuple[str, str]:
    html = page(client.get(path, headers=headers))
    return html.html["lang"], html.h1.get_text()


def set_default(app, locale: str) -> None:
    with app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.slug == "bugs-2023"))
        workshop.default_locale = locale
        db.session.commit()


@pytest.mark.parametrize(
    ("value", "code"),
    [("fr", "fr"), ("FR", "fr"), ("fr-CA", "fr"), ("vi-VN", "vi"), ("zh", "zh"),
     ("zh-Hans", "zh"), ("zh-CN", "zh"), ("zh_Hans", "zh"), ("zh-TW", "zh"), ("en-GB", "en"),
     ("de", None), ("xx", None), ("", None), ("../fr", None), ("fr" * 40, None)],
)  # fmt: skip
def test_language_codes(value, code):
    found = language(value)
    assert (found.code if found else None) == code


def test_query_sets_cookie_which_later_pages_follow(client):
    response = client.get("/bugs-2023/schedule?lang=fr")
    assert "lang=fr" in response.headers["Set-Cookie"]
    assert "Accept-Language" in response.headers["Vary"] and "Cookie" in response.headers["Vary"]
    speakers = "Intervenants et participants aux tables rondes"
    assert heading(client, "/bugs-2023/speakers") == ("fr", speakers)
    # the cookie beats the browser's language, ?lang= beats the cookie
    assert heading(client, **{"Accept-Language": "vi"}) == ("fr", "Programme")
    assert heading(client, "/bugs-2023/schedule?lang=zh") == ("zh-Hans", "日程")


def test_accept_language_then_workshop_default(app, client):
    vietnamese = {"Accept-Language": "vi-VN,vi;q=0.9,en;q=0.5"}
    assert heading(client, **vietnamese) == ("vi", "Lịch trình")
    assert heading(client, **{"Accept-Language": "de-CH, zh-CN;q=0.8"}) == ("zh-Hans", "日程")
    assert heading(client, **{"Accept-Language": "de"}) == ("en", "Schedule")
    set_default(app, "fr")
    assert heading(client, **{"Accept-Language": "de"}) == ("fr", "Programme")
    assert heading(client) == ("fr", "Programme")  # no Accept-Language at all
    assert heading(client, **{"Accept-Language": "en"}) == ("en", "Schedule")


def test_unknown_language_is_said_and_not_remembered(client):
    response = client.get("/bugs-2023/schedule?lang=klingon", headers={"Accept-Language": "fr"})
    assert "Set-Cookie" not in response.headers or "lang=" not in response.headers["Set-Cookie"]
    notice = page(response).select_one(".lang-notice")
    assert "«\u00a0klingon\u00a0»" in notice.get_text() and "Français" in notice.get_text()


def test_cached_page_still_sets_the_cookie(client):
    """A page served from the page cache goes through the same after-request hooks."""
    first = client.get("/bugs-2023/?lang=vi")
    other = client.application.test_client()
    second = other.get("/bugs-2023/?lang=vi")
    assert second.headers.get("X-Cache") == "hit" and first.text.count("Lịch trình") >= 1
    assert "lang=vi" in second.headers["Set-Cookie"]


def test_switcher_is_a_get_form_that_keeps_other_parameters(client):
    html = page(client.get("/bugs-2023/schedule?tz=Asia/Tokyo&lang=vi"))
    form = html.select_one("form.lang-switch")
    assert form["method"] == "get" and form["action"] == "/bugs-2023/schedule"
    assert form["data-hx-target"] == "#page" and form["data-hx-select"] == "#page"
    assert [(i["name"], i["value"]) for i in form.select("input[type=hidden]")] == [
        ("tz", "Asia/Tokyo")
    ]
    options = {o["value"]: o for o in form.select("select[name=lang] option")}
    assert list(options) == ["en", "fr", "vi", "zh"]
    assert options["vi"].has_attr("selected") and options["zh"]["lang"] == "zh-Hans"
    assert html.select_one("#page")["data-lang"] == "vi"


def test_switch_request_gets_the_whole_page(client):
    """htmx aims the switch at #page: the schedule then answers with the page, not its block."""
    headers = {"HX-Request": "true", "HX-Target": "page"}
    response = client.get("/bugs-2023/schedule?lang=fr", headers=headers)
    assert response.text.lstrip().startswith("<!doctype html>")
    assert 'id="page"' in response.text and "HX-Target" in response.headers["Vary"]
    fragment = client.get("/bugs-2023/schedule?lang=fr", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text


@pytest.mark.parametrize(
    ("code", "day", "clock", "countdown"),
    [("en", "December 15th, 2023", "8:55\u202fAM", "closes in 3 days, 23 hours"),
     ("fr", "15 décembre 2023", "08:55", "clôture dans 3\u00a0jours et 23\u00a0heures"),
     ("vi", "15 tháng 12, 2023", "08:55", "đóng sau 3 ngày, 23 giờ"),
     ("zh", "2023年12月15日", "08:55", "3天23小时后截止")],
)  # fmt: skip
def test_dates_times_and_countdowns_follow_the_language(make_app, code, day, clock, countdown):
    client = make_app(NOW="2023-10-03T12:00:00+00:00").test_client()
    html = page(client.get(f"/bugs-2023/schedule?lang={code}"))
    assert html.select_one("table.schedule caption").get_text().startswith(day)
    assert html.select_one("td.time time").get_text() == clock
    cfp = page(client.get(f"/bugs-2023/cfp?lang={code}"))
    assert cfp.select_one(".countdown").get_text().strip() == countdown


def test_content_stays_as_written(client):
    html = page(client.get("/bugs-2023/schedule?lang=zh"))
    text = html.select_one("#schedule").get_text()
    assert "Recent Advances in Backdoor Defense and Benchmark" in text  # a talk title
    assert "特邀报告" in text  # the kind label is interface: translated


def test_organizers_choose_the_workshop_default(client, login_as):
    from formdata import get_form

    login_as("bugs")
    data = get_form(client, "/manage/bugs-2023/settings")
    assert data["default_locale"] == "en"
    data["default_locale"] = "vi"
    assert client.post("/manage/bugs-2023/settings", data=data).status_code == 303
    client.post("/logout", data={"csrf_token": data["csrf_token"]})
    assert heading(client, **{"Accept-Language": "de"}) == ("vi", "Lịch trình")
    data["default_locale"] = "tlh"
    refused = client.application.test_client()
    login_as("bugs", on=refused)
    form = get_form(refused, "/manage/bugs-2023/settings")
    response = refused.post("/manage/bugs-2023/settings", data={**form, "default_locale": "tlh"})
    assert response.status_code == 422 and "Not a valid choice." in response.text


def test_organizers_text_is_marked_with_its_language(client):
    """Talk titles keep the workshop's language (lang="en") inside a French page."""
    french = page(client.get("/bugs-2023/schedule?lang=fr"))
    title = french.select_one("td.session .title")
    assert french.html["lang"] == "fr" and title["lang"] == "en"
    assert not french.select_one("td.session .label").has_attr("lang")  # "Conférence invitée 1"
    english = page(client.get("/bugs-2023/schedule?lang=en"))
    assert not english.select_one("td.session .title").has_attr("lang")  # the page's own language


def test_the_catalog_kept_for_a_request_follows_force_locale(app):
    """Templates read the request's catalog once (wsapp.i18n.translations); mail composed in a
    request in the recipient's language (force_locale) must still switch it, and back."""
    from flask import render_template_string
    from flask_babel import force_locale

    from wsapp.i18n import gettext

    template = "{{ _('Vote') }}|{{ ngettext('%(num)d day', '%(num)d days', 2) }}"
    with app.test_request_context("/?lang=fr"):
        assert render_template_string(template).startswith("Voter|")
        with force_locale("vi"):
            assert gettext("Vote") != "Voter"
            assert render_template_string(template).split("|")[0] == gettext("Vote")
        with force_locale("en"):
            assert render_template_string(template) == "Vote|2 days"
        assert render_template_string(template).startswith("Voter|")
        assert gettext("Vote") == "Voter"
