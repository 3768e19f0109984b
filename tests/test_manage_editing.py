"""Editing through the organizer area: forms, times in the venue's zone, order, drafts."""

import datetime as dt

import pytest
from accounts import csrf_token
from bs4 import BeautifulSoup
from formdata import get_form
from sqlalchemy import select

from wsapp.extensions import db
from wsapp.models import (
    CallForPapers,
    Change,
    ImportantDate,
    Role,
    RoleKind,
    ScheduleItem,
    Sponsor,
    Workshop,
)
from wsapp.services.richtext import render_markdown

UTC = dt.UTC


def _one(app, query):
    with app.app_context():
        return db.session.scalar(query)


def _item(app, title="Recent Advances in Backdoor Defense and Benchmark") -> int:
    return _one(app, select(ScheduleItem.id).where(ScheduleItem.title == title))


def test_create_sponsor_shows_on_site_and_in_history(app, login_as):
    client = login_as("bugs")
    data = get_form(client, "/manage/bugs-2023/sponsors/new")
    data.update(name="Acme Research", url="https://acme.example/")
    response = client.post("/manage/bugs-2023/sponsors/new", data=data)
    assert response.status_code == 303
    assert "Acme Research" in client.get("/bugs-2023/organizers").text
    change = _one(app, select(Change).where(Change.entity == "sponsor").order_by(Change.id.desc()))
    assert change.action == "create" and change.after["name"] == "Acme Research"
    assert change.user_id is not None and change.workshop_id is not None


def test_invalid_input_shows_errors_beside_fields_and_changes_nothing(app, login_as):
    client = login_as("bugs")
    sponsor_id = _one(app, select(Sponsor.id).join(Workshop).where(Workshop.slug == "bugs-2023"))
    url = f"/manage/bugs-2023/sponsors/{sponsor_id}"
    data = get_form(client, url)
    before = data["name"]
    data.update(name="", url="javascript:alert(1)")
    response = client.post(url, data=data)
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select_one("#field-url .errors").text.strip().startswith("Give a full web address")
    assert soup.select_one("#field-name .errors")
    assert soup.select_one("#url")["aria-invalid"] == "true"
    assert _one(app, select(Sponsor.name).where(Sponsor.id == sponsor_id)) == before


def test_inline_validation_returns_the_field_fragment(app, login_as):
    client = login_as("bugs")
    data = get_form(client, "/manage/bugs-2023/sponsors/new")
    data.update(name="X", url="not a url", _field="url")
    response = client.post(
        "/manage/bugs-2023/sponsors/validate", data=data, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div class="field')
    assert 'id="field-url"' in response.text and "Give a full web address" in response.text
    assert "<html" not in response.text
    data.update(url="https://ok.example/")
    response = client.post("/manage/bugs-2023/sponsors/validate", data=data)
    assert "errors" not in response.text
    assert _one(app, select(Sponsor.id).where(Sponsor.name == "X")) is None


def test_markdown_preview_is_the_public_rendering(login_as):
    client = login_as("bugs")
    text = "**Bold** <script>alert(1)</script> [x](javascript:alert(1))\n\n- a\n- b"
    response = client.post(
        "/manage/bugs-2023/preview",
        data={"_field": "body_md", "body_md": text, "csrf_token": csrf_token(client, "/manage/")},
    )
    assert response.status_code == 200
    assert response.text == str(render_markdown(text))
    assert "<script" not in response.text and 'href="javascript' not in response.text


def test_schedule_times_are_typed_in_venue_time(app, login_as):
    client = login_as("bugs")
    item_id = _item(app)
    url = f"/manage/bugs-2023/schedule/{item_id}"
    data = get_form(client, url)
    assert data["start"].startswith("2023-12-15T")  # shown in Chicago time
    data.update(start="2023-12-15T10:00", end="2023-12-15T10:30", title="Edited title")
    assert client.post(url, data=data).status_code == 303
    with app.app_context():
        item = db.session.get(ScheduleItem, item_id)
        assert item.start_dt == dt.datetime(2023, 12, 15, 16, 0, tzinfo=UTC)  # CST is UTC-6
        assert item.end_dt == dt.datetime(2023, 12, 15, 16, 30, tzinfo=UTC)
    assert "Edited title" in client.get("/bugs-2023/schedule").text


@pytest.mark.parametrize(
    ("start", "fold", "expected"),
    [
        ("2024-03-10T01:59", "", dt.datetime(2024, 3, 10, 7, 59, tzinfo=UTC)),  # last CST minute
        ("2024-03-10T03:00", "", dt.datetime(2024, 3, 10, 8, 0, tzinfo=UTC)),  # first CDT minute
        ("2024-11-03T01:30", "0", dt.datetime(2024, 11, 3, 6, 30, tzinfo=UTC)),  # first 1:30
        ("2024-11-03T01:30", "1", dt.datetime(2024, 11, 3, 7, 30, tzinfo=UTC)),  # second 1:30
    ],
)
def test_schedule_dst_edges(app, login_as, start, fold, expected):
    client = login_as("bugs")
    url = f"/manage/bugs-2023/schedule/{_item(app)}"
    data = get_form(client, url)
    data.update(start=start, end=start, fold=fold)
    response = client.post(url, data=data)
    assert response.status_code == 303, response.text[:3000]
    assert _one(app, select(ScheduleItem.start_dt).where(ScheduleItem.id == _item(app))) == expected


def test_schedule_refuses_skipped_and_asks_about_repeated_times(app, login_as):
    client = login_as("bugs")
    url = f"/manage/bugs-2023/schedule/{_item(app)}"
    data = get_form(client, url)
    data.update(start="2024-03-10T02:30", end="2024-03-10T03:30")
    response = client.post(url, data=data)
    assert response.status_code == 422
    assert "does not exist in America/Chicago" in response.text
    data.update(start="2024-11-03T01:30", end="2024-11-03T02:30")
    response = client.post(url, data=data)
    assert response.status_code == 422 and "happens twice" in response.text
    assert 'name="fold"' in response.text  # the choice appears only when needed
    assert 'name="fold"' not in client.get(url).text
    data.update(start="2023-12-15T11:00", end="2023-12-15T10:00")
    response = client.post(url, data=data)
    assert "The end cannot come before the start." in response.text
    data.update(start="31/12/2023", end="2023-12-15T10:00")
    assert "Give a date and time" in client.post(url, data=data).text


def _speakers(app) -> list[str]:
    with app.app_context():
        return [
            r.person.name
            for r in db.session.scalars(
                select(Role)
                .join(Workshop)
                .where(Workshop.slug == "bugs-2023", Role.kind == RoleKind.SPEAKER)
                .order_by(Role.sort_order, Role.id)
            )
        ]


def test_reorder_speakers_with_htmx_and_without(app, login_as):
    client = login_as("bugs")
    names = _speakers(app)
    second = _one(
        app,
        select(Role.id)
        .join(Role.person)
        .where(Role.kind == RoleKind.SPEAKER, Role.person.has(name=names[1])),
    )
    token = csrf_token(client, "/manage/")
    url = f"/manage/bugs-2023/people/{second}/move"
    response = client.post(
        url, data={"csrf_token": token, "direction": "up"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="item-list"')
    assert _speakers(app)[:2] == [names[1], names[0]]
    public = client.get("/bugs-2023/speakers").text
    assert public.index(names[1]) < public.index(names[0])
    response = client.post(url, data={"csrf_token": token, "direction": "down"})
    assert response.status_code == 303
    assert "/manage/bugs-2023/people/" in response.headers["Location"]
    assert _speakers(app)[:2] == names[:2]
    assert client.post(url, data={"csrf_token": token, "direction": "sideways"}).status_code == 400


def test_moving_a_schedule_item_swaps_time_slots(app, login_as):
    client = login_as("bugs")
    with app.app_context():
        items = db.session.scalars(
            select(ScheduleItem)
            .join(Workshop)
            .where(Workshop.slug == "bugs-2023")
            .order_by(ScheduleItem.start_dt)
        ).all()
        first, second = items[1], items[2]
        slots = (first.start_dt, first.end_dt, second.start_dt, second.end_dt)
        ids = first.id, second.id
    token = csrf_token(client, "/manage/")
    client.post(
        f"/manage/bugs-2023/schedule/{ids[1]}/move", data={"csrf_token": token, "direction": "up"}
    )
    with app.app_context():
        a, b = db.session.get(ScheduleItem, ids[0]), db.session.get(ScheduleItem, ids[1])
        assert b.start_dt == slots[0] and b.end_dt - b.start_dt == slots[3] - slots[2]
        assert a.end_dt - a.start_dt == slots[1] - slots[0]
        assert a.start_dt == b.end_dt + (slots[2] - slots[1])


def test_moving_a_deadline_keeps_the_earlier_one(app, login_as):
    client = login_as("bugs")
    date_id = _one(
        app,
        select(ImportantDate.id)
        .join(Workshop)
        .where(Workshop.slug == "bugs-2023", ImportantDate.label.like("Camera%")),
    )
    url = f"/manage/bugs-2023/dates/{date_id}"
    data = get_form(client, url)
    old = data["due"]
    data.update(due="2023-11-01T23:59")
    response = client.post(url, data=data)
    errors = BeautifulSoup(response.text, "html.parser").select(".errors")
    assert response.status_code == 303, errors
    with app.app_context():
        date = db.session.get(ImportantDate, date_id)
        assert date.due_dt == dt.datetime(2023, 11, 2, 11, 59, tzinfo=UTC)  # AoE is UTC-12
        assert (
            date.earlier[-1]
            .due_dt.astimezone(dt.timezone(dt.timedelta(hours=-12)))
            .strftime("%Y-%m-%dT%H:%M")
            == old
        )
    html = client.get("/bugs-2023/cfp").text
    assert "November 1st, 2023" in html and "<s>" in html
    data = get_form(client, url)
    data.update(due="", due_date="")
    assert "Give either a date and time or a date alone" in client.post(url, data=data).text


def test_cfp_topics_and_criteria(app, login_as):
    client = login_as("bugs")
    data = get_form(client, "/manage/bugs-2023/cfp")
    assert "\n  " in data["topics"]  # nested topics are shown indented
    data.update(
        topics="Attacks\n  Poisoning\n    Clean-label\nDefenses",
        review_criteria="Soundness\n\nNovelty\n",
    )
    assert client.post("/manage/bugs-2023/cfp", data=data).status_code == 303
    with app.app_context():
        cfp = db.session.scalar(
            select(CallForPapers).join(Workshop).where(Workshop.slug == "bugs-2023")
        )
        assert cfp.topics == [
            {
                "text": "Attacks",
                "children": [
                    {"text": "Poisoning", "children": [{"text": "Clean-label", "children": []}]}
                ],
            },
            {"text": "Defenses", "children": []},
        ]
        assert cfp.review_criteria == ["Soundness", "Novelty"]
    data = get_form(client, "/manage/bugs-2023/cfp")
    data.update(topics="Attacks\n   Odd indent")
    response = client.post("/manage/bugs-2023/cfp", data=data)
    assert response.status_code == 422 and "two spaces per level" in response.text
    data.update(topics="  Starts indented")
    assert "deeper than the line above" in client.post("/manage/bugs-2023/cfp", data=data).text


def test_people_create_reuse_and_duplicate(app, login_as):
    client = login_as("bugs")
    data = get_form(client, "/manage/bugs-2023/people/new")
    data.update(
        person_id="0",
        name="Ada Lovelace",
        homepage_url="https://ada.example/",
        kind="panelist",
        position="Countess",
        affiliation="Analytical Engines",
    )
    assert client.post("/manage/bugs-2023/people/new", data=data).status_code == 303
    assert "Ada Lovelace" in client.get("/bugs-2023/speakers").text
    with app.app_context():
        role = db.session.scalar(
            select(Role).join(Role.person).where(Role.person.has(name="Ada Lovelace"))
        )
        person_id = role.person_id
        assert role.person.key == "ada-lovelace"
    data.update(person_id=str(person_id), name="", kind="moderator")
    assert client.post("/manage/bugs-2023/people/new", data=data).status_code == 303
    response = client.post("/manage/bugs-2023/people/new", data=data)
    assert response.status_code == 422 and "already has this role" in response.text
    data.update(person_id="0", name="")
    assert "Give the new person" in client.post("/manage/bugs-2023/people/new", data=data).text


def test_delete_asks_first(app, login_as):
    client = login_as("bugs")
    sponsor_id = _one(app, select(Sponsor.id).join(Workshop).where(Workshop.slug == "bugs-2023"))
    page = client.get(f"/manage/bugs-2023/sponsors/{sponsor_id}/delete")
    assert page.status_code == 200 and "Delete “" in page.text
    assert _one(app, select(Sponsor.id).where(Sponsor.id == sponsor_id)) == sponsor_id
    token = csrf_token(client, "/manage/")
    client.post(f"/manage/bugs-2023/sponsors/{sponsor_id}/delete", data={"csrf_token": token})
    assert _one(app, select(Sponsor.id).where(Sponsor.id == sponsor_id)) is None


def test_draft_is_previewed_by_organizers_only(app, client, login_as):
    with app.app_context():
        db.session.scalar(select(Workshop).where(Workshop.slug == "bugs-2023")).is_published = False
        db.session.commit()
    assert client.get("/bugs-2023/").status_code == 404
    assert client.get("/bugs-2023/schedule").status_code == 404
    organizer = login_as("bugs", on=app.test_client())
    page = organizer.get("/bugs-2023/schedule")
    assert page.status_code == 200 and "Draft — not public" in page.text
    other = login_as("synthetic", on=app.test_client())
    assert other.get("/bugs-2023/").status_code == 404
    admin = login_as("admin", on=app.test_client())
    assert "Draft — not public" in admin.get("/bugs-2023/").text
    assert "Draft — not public" not in organizer.get("/synthetic-2024/").text


def test_publish_toggle_and_admin_feature(app, login_as):
    client = login_as("bugs")
    data = get_form(client, "/manage/bugs-2023/settings")
    data.pop("is_published", None)
    assert client.post("/manage/bugs-2023/settings", data=data).status_code == 303
    assert app.test_client().get("/bugs-2023/").status_code == 404
    admin = login_as("admin", on=app.test_client())
    data = get_form(admin, "/manage/synthetic-2024/settings")
    data.update(is_featured="y", is_published="y")
    assert admin.post("/manage/synthetic-2024/settings", data=data).status_code == 303
    with app.app_context():
        featured = db.session.scalars(select(Workshop.slug).where(Workshop.is_featured)).all()
    assert featured == ["synthetic-2024"]


def test_admin_creates_a_draft_workshop(app, login_as):
    admin = login_as("admin")
    data = get_form(admin, "/manage/new")
    data.update(slug="bugs-2025", title="BUGS 2025", timezone="Europe/Vienna")
    assert admin.post("/manage/new", data=data).status_code == 303
    assert app.test_client().get("/bugs-2025/").status_code == 404
    assert admin.get("/bugs-2025/").status_code == 200
    data.update(timezone="Mars/Olympus")
    response = admin.post("/manage/new", data=data)
    assert response.status_code == 422 and "taken" in response.text and "IANA" in response.text
