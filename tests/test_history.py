"""The change log: who changed what, restoring earlier and deleted versions, edit conflicts."""

from accounts import csrf_token
from bs4 import BeautifulSoup
from formdata import form_fields, get_form
from sqlalchemy import select

from wsapp.extensions import db
from wsapp.models import (
    Change,
    ImportantDate,
    NewsPost,
    Paper,
    Person,
    ScheduleItem,
    Sponsor,
    Workshop,
)

TALK = "Recent Advances in Backdoor Defense and Benchmark"


def _id(app, query):
    with app.app_context():
        return db.session.scalar(query)


def _changes(app, entity, entity_id):
    with app.app_context():
        return db.session.scalars(
            select(Change)
            .where(Change.entity == entity, Change.entity_id == entity_id)
            .order_by(Change.id)
        ).all()


def _restore(client, change_id):
    token = csrf_token(client, "/manage/")
    return client.post(f"/manage/bugs-2023/history/{change_id}/restore", data={"csrf_token": token})


def test_edit_then_restore_earlier_version_shows_on_public_page(app, login_as):
    client = login_as("bugs")
    item_id = _id(app, select(ScheduleItem.id).where(ScheduleItem.title == TALK))
    url = f"/manage/bugs-2023/schedule/{item_id}"
    for title in ("Second title", "Third title"):
        data = get_form(client, url)
        data["title"] = title
        assert client.post(url, data=data).status_code == 303
    changes = _changes(app, "schedule_item", item_id)
    assert [c.action for c in changes] == ["update", "update"]
    assert ("title", TALK, "Second title") in changes[0].changed_fields
    assert changes[0].user.email == "bugs@example.org"
    page = client.get(f"/manage/bugs-2023/schedule/{item_id}/history").text
    assert TALK in page and "Second title" in page and "bugs@example.org" in page
    assert "Third title" in client.get("/bugs-2023/schedule").text
    response = _restore(client, changes[0].id)  # the version before the first edit
    assert response.status_code == 303
    public = client.get("/bugs-2023/schedule").text
    assert TALK in public and "Third title" not in public
    last = _changes(app, "schedule_item", item_id)[-1]
    assert last.action == "restore" and last.after["title"] == TALK


def test_deleted_item_comes_back_with_its_presenters(app, login_as):
    client = login_as("bugs")
    with app.app_context():
        item = db.session.scalar(
            select(ScheduleItem)
            .join(Workshop)
            .where(Workshop.slug == "bugs-2023", ScheduleItem.presenters.any())
        )
        item_id, title = item.id, item.title
        presenters = [p.name for p in item.presenters]
    token = csrf_token(client, "/manage/")
    client.post(f"/manage/bugs-2023/schedule/{item_id}/delete", data={"csrf_token": token})
    assert _id(app, select(ScheduleItem.id).where(ScheduleItem.id == item_id)) is None
    history = client.get("/manage/bugs-2023/history").text
    soup = BeautifulSoup(history, "html.parser")
    deleted = soup.select_one("#deleted-heading").find_parent("section")
    assert (title or "") in deleted.text
    change = _changes(app, "schedule_item", item_id)[-1]
    assert change.action == "delete"
    assert _restore(client, change.id).status_code == 303
    with app.app_context():
        item = db.session.get(ScheduleItem, item_id)
        assert item.title == title and [p.name for p in item.presenters] == presenters
    assert "Recently deleted" not in client.get("/manage/bugs-2023/history").text


def test_restored_date_keeps_its_struck_through_deadlines(app, login_as):
    client = login_as("bugs")
    with app.app_context():
        date = db.session.scalar(
            select(ImportantDate)
            .join(Workshop)
            .where(Workshop.slug == "bugs-2023", ImportantDate.earlier.any())
        )
        date_id, earlier = date.id, [m.due_dt for m in date.earlier]
    client.post(
        f"/manage/bugs-2023/dates/{date_id}/delete",
        data={"csrf_token": csrf_token(client, "/manage/")},
    )
    assert _restore(client, _changes(app, "important_date", date_id)[-1].id).status_code == 303
    with app.app_context():
        assert [m.due_dt for m in db.session.get(ImportantDate, date_id).earlier] == earlier
    assert "<s>" in client.get("/bugs-2023/cfp").text


def test_restored_paper_is_linked_again_from_the_schedule(app, login_as):
    client = login_as("bugs")
    with app.app_context():
        item = db.session.scalar(
            select(ScheduleItem)
            .where(ScheduleItem.paper_id.is_not(None))
            .join(Workshop)
            .where(Workshop.slug == "bugs-2023")
        )
        item_id, paper_id = item.id, item.paper_id
    client.post(
        f"/manage/bugs-2023/papers/{paper_id}/delete",
        data={"csrf_token": csrf_token(client, "/manage/")},
    )
    assert _id(app, select(ScheduleItem.paper_id).where(ScheduleItem.id == item_id)) is None
    _restore(client, _changes(app, "paper", paper_id)[-1].id)
    assert _id(app, select(ScheduleItem.paper_id).where(ScheduleItem.id == item_id)) == paper_id
    assert _id(app, select(Paper.id).where(Paper.id == paper_id)) == paper_id


def test_restore_that_clashes_gives_a_message(app, login_as):
    client = login_as("bugs")
    post_id = _id(app, select(NewsPost.id).join(Workshop).where(Workshop.slug == "bugs-2023"))
    slug = _id(app, select(NewsPost.slug).where(NewsPost.id == post_id))
    token = csrf_token(client, "/manage/")
    client.post(f"/manage/bugs-2023/news/{post_id}/delete", data={"csrf_token": token})
    data = get_form(client, "/manage/bugs-2023/news/new")
    data.update(title="Same address", slug=slug, published="2023-12-01T10:00")
    assert client.post("/manage/bugs-2023/news/new", data=data).status_code == 303
    response = _restore(client, _changes(app, "news_post", post_id)[-1].id)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).text
    flashes = BeautifulSoup(page, "html.parser").select(".flash")
    assert "Could not restore" in str(flashes), flashes
    assert "conflicts with a record" in str(flashes), flashes


def test_name_edited_on_a_role_is_recorded_on_the_role_not_the_person(app, login_as):
    client = login_as("bugs")
    with app.app_context():
        from wsapp.models import Person, Role

        role = db.session.scalar(select(Role).join(Workshop).where(Workshop.slug == "bugs-2023"))
        role_id, person_id, name = role.id, role.person_id, role.person.name
    url = f"/manage/bugs-2023/people/{role_id}"
    data = get_form(client, url)
    data["name"] = name + " Jr."
    assert client.post(url, data=data).status_code == 303
    change = _changes(app, "role", role_id)[-1]
    assert change.before["name"] == name and change.after["name"] == name + " Jr."
    assert _changes(app, "person", person_id) == []
    assert _id(app, select(Person.name).where(Person.id == person_id)) == name
    assert "Jr." in client.get("/manage/bugs-2023/history").text


def test_stale_form_is_refused_and_keeps_input(app, login_as):
    first = login_as("bugs")
    second = login_as("admin", on=app.test_client())
    sponsor_id = _id(app, select(Sponsor.id).join(Workshop).where(Workshop.slug == "bugs-2023"))
    url = f"/manage/bugs-2023/sponsors/{sponsor_id}"
    mine, theirs = get_form(first, url), get_form(second, url)
    mine["name"] = "Saved first"
    assert first.post(url, data=mine).status_code == 303
    theirs["name"] = "Saved second"
    response = second.post(url, data=theirs)
    assert response.status_code == 409
    assert "Someone else saved a newer version" in response.text
    kept = form_fields(response.text)
    assert kept["name"] == "Saved second"  # their input stays in the form
    assert "Saved first" in response.text  # and they see what the other save holds
    assert _id(app, select(Sponsor.name).where(Sponsor.id == sponsor_id)) == "Saved first"
    # saving again, knowingly, replaces it
    assert second.post(url, data=kept).status_code == 303
    assert _id(app, select(Sponsor.name).where(Sponsor.id == sponsor_id)) == "Saved second"


def test_stale_workshop_settings_are_refused(app, login_as):
    first = login_as("bugs")
    second = login_as("admin", on=app.test_client())
    url = "/manage/bugs-2023/settings"
    mine, theirs = get_form(first, url), get_form(second, url)
    mine["city"] = "Chicago"
    assert first.post(url, data=mine).status_code == 303
    theirs["city"] = "Houston"
    response = second.post(url, data=theirs)
    assert response.status_code == 409 and "Chicago" in response.text
    assert _id(app, select(Workshop.city).where(Workshop.slug == "bugs-2023")) == "Chicago"


def test_workshop_history_page_lists_who_and_what(app, login_as):
    client = login_as("bugs")
    url = "/manage/bugs-2023/settings"
    data = get_form(client, url)
    data["venue"] = "Hall E"
    client.post(url, data=data)
    page = client.get("/manage/bugs-2023/history").text
    assert "Hall E" in page and "bugs@example.org" in page and "venue" in page
    other = login_as("synthetic", on=app.test_client())
    assert "Hall E" not in other.get("/manage/synthetic-2024/history").text


def test_restoring_another_workshops_change_is_404(app, login_as):
    client = login_as("bugs")
    data = get_form(client, "/manage/bugs-2023/settings")
    data["room"] = "Room 9"
    client.post("/manage/bugs-2023/settings", data=data)
    change_id = _id(app, select(Change.id).where(Change.entity == "workshop"))
    synthetic = login_as("synthetic", on=app.test_client())
    token = csrf_token(synthetic, "/manage/")
    response = synthetic.post(
        f"/manage/synthetic-2024/history/{change_id}/restore", data={"csrf_token": token}
    )
    assert response.status_code == 404


def test_person_table_is_global(app):
    with app.app_context():
        assert db.session.scalar(select(Person.id).limit(1))
