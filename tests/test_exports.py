"""Exports: frab XML and JSON validate against the c3voc schemas; iCalendar parses and is right."""

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import jsonschema
import pytest
import xmlschema
from bs4 import BeautifulSoup
from icalendar import Calendar
from sqlalchemy import select

from wsapp.extensions import db
from wsapp.models import ImportantDate, ScheduleItem, Workshop

SCHEMAS = Path(__file__).parent / "fixtures" / "c3voc-schedule"
SLUGS = ["bugs-2023", "synthetic-2024"]


@pytest.fixture(scope="module")
def xsd():
    return xmlschema.XMLSchema(str(SCHEMAS / "schedule.xml.xsd"))


@pytest.fixture(scope="module")
def json_validator():
    schema = json.loads((SCHEMAS / "schema.json").read_text())
    return jsonschema.Draft6Validator(
        schema, format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER
    )


def records(app, slug):
    with app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.slug == slug))
        items = db.session.scalars(
            select(ScheduleItem)
            .where(ScheduleItem.workshop_id == workshop.id)
            .order_by(ScheduleItem.start_dt, ScheduleItem.id)
        ).all()
        dates = db.session.scalars(
            select(ImportantDate).where(ImportantDate.workshop_id == workshop.id)
        ).all()
        result = (
            workshop.timezone,
            [(i.id, i.start_dt, i.end_dt, i.title) for i in items],
            [(d.id, d.label, d.due_dt, d.due_date) for d in dates],
        )
    return result


def events(body: bytes) -> list:
    return list(Calendar.from_ical(body).walk("VEVENT"))


@pytest.mark.parametrize("slug", SLUGS)
def test_xml_validates_and_has_every_item(app, client, xsd, slug):
    response = client.get(f"/{slug}/schedule.xml")
    assert response.status_code == 200
    assert response.content_type == "application/vnd.c3voc.schedule+xml; charset=utf-8"
    assert response.headers["Content-Disposition"] == f"inline; filename={slug}-schedule.xml"
    xsd.validate(response.data)
    tz, items, _ = records(app, slug)
    tree = xsd.to_dict(response.data)
    shown = {
        int(event["@id"]): event
        for day in tree["day"]
        for room in day["room"]
        for event in room["event"]
    }
    assert set(shown) == {item_id for item_id, *_ in items}
    for item_id, start, end, _title in items:
        local = start.astimezone(ZoneInfo(tz))
        assert shown[item_id]["date"] == local.isoformat()
        assert shown[item_id]["start"] == local.strftime("%H:%M")
        minutes = int((end - start).total_seconds() // 60)
        assert shown[item_id]["duration"] == f"{minutes // 60:02d}:{minutes % 60:02d}"


@pytest.mark.parametrize("slug", SLUGS)
def test_json_validates_and_has_every_item(app, client, json_validator, slug):
    response = client.get(f"/{slug}/schedule.json")
    assert response.status_code == 200
    assert response.content_type == "application/json"
    assert response.headers["Content-Disposition"] == f"inline; filename={slug}-schedule.json"
    document = response.get_json()
    errors = [f"{list(e.path)}: {e.message}" for e in json_validator.iter_errors(document)]
    assert not errors
    tz, items, _ = records(app, slug)
    conference = document["schedule"]["conference"]
    assert conference["time_zone_name"] == tz
    shown = {
        event["id"]: event
        for day in conference["days"]
        for room in day["rooms"].values()
        for event in room
    }
    assert set(shown) == {item_id for item_id, *_ in items}
    for item_id, start, end, _title in items:
        assert dt.datetime.fromisoformat(shown[item_id]["date"]) == start
        assert dt.datetime.fromisoformat(shown[item_id]["end"]) == end


def test_schema_validation_can_fail(client, xsd, json_validator):
    """The validators really check: a broken document is refused."""
    broken = client.get("/bugs-2023/schedule.xml").data.replace(b"<start>08:55", b"<start>8h55")
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        xsd.validate(broken)
    document = client.get("/bugs-2023/schedule.json").get_json()
    del document["schedule"]["conference"]["days"][0]["rooms"]["BUGS"][0]["guid"]
    assert list(json_validator.iter_errors(document))


@pytest.mark.parametrize("slug", SLUGS)
def test_ical_has_every_item_at_its_instant(app, client, slug):
    response = client.get(f"/{slug}/schedule.ics")
    assert response.status_code == 200
    assert response.content_type == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == f"attachment; filename={slug}-schedule.ics"
    calendar = Calendar.from_ical(response.data)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    _, items, _ = records(app, slug)
    found = {str(e["URL"]).rsplit("#item-", 1)[1]: e for e in events(response.data)}
    assert set(found) == {str(item_id) for item_id, *_ in items}
    for item_id, start, end, title in items:
        event = found[str(item_id)]
        assert event.decoded("DTSTART") == start and event.decoded("DTEND") == end
        if title:
            assert title in str(event["SUMMARY"])
    assert len({str(e["UID"]) for e in found.values()}) == len(items)


def test_every_row_has_its_own_calendar_file(app, client):
    page = BeautifulSoup(client.get("/bugs-2023/schedule").text, "html.parser")
    rows = page.select("#schedule tr.item")
    whole = {str(e["UID"]): e for e in events(client.get("/bugs-2023/schedule.ics").data)}
    for tr in rows:
        link = tr.select_one("a.add-calendar")
        assert "Add to calendar" in link.get_text()
        response = client.get(link["href"])
        assert response.status_code == 200 and response.content_type.startswith("text/calendar")
        (event,) = events(response.data)
        assert event.decoded("DTSTART") == whole[str(event["UID"])].decoded("DTSTART")
        assert response.headers["Content-Disposition"].endswith(f"-{tr['id']}.ics")


def test_dates_calendar(app, client):
    response = client.get("/bugs-2023/dates.ics")
    assert response.headers["Content-Disposition"] == "attachment; filename=bugs-2023-dates.ics"
    _, _, dates = records(app, "bugs-2023")
    found = {str(e["SUMMARY"]).split(" (")[0]: e for e in events(response.data)}
    assert set(found) == {label for _, label, *_ in dates}
    for _, label, due, day in dates:
        if due is not None:
            assert found[label].decoded("DTSTART") == due
        else:
            assert found[label].decoded("DTSTART") == day
            assert found[label].decoded("DTEND") == day + dt.timedelta(days=1)
    assert "11:59\u202fPM AoE" in str(found["Submission deadline"]["DESCRIPTION"])


def test_ids_survive_edits(app, client):
    """Changing an item's title and time keeps its UID and GUID: calendars update, not duplicate."""

    def ids():
        uids = {
            str(e["URL"]).rsplit("#", 1)[1]: str(e["UID"])
            for e in events(client.get("/bugs-2023/schedule.ics").data)
        }
        doc = client.get("/bugs-2023/schedule.json").get_json()
        guids = {
            f"item-{e['id']}": e["guid"]
            for d in doc["schedule"]["conference"]["days"]
            for room in d["rooms"].values()
            for e in room
        }
        return uids, guids

    before = ids()
    with app.app_context():
        item = db.session.scalar(select(ScheduleItem).order_by(ScheduleItem.id).limit(1))
        item.title = "Renamed"
        item.start_dt += dt.timedelta(minutes=10)
        item.end_dt += dt.timedelta(minutes=10)
        db.session.commit()
    assert ids() == before


def test_exports_are_linked_from_the_schedule_and_cfp(client):
    schedule = BeautifulSoup(client.get("/bugs-2023/schedule").text, "html.parser")
    hrefs = {a["href"] for a in schedule.select(".exports a")}
    assert {
        "/bugs-2023/schedule.ics",
        "/bugs-2023/dates.ics",
        "/bugs-2023/schedule.xml",
        "/bugs-2023/schedule.json",
    } <= hrefs
    cfp = BeautifulSoup(client.get("/bugs-2023/cfp").text, "html.parser")
    assert cfp.select_one('#dates a[href="/bugs-2023/dates.ics"]')


def test_unknown_item_is_404(app, client):
    _, items, _ = records(app, "synthetic-2024")
    other = items[0][0]
    assert client.get(f"/bugs-2023/schedule/{other}.ics").status_code == 404  # another workshop's
    assert client.get("/bugs-2023/schedule/999999.ics").status_code == 404
