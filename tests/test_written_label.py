"""A schedule row's label as the organizers wrote it: stored, edited, shown, exported, dumped."""

import xml.etree.ElementTree as ET

import icalendar
import pytest
from bs4 import BeautifulSoup
from formdata import get_form
from sqlalchemy import select

from wsapp.extensions import db
from wsapp.models import ItemKind, ScheduleItem, Workshop
from wsapp.services.content.site import ContentError, dump_site, load_site

TITLE = "Recent Advances in Backdoor Defense and Benchmark"


def _item_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(ScheduleItem.id).where(ScheduleItem.title == TITLE))


def _label(app, text: str) -> None:
    with app.app_context():
        item = db.session.get(ScheduleItem, _item_id(app))
        item.written_label = text
        db.session.commit()


def _row(client, item_id: int):
    page = BeautifulSoup(client.get("/bugs-2023/schedule").text, "html.parser")
    return page.select_one(f"tr#item-{item_id} td.session")


def test_label_as_written_replaces_the_kind_label_on_the_page(app, client):
    item_id = _item_id(app)
    generic = _row(client, item_id).select_one("span.label").get_text()
    assert generic.startswith("Invited Talk")
    _label(app, "Keynote")
    row = _row(client, item_id)
    assert row.select_one("span.label").get_text() == "Keynote"
    assert row.select_one("span.title").get_text() == TITLE
    with app.app_context():
        item = db.session.get(ScheduleItem, item_id)
        assert item.kind == ItemKind.INVITED_TALK  # the kind stays, for styling and exports


def test_label_as_written_in_the_exports(app, client):
    item_id = _item_id(app)
    _label(app, "Keynote")
    calendar = icalendar.Calendar.from_ical(client.get("/bugs-2023/schedule.ics").data)
    summaries = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert f"Keynote: {TITLE} (BUGS)" in summaries
    root = ET.fromstring(client.get("/bugs-2023/schedule.xml").data)
    event = root.find(f".//event[@id='{item_id}']")
    assert event.findtext("subtitle") == "Keynote"
    assert event.findtext("track") == "Invited Talk"  # the kind, for filtering


def test_organizer_form_edits_the_label(app, login_as):
    client = login_as("bugs")
    item_id = _item_id(app)
    url = f"/manage/bugs-2023/schedule/{item_id}"
    data = get_form(client, url)
    assert data["written_label"] == ""
    data["written_label"] = "  Keynote talk  "
    assert client.post(url, data=data).status_code == 303
    with app.app_context():
        assert db.session.get(ScheduleItem, item_id).written_label == "Keynote talk"
    data = get_form(client, url)
    data["written_label"] = "x" * 201
    response = client.post(url, data=data)
    assert response.status_code == 422
    assert BeautifulSoup(response.text, "html.parser").select_one("#field-written_label .errors")
    data["written_label"] = ""
    assert client.post(url, data=data).status_code == 303
    assert _row(client, item_id).select_one("span.label").get_text().startswith("Invited Talk")


def test_content_format_round_trips_the_label(app):
    with app.app_context():
        document = dump_site()
        workshop = next(w for w in document["workshops"] if w["slug"] == "bugs-2023")
        assert all(item["label"] == "" for item in workshop["schedule"])
        workshop["schedule"][0]["label"] = "Welcome"
        load_site(document)
        db.session.commit()
        again = next(w for w in dump_site()["workshops"] if w["slug"] == "bugs-2023")
        assert again["schedule"][0]["label"] == "Welcome"
        del workshop["schedule"][0]["label"]  # a file without the key: the kind's label
        load_site(document)
        db.session.commit()
        slug = select(Workshop.id).where(Workshop.slug == "bugs-2023").scalar_subquery()
        first = db.session.scalars(
            select(ScheduleItem)
            .where(ScheduleItem.workshop_id == slug)
            .order_by(ScheduleItem.sort_order)
        ).first()
        assert (first.written_label, first.label) == ("", "Opening Remarks")


@pytest.mark.parametrize(
    ("label", "problem"),
    [(["a", "list"], "expected text"), ("x" * 201, "longer than 200 characters")],
)
def test_content_format_refuses_a_bad_label(app, label, problem):
    with app.app_context():
        document = dump_site()
        document["workshops"][0]["schedule"][0]["label"] = label
        with pytest.raises(ContentError, match=rf"schedule\[0\] label: {problem}"):
            load_site(document)
        db.session.rollback()
