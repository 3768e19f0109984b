"""People belong to the workshops that show them: an edit in one workshop never shows in another.

Bo Li is a speaker of both demo workshops (bugs-2023 and synthetic-2024), one shared person with a
role in each. Organizers edit their own workshop's role; the shared person changes only through a
site admin, and then only as the default for roles made later.
"""

import io
import json

import imagefiles as files
from accounts import csrf_token
from bs4 import BeautifulSoup
from formdata import get_form
from sqlalchemy import select

from wsapp.extensions import db
from wsapp.models import Change, Person, Role, RoleKind, Workshop
from wsapp.services.content import site


def _role(app, slug: str, key: str = "bo-li", kind=RoleKind.SPEAKER) -> Role:
    with app.app_context():
        role = db.session.scalar(
            select(Role)
            .join(Workshop)
            .join(Person, Role.person_id == Person.id)
            .where(Workshop.slug == slug, Person.key == key, Role.kind == kind)
        )
        db.session.expunge_all()
        return role


def _cards(client, slug: str) -> dict[str, dict]:
    """The speaker cards of a workshop's Speakers page, by name: link and photo."""
    soup = BeautifulSoup(client.get(f"/{slug}/speakers").text, "html.parser")
    cards = {}
    for card in soup.select("#speakers li.person"):
        heading = card.select_one(".person-name")
        link = heading.find("a")
        img = card.select_one("img.avatar")
        cards[heading.get_text(strip=True)] = {
            "href": link["href"] if link else None,
            "photo": img["src"] if img else None,
        }
    return cards


def _schedule_people(client, slug: str) -> str:
    soup = BeautifulSoup(client.get(f"/{slug}/schedule").text, "html.parser")
    return " | ".join(td.get_text(" ", strip=True) for td in soup.select("td.presenters"))


def _frab_names(client, slug: str) -> set[str]:
    data = json.loads(client.get(f"/{slug}/schedule.json").text)
    return {
        person["public_name"]
        for day in data["schedule"]["conference"]["days"]
        for events in day["rooms"].values()
        for event in events
        for person in event["persons"]
    }


def test_an_organizer_edit_changes_only_their_own_workshops_pages(app, client, login_as):
    bugs, synthetic = _role(app, "bugs-2023"), _role(app, "synthetic-2024")
    assert bugs.person_id == synthetic.person_id  # one person, shown by two workshops
    with app.app_context():
        person = db.session.get(Person, bugs.person_id)
        shared = (person.name, person.homepage_url, person.photo_id, person.version)
    before_other = _cards(client, "synthetic-2024")
    assert "Bo Li" in before_other and "Bo Li" in _schedule_people(client, "bugs-2023")

    organizer = login_as("bugs")
    url = f"/manage/bugs-2023/people/{bugs.id}"
    form = {**get_form(organizer, url), "name": "Prof. Bo Li (UIUC)"}
    form["homepage_url"] = "https://bugs.example/bo-li"
    form["photo"] = (io.BytesIO(files.webp_photo()), "bo.webp")
    response = organizer.post(url, data=form, content_type="multipart/form-data")
    response.request.environ["wsgi.input"].close()
    assert response.status_code == 303, response.text[:1000]

    anonymous = app.test_client()
    mine = _cards(anonymous, "bugs-2023")
    assert mine["Prof. Bo Li (UIUC)"]["href"] == "https://bugs.example/bo-li"
    assert mine["Prof. Bo Li (UIUC)"]["photo"] is not None
    assert "Prof. Bo Li (UIUC)" in _schedule_people(anonymous, "bugs-2023")  # her talk's row
    assert "Prof. Bo Li (UIUC)" in _frab_names(anonymous, "bugs-2023")
    # the other workshop's pages are exactly as they were
    assert _cards(anonymous, "synthetic-2024") == before_other
    assert "Prof. Bo Li" not in anonymous.get("/synthetic-2024/speakers").text
    assert "Prof. Bo Li" not in anonymous.get("/synthetic-2024/schedule.json").text
    with app.app_context():
        person = db.session.get(Person, bugs.person_id)
        assert (person.name, person.homepage_url, person.photo_id, person.version) == shared

    # and the other way round
    other = login_as("synthetic", on=app.test_client())
    url = f"/manage/synthetic-2024/people/{synthetic.id}"
    other.post(url, data={**get_form(other, url), "name": "Bo Li, PhD"})
    assert "Bo Li, PhD" in _cards(anonymous, "synthetic-2024")
    assert "Prof. Bo Li (UIUC)" in _cards(anonymous, "bugs-2023")
    assert "Bo Li, PhD" not in anonymous.get("/bugs-2023/speakers").text


def test_only_a_site_admin_changes_the_shared_person(app, client, login_as):
    bugs = _role(app, "bugs-2023")
    organizer = login_as("bugs")
    url = f"/manage/people/{bugs.person_id}"
    assert organizer.get(url).status_code == 403
    token = csrf_token(organizer, "/manage/")
    assert organizer.post(url, data={"name": "Renamed", "csrf_token": token}).status_code == 403
    assert organizer.get("/manage/people/").status_code == 403

    admin = login_as("admin", on=app.test_client())
    assert "Bo Li" in admin.get("/manage/people/").text
    form = {**get_form(admin, url), "name": "Bo Li (site record)"}
    form["homepage_url"] = "https://bo.example/"
    assert admin.post(url, data=form).status_code == 303
    anonymous = app.test_client()
    for slug in ("bugs-2023", "synthetic-2024"):  # no page changes: each role keeps its copy
        assert "Bo Li" in _cards(anonymous, slug)
        assert "site record" not in anonymous.get(f"/{slug}/speakers").text
    # a role made afterwards starts from the person's new values
    new = get_form(organizer, "/manage/bugs-2023/people/new")
    new.update(person_id=str(bugs.person_id), name="", homepage_url="", kind="moderator")
    assert organizer.post("/manage/bugs-2023/people/new", data=new).status_code == 303
    moderator = _role(app, "bugs-2023", kind=RoleKind.MODERATOR)
    assert (moderator.name, moderator.homepage_url) == (
        "Bo Li (site record)",
        "https://bo.example/",
    )


def test_an_organizer_cannot_restore_a_shared_person(app, login_as):
    """A person change in a workshop's log (from before roles had their own copy) is restored
    only by a site admin: restoring it would change every workshop that shows the person."""
    bugs = _role(app, "bugs-2023")
    with app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.slug == "bugs-2023"))
        change = Change(
            workshop_id=workshop.id,
            entity="person",
            entity_id=bugs.person_id,
            action="update",
            summary="Bo Li",
            before={"name": "Bo Lee", "key": "bo-li", "homepage_url": None, "photo_id": None},
            after={"name": "Bo Li", "key": "bo-li", "homepage_url": None, "photo_id": None},
        )
        db.session.add(change)
        db.session.commit()
        change_id = change.id
    organizer = login_as("bugs")
    token = csrf_token(organizer, "/manage/")
    organizer.post(f"/manage/bugs-2023/history/{change_id}/restore", data={"csrf_token": token})
    page = organizer.get("/manage/bugs-2023/history").text
    assert "only a site admin can bring it back" in page
    with app.app_context():
        assert db.session.get(Person, bugs.person_id).name == "Bo Li"


def test_a_next_edition_copy_is_edited_without_touching_the_old_one(app, client):
    """The next edition made from a copy of the old one's content (the content format keeps
    each role's name, homepage and photo): editing its roles leaves the old edition alone."""
    with app.app_context():
        data = site.dump_site()
        bugs = next(w for w in data["workshops"] if w["slug"] == "bugs-2023")
        copy = {**bugs, "slug": "bugs-2024", "title": "Backdoors 2024", "featured": False}
        site.load_site({**data, "workshops": [copy]})
        db.session.commit()
        role = db.session.scalar(
            select(Role)
            .join(Workshop)
            .join(Person, Role.person_id == Person.id)
            .where(Workshop.slug == "bugs-2024", Person.key == "bo-li")
            .where(Role.kind == RoleKind.SPEAKER)
        )
        assert role.name == "Bo Li"
        role.name = "Bo Li (2024 chair)"
        db.session.commit()
    assert "Bo Li (2024 chair)" in _cards(client, "bugs-2024")
    assert "Bo Li" in _cards(client, "bugs-2023")
    assert "2024 chair" not in client.get("/bugs-2023/speakers").text
