"""A workshop series and the next edition made from one: what is copied, what is left, and
that nothing is shared by accident (run on SQLite and, when configured, on PostgreSQL)."""

import re

import pytest
from accounts import csrf_token
from bs4 import BeautifulSoup
from formdata import get_form
from sqlalchemy import func, select

from wsapp.extensions import db
from wsapp.models import (
    AwardCategory,
    CallForPapers,
    Change,
    ImportantDate,
    Institution,
    NewsPost,
    Paper,
    Role,
    RoleKind,
    ScheduleItem,
    Series,
    Sponsor,
    Workshop,
    WorkshopOrganizer,
)
from wsapp.services.content import site
from wsapp.services.content.values import ContentError

NEXT = {"slug": "bugs-2024", "year": "2024"}


def _workshop(slug: str) -> Workshop:
    return db.session.scalar(select(Workshop).where(Workshop.slug == slug))


def _start_next(client, data=NEXT):
    token = csrf_token(client, "/manage/bugs-2023/")
    return client.post("/manage/bugs-2023/next-edition", data={**data, "csrf_token": token})


def _state(model, workshop: Workshop, skip=("id", "workshop_id", "version")) -> list[dict]:
    """The workshop's records of one kind as plain values, without identity and owner."""
    rows = db.session.scalars(
        select(model).where(model.workshop_id == workshop.id).order_by(model.id)
    ).all()
    keys = [c.key for c in model.__table__.columns if c.key not in skip]
    return [{k: getattr(row, k) for k in keys} for row in rows]


def _old_edition() -> dict:
    """Everything bugs-2023 holds, as its content file and its access list say."""
    workshop = _workshop("bugs-2023")
    data = site._dump_workshop(workshop)
    members = db.session.scalars(
        select(WorkshopOrganizer.user_id).where(WorkshopOrganizer.workshop_id == workshop.id)
    ).all()
    return {"file": data, "members": sorted(members), "version": workshop.content_version}


def test_one_action_makes_an_unpublished_next_edition(app, login_as, users):
    organizer = login_as("bugs")
    response = _start_next(organizer)
    assert response.status_code == 303, response.text[:2000]
    assert response.headers["Location"].endswith("/manage/bugs-2024/")
    page = organizer.get("/manage/bugs-2024/").text
    assert "next edition of bugs-2023" in page
    assert "Copied:" in page and "organizers (10)" in page and "sponsors (2)" in page
    assert "Left with bugs-2023:" in page and "schedule" in page
    assert "Dates a year on, to confirm (not saved)" in page and "2024-12-15" in page
    # the old edition's organizers manage the new one
    assert organizer.get("/manage/bugs-2024/settings").status_code == 200
    with app.app_context():
        old, new = _workshop("bugs-2023"), _workshop("bugs-2024")
        assert not new.is_published and not new.is_featured
        assert (new.title, new.short_name, new.tagline_md, new.description_md) == (
            old.title,
            old.short_name,
            old.tagline_md,
            old.description_md,
        )
        assert (new.timezone, new.default_locale, new.conference_year) == (
            old.timezone,
            old.default_locale,
            2024,
        )
        assert new.series_id == old.series_id and new.series.slug == "bugs"
        assert new.start_date is None and new.end_date is None
        # the call for papers, organizers, sponsors and institutions match
        for model in (CallForPapers, Sponsor, Institution):
            assert _state(model, new) == _state(model, old) != []
        organizers = [r for r in _state(Role, old) if r["kind"] == RoleKind.ORGANIZER]
        assert _state(Role, new) == organizers
        # award categories without their windows
        categories = _state(AwardCategory, new)
        assert [c["slug"] for c in categories] == [c["slug"] for c in _state(AwardCategory, old)]
        assert all(c["opens_dt"] is None and c["closes_dt"] is None for c in categories)
        assert not any(c["results_published"] for c in categories)
        # what belongs to one year stays there
        for model in (ScheduleItem, Paper, NewsPost, ImportantDate):
            assert _state(model, new) == [] and _state(model, old) != []
        # one entry in the new edition's history
        changes = db.session.scalars(select(Change).where(Change.workshop_id == new.id)).all()
        assert [(c.entity, c.action) for c in changes] == [("workshop", "create")]
        assert changes[0].summary.startswith("Next edition of bugs-2023")
        assert changes[0].user_id == users["bugs"]
        # the old edition's history says only that it joined the new series
        changes = db.session.scalars(select(Change).where(Change.workshop_id == old.id)).all()
        assert [(c.entity, c.action, c.summary) for c in changes] == [
            ("workshop", "update", "Joined the series Backdoors in Deep Learning")
        ]
    history = organizer.get("/manage/bugs-2024/history")
    assert history.status_code == 200 and "Next edition of bugs-2023" in history.text


def test_editing_the_new_edition_leaves_the_old_one_untouched(app, login_as):
    """Its call for papers, an organizer's role and a sponsor are its own records."""
    organizer = login_as("bugs")
    with app.app_context():
        original = _old_edition()
    assert _start_next(organizer).status_code == 303
    with app.app_context():
        before = _old_edition()  # the copy changed nothing of the old edition but its series
        assert {**before["file"], "series": None} == original["file"]
        old, new = _workshop("bugs-2023"), _workshop("bugs-2024")
        for model in (CallForPapers, Role, Sponsor, Institution, AwardCategory):
            old_ids = set(db.session.scalars(select(model.id).where(model.workshop_id == old.id)))
            new_ids = set(db.session.scalars(select(model.id).where(model.workshop_id == new.id)))
            assert new_ids and not old_ids & new_ids
        role = db.session.scalar(
            select(Role).where(Role.workshop_id == new.id).order_by(Role.sort_order)
        )
        sponsor = db.session.scalar(select(Sponsor).where(Sponsor.workshop_id == new.id))
        role_id, person_id, sponsor_id = role.id, role.person_id, sponsor.id
        person_name = role.person.name

    url = "/manage/bugs-2024/cfp"
    form = {**get_form(organizer, url), "policies_md": "New policies for 2024."}
    form["topics"] = "Backdoor attacks in 2024"
    assert organizer.post(url, data=form).status_code == 303
    url = f"/manage/bugs-2024/people/{role_id}"
    form = {**get_form(organizer, url), "name": "Renamed for 2024", "position": "Chair 2024"}
    form["kind"] = "speaker"
    assert organizer.post(url, data=form).status_code == 303
    url = f"/manage/bugs-2024/sponsors/{sponsor_id}"
    assert organizer.post(url, data={**get_form(organizer, url), "name": "S24"}).status_code == 303

    with app.app_context():
        after = _old_edition()
        assert after["file"] == before["file"]
        assert after["members"] == before["members"]
        new = _workshop("bugs-2024")
        cfp = db.session.scalar(select(CallForPapers).where(CallForPapers.workshop_id == new.id))
        assert cfp.policies_md == "New policies for 2024."
        assert db.session.get(Role, role_id).kind == RoleKind.SPEAKER
        assert db.session.get(Role, role_id).person.name == person_name  # the shared person
        assert person_id == db.session.get(Role, role_id).person_id
    anonymous = app.test_client()
    assert "Renamed for 2024" not in anonymous.get("/bugs-2023/organizers").text
    assert "New policies for 2024" not in anonymous.get("/bugs-2023/cfp").text


def _editions(html: str) -> tuple[list[str], str | None]:
    nav = BeautifulSoup(html, "html.parser").select_one("nav.editions")
    if nav is None:
        return [], None
    current = nav.select_one("[aria-current]")
    return [a["href"] for a in nav.select("a")], current.get_text() if current else None


def test_the_editions_and_the_archive_link_each_other(app, client, login_as):
    assert _editions(client.get("/bugs-2023/").text) == ([], None)  # cached: in no series yet
    organizer = login_as("bugs", on=app.test_client())
    assert _start_next(organizer).status_code == 303
    # a draft: its organizers see it among the editions, the public does not
    assert _editions(client.get("/bugs-2023/").text) == ([], None)
    links, current = _editions(organizer.get("/bugs-2023/schedule").text)
    assert links == ["/bugs-2024/"] and current == "2023"
    url = "/manage/bugs-2024/settings"
    form = {**get_form(organizer, url), "is_published": "y"}
    assert organizer.post(url, data=form).status_code == 303
    for path in ("/bugs-2023/", "/bugs-2023/speakers", "/bugs-2023/cfp"):
        assert _editions(client.get(path).text) == (["/bugs-2024/"], "2023")
    assert _editions(client.get("/bugs-2024/").text) == (["/bugs-2023/"], "2024")
    archive = BeautifulSoup(client.get("/archive").text, "html.parser")
    group = archive.select_one("#series-bugs")
    assert group.select_one("h2").get_text(strip=True) == "Backdoors in Deep Learning (BUGS)"
    assert {a["href"] for a in group.select("h3 a")} == {"/bugs-2023/", "/bugs-2024/"}
    assert len(archive.select("main > ul.archive > li")) == 2  # the BUGS series and synthetic-2024
    # the organizer area's page of a workshop names its editions too
    links = [a["href"] for a in BeautifulSoup(organizer.get("/manage/bugs-2024/").text,
             "html.parser").select("#editions-heading ~ p a")]  # fmt: skip
    assert links == ["/manage/bugs-2023/"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"slug": "bugs-2023", "year": "2024"}, "This address name is taken."),
        ({"slug": "manage", "year": "2024"}, "This address name is taken."),
        ({"slug": "Bugs 2024", "year": "2024"}, "lower-case"),
        ({"slug": "bugs-2024", "year": "twenty"}, "Not a valid integer value."),
        ({"slug": "bugs-2024", "year": "3000"}, "between 1900 and 2200"),
    ],
)
def test_a_bad_next_edition_is_refused_inline(app, login_as, data, message):
    organizer = login_as("bugs")
    response = _start_next(organizer, data)
    assert response.status_code == 422
    assert message in response.text, (
        BeautifulSoup(response.text, "html.parser")
        .select_one("#editions-heading")
        .parent.get_text(" ", strip=True)
    )
    with app.app_context():
        assert db.session.scalar(select(func.count(Workshop.id))) == 2


def test_next_edition_needs_csrf_and_an_organizer(app, login_as):
    organizer = login_as("bugs")
    assert organizer.post("/manage/bugs-2023/next-edition", data=NEXT).status_code == 400
    other = login_as("synthetic", on=app.test_client())
    token = csrf_token(other, "/manage/")
    response = other.post("/manage/bugs-2023/next-edition", data={**NEXT, "csrf_token": token})
    assert response.status_code == 403
    with app.app_context():
        assert _workshop("bugs-2024") is None


def test_the_command_makes_the_same_next_edition(app, runner):
    args = ["workshops", "next-edition", "bugs-2023", "--slug", "bugs-2024", "--year", "2024"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "Created bugs-2024 (unpublished)" in result.output
    assert re.search(r"^  organizers: 10$", result.output, re.M)
    assert "Left with the old edition:\n  schedule\n" in result.output
    again = runner.invoke(args=args)
    assert again.exit_code == 1 and "This address name is taken." in again.output
    with app.app_context():
        new = _workshop("bugs-2024")
        assert not new.is_published and new.series.slug == "bugs"
        changes = db.session.scalars(select(Change).where(Change.workshop_id == new.id)).all()
        assert len(changes) == 1 and changes[0].user_id is None
    result = runner.invoke(args=["workshops", "next-edition", "nope", "--slug", "x", "--year", "1"])
    assert result.exit_code == 1 and "no workshop 'nope'" in result.output


def test_a_second_next_edition_joins_the_same_series(app, runner):
    base = ["workshops", "next-edition"]
    assert runner.invoke(args=[*base, "bugs-2023", "--slug", "bugs-2024", "--year", "2024"])
    result = runner.invoke(args=[*base, "bugs-2024", "--slug", "bugs-2025", "--year", "2025"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Series.id))) == 1
        editions = db.session.scalars(select(Workshop.slug).where(Workshop.series_id.is_not(None)))
        assert sorted(editions) == ["bugs-2023", "bugs-2024", "bugs-2025"]


def test_series_are_made_by_admins_and_chosen_in_the_settings(app, login_as):
    admin = login_as("admin")
    form = {**get_form(admin, "/manage/series/new"), "slug": "synth", "name": "Synthetic Age"}
    assert admin.post("/manage/series/new", data=form).status_code == 303
    assert "Synthetic Age" in admin.get("/manage/series/").text
    organizer = login_as("synthetic", on=app.test_client())
    assert organizer.get("/manage/series/").status_code == 403
    with app.app_context():
        series_id = db.session.scalar(select(Series.id).where(Series.slug == "synth"))
    url = "/manage/synthetic-2024/settings"
    form = {**get_form(organizer, url), "series_id": str(series_id)}
    assert organizer.post(url, data=form).status_code == 303
    assert organizer.post(url, data={**form, "series_id": "999"}).status_code == 422
    with app.app_context():
        assert _workshop("synthetic-2024").series.name == "Synthetic Age"
    assert "series-synth" in app.test_client().get("/archive").text


def test_the_content_format_dumps_and_loads_series(app, runner):
    assert runner.invoke(args=["workshops", "next-edition", "bugs-2023", "--slug", "bugs-2024",
                               "--year", "2024"]).exit_code == 0  # fmt: skip
    with app.app_context():
        data = site.dump_site()
        assert data["series"] == [
            {"slug": "bugs", "name": "Backdoors in Deep Learning", "short_name": "BUGS"}
        ]
        series = {w["slug"]: w["series"] for w in data["workshops"]}
        assert series == {"bugs-2023": "bugs", "bugs-2024": "bugs", "synthetic-2024": None}
        # an imported workshop joins a series the file lists
        data["series"].append({"slug": "synth", "name": "Synthetic", "short_name": None})
        for workshop in data["workshops"]:
            if workshop["slug"] == "synthetic-2024":
                workshop["series"] = "synth"
        site.load_site(data)
        db.session.commit()
        assert _workshop("synthetic-2024").series.slug == "synth"
        assert site.dump_site() == data
        workshop = next(w for w in data["workshops"] if w["slug"] == "bugs-2024")
        workshop["series"] = "nowhere"
        with pytest.raises(ContentError, match="workshop bugs-2024 series: unknown series"):
            site.load_site(data)


def test_the_frozen_copy_links_the_editions(app, runner, tmp_path):
    from test_freeze import LIVE, broken_links, freeze

    args = ["workshops", "next-edition", "bugs-2023", "--slug", "bugs-2024", "--year", "2024"]
    assert runner.invoke(args=args).exit_code == 0
    with app.app_context():
        _workshop("bugs-2024").is_published = True
        db.session.commit()
    out = tmp_path / "site"
    freeze(app, out, "--base-url", LIVE)
    page = (out / "bugs-2023" / "cfp" / "index.html").read_text(encoding="utf-8")
    assert _editions(page) == (["../../bugs-2024/index.html"], "2023")
    page = (out / "bugs-2024" / "index.html").read_text(encoding="utf-8")
    assert _editions(page) == (["../bugs-2023/index.html"], "2024")
    archive = BeautifulSoup((out / "archive" / "index.html").read_text("utf-8"), "html.parser")
    assert len(archive.select("#series-bugs h3 a")) == 2
    assert not broken_links(out), broken_links(out)
    # one edition alone: the other stays on the live site
    alone = tmp_path / "alone"
    freeze(app, alone, "--slug", "bugs-2024", "--base-url", LIVE)
    page = (alone / "index.html").read_text(encoding="utf-8")
    assert _editions(page) == ([f"{LIVE}bugs-2023/"], "2024")
