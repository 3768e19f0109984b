"""Conference apps see people: our frab exports as independent readers parse them.

schedule-convert (PyPI; a frab XML reader and writer used for conference schedules) reads
schedule.xml the way ConfClerk and Giggity do, keying people by their `id`: every oral must list
its authors one by one, the panel its panelists and moderator, and nobody may be merged with
someone else. The JSON's people are checked against the c3voc JSON Schema's person form.
Identities (UIDs, GUIDs) come from WSAPP_SITE_URL, never from the Host a request used, and the
frozen copy keeps them.
"""

import io
import json
from pathlib import Path

import jsonschema
import pytest
from icalendar import Calendar
from schedule_convert.importers.frab_xml import FrabXmlImporter
from sqlalchemy import select

from wsapp.config_check import SettingsError
from wsapp.extensions import db
from wsapp.models import ItemKind, Person, RoleKind, Workshop
from wsapp.services import queries
from wsapp.services.people import split_names

SCHEMAS = Path(__file__).parent / "fixtures" / "c3voc-schedule"
BUGS_FIRST_ORAL = [
    "Sahil Verma",
    "Gantavya Bhatt",
    "Soumye Singhal",
    "Arnav Das",
    "Chirag Shah",
    "John Dickerson",
    "Jeff A Bilmes",
]


def _conference(client, slug: str):
    body = client.get(f"/{slug}/schedule.xml").data
    return FrabXmlImporter().parse(io.BytesIO(body))


def _prefer(item) -> RoleKind:
    return RoleKind.PANELIST if item.kind == ItemKind.PANEL else RoleKind.SPEAKER


def _items(app, slug: str) -> list[tuple]:
    with app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.slug == slug))
        items = queries.schedule_items(workshop)
        return [
            (i.id, i.kind, i.title, [i.shown(p, _prefer(i)).name for p in i.presenting],
             i.author_list,
             i.moderator.name if i.moderator else None)
            for i in items
        ]  # fmt: skip


@pytest.mark.parametrize("slug", ["bugs-2023", "synthetic-2024"])
def test_an_independent_frab_reader_lists_every_presenter(app, client, slug):
    conference = _conference(client, slug)
    events = {int(event.id): event for event in conference.events}
    expected_items = _items(app, slug)
    assert len(events) == len(expected_items)
    people_by_id: dict[str, str] = {}
    for item_id, kind, _title, presenters, authors, moderator in expected_items:
        names = [speaker.name for speaker in events[item_id].speakers]
        expected = presenters or split_names(authors)
        if moderator and moderator not in expected:
            expected = [*expected, moderator]
        assert names == expected, (kind, names)
        for speaker in events[item_id].speakers:
            assert speaker.id is not None and int(speaker.id) > 0
            # one id is one person everywhere in the file: nobody is merged with someone else
            assert people_by_id.setdefault(speaker.id, speaker.name) == speaker.name
        if kind in (ItemKind.ORAL, ItemKind.OPENING, ItemKind.POSTER_SESSION):
            assert names, f"{kind} item {item_id} lists nobody"


def test_the_first_bugs_oral_lists_its_seven_authors_and_the_panel_its_moderator(client):
    events = _conference(client, "bugs-2023").events
    orals = [e for e in events if e.track == "Oral"]
    assert [s.name for s in orals[0].speakers] == BUGS_FIRST_ORAL
    panel = next(e for e in events if e.track == "Panel Discussion")
    names = [s.name for s in panel.speakers]
    assert "Eugene Bagdasaryan" in names and len(names) >= 4
    assert "Moderator: Eugene Bagdasaryan" in panel.description  # the XSD has no role attribute
    doc = client.get("/bugs-2023/schedule.json").get_json()
    persons = next(
        event["persons"]
        for day in doc["schedule"]["conference"]["days"]
        for events in day["rooms"].values()
        for event in events
        if event["type"] == "discussion"
    )
    roles = {p["public_name"]: p["role"] for p in persons}
    assert roles["Eugene Bagdasaryan"] == "moderator"
    assert {role for name, role in roles.items() if name != "Eugene Bagdasaryan"} == {"panelist"}


def test_json_people_take_the_frab_form_of_the_schema(client):
    """Every person has `id` and `public_name` (the schema's FrabPerson) and a GUID; readers
    that take `public_name` (pyfahrplan) or `name`, else `public_name` (c3voc) find a name."""
    schema = json.loads((SCHEMAS / "schema.json").read_text())
    person = jsonschema.Draft6Validator(
        {**schema, "$ref": "#/definitions/FrabPerson"},
        format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER,
    )
    doc = client.get("/bugs-2023/schedule.json").get_json()
    listed = [
        p
        for day in doc["schedule"]["conference"]["days"]
        for events in day["rooms"].values()
        for event in events
        for p in event["persons"]
    ]
    assert len(listed) > 30
    for p in listed:
        person.validate(p)
        assert p["public_name"] and p.get("name", p["public_name"]) == p["public_name"]
        assert len(p["guid"]) == 36


def test_linked_people_keep_their_id_and_guid_in_every_workshop(app, client):
    with app.app_context():
        bo = db.session.scalar(select(Person).where(Person.key == "bo-li"))
        bo_id = bo.id

    def of(slug):
        doc = client.get(f"/{slug}/schedule.json").get_json()
        return {
            (p["id"], p["guid"])
            for day in doc["schedule"]["conference"]["days"]
            for events in day["rooms"].values()
            for event in events
            for p in event["persons"]
            if p["id"] == bo_id
        }

    assert len(of("bugs-2023")) == 1 and of("bugs-2023") == of("synthetic-2024")


def _uids(client, slug: str, host: str) -> tuple:
    ics = client.get(f"/{slug}/schedule.ics", headers={"Host": host}).data
    doc = client.get(f"/{slug}/schedule.json", headers={"Host": host}).get_json()
    guids = sorted(
        [e["guid"] for d in doc["schedule"]["conference"]["days"] for r in d["rooms"].values()
         for e in r]
        + [p["guid"] for d in doc["schedule"]["conference"]["days"] for r in d["rooms"].values()
           for e in r for p in e["persons"]]
    )  # fmt: skip
    return sorted(str(e["UID"]) for e in Calendar.from_ical(ics).walk("VEVENT")), guids


def test_uids_do_not_depend_on_the_host_of_the_request(make_app):
    app = make_app(SITE_URL="https://workshops.example.org/", SERVER_NAME=None, PAGE_CACHE=False)
    client = app.test_client()
    one = _uids(client, "bugs-2023", "workshops.example.org")
    other = _uids(client, "bugs-2023", "wsapp.internal:8000")
    assert one == other and len(one[0]) == 19
    # another site (another identity) gives other ids
    elsewhere = make_app(SITE_URL="https://other.example.org", SERVER_NAME=None, PAGE_CACHE=False)
    assert _uids(elsewhere.test_client(), "bugs-2023", "workshops.example.org")[0] != one[0]


def test_frozen_copy_gives_the_live_uids(make_app, tmp_path):
    app = make_app(SITE_URL="https://workshops.example.org", PAGE_CACHE=False)
    out = tmp_path / "copy"
    result = app.test_cli_runner().invoke(
        args=["freeze", str(out), "--base-url", "https://mirror.example.net/"]
    )
    assert result.exit_code == 0, result.output
    live = Calendar.from_ical(app.test_client().get("/bugs-2023/schedule.ics").data)
    frozen = Calendar.from_ical((out / "bugs-2023" / "schedule.ics").read_bytes())
    uids = [sorted(str(e["UID"]) for e in c.walk("VEVENT")) for c in (live, frozen)]
    assert uids[0] == uids[1] and len(uids[0]) == 19


def test_site_url_must_be_an_address(make_app):
    with pytest.raises(SettingsError, match="WSAPP_SITE_URL: 'workshops.example.org' is not"):
        make_app(SITE_URL="workshops.example.org")
