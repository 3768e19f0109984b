"""A content file is checked with the web forms' rules: a bad time zone, date, address or value
is refused with its record and field, and nothing is written."""

import copy

import pytest
import yaml
from formdata import get_form
from sqlalchemy import func, select

from wsapp.extensions import db
from wsapp.models import ImportantDate, Person, ScheduleItem, Workshop
from wsapp.services.content.site import ContentError, dump_site, load_site

BAD = [
    # (path to the value in workshop 0 (or the document), value, the message's start)
    (("timezone",), "Mars/Olympus", "workshop bugs-2023 timezone: 'Mars/Olympus' is not an IANA"),
    (("start_date",), "2023-02-30", "workshop bugs-2023 start_date: '2023-02-30' is not a"),
    (("end_date",), "2023-12-01", "workshop bugs-2023: end_date 2023-12-01 comes before"),
    (("start_date",), "1066-10-14", "workshop bugs-2023 start_date: give a year between 1900"),
    (
        ("website_url",),
        'http://localhost"><svg/onload=alert(1)>',
        "workshop bugs-2023 website_url:",
    ),
    (("conference", "url"), "javascript:alert(1)", "workshop bugs-2023 conference.url:"),
    (("contact_email",), "chairs at example", "workshop bugs-2023 contact_email:"),
    (("slug",), "Bugs 2023", "workshops[0] slug: 'Bugs 2023' is not an address name"),
    (("schedule", 0, "start"), "2023-12-15T08:55:00", "workshop bugs-2023 schedule[0] start:"),
    (("schedule", 0, "end"), "tomorrow", "workshop bugs-2023 schedule[0] end: 'tomorrow' is not"),
    (("dates", 0, "timezone"), "Etc/Nowhere", "workshop bugs-2023 dates[0] timezone:"),
    (("dates", 0, "due"), "2023-09-29T25:99:00-12:00", "workshop bugs-2023 dates[0] due:"),
    (("papers", 0, "paper_url"), "openreview.net/forum?id=x", "workshop bugs-2023 papers[0]"),
    (("sponsors", 0, "url"), "/assets/img/logo.png", "workshop bugs-2023 sponsors[0] url:"),
    (("news", 0, "slug"), "a b", "workshop bugs-2023 news[0] slug:"),
    (("title",), "Backdoors\x00", "workshop bugs-2023 title: contains a NUL character"),
    (("conference", "year"), 2**40, "workshop bugs-2023 conference.year: expected a whole number"),
    (("schedule", 0), "09:00 Opening", "workshop bugs-2023 schedule[0]: expected a mapping"),
]


def _site(app) -> dict:
    with app.app_context():
        return dump_site()


def _state(app) -> tuple:
    with app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.slug == "bugs-2023"))
        return (
            workshop.title,
            workshop.timezone,
            workshop.version,
            *(
                db.session.scalar(select(func.count()).select_from(m))
                for m in (Workshop, Person, ScheduleItem, ImportantDate)
            ),
        )


def _set(document: dict, path: tuple, value) -> None:
    target = next(w for w in document["workshops"] if w["slug"] == "bugs-2023")
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


@pytest.mark.parametrize("path, value, message", BAD)
def test_a_bad_value_is_refused_with_its_place_and_nothing_is_written(
    app, count_queries, path, value, message
):
    document = _site(app)
    bugs = next(w for w in document["workshops"] if w["slug"] == "bugs-2023")
    document["workshops"].remove(bugs)
    document["workshops"].append(bugs)  # after another workshop the file would update first
    document["people"][0]["name"] = "Someone Else"
    bugs["title"] = "A new title"
    _set(document, path, value)
    last = f"workshops[{len(document['workshops']) - 1}]"  # where bugs-2023 is now
    message = message.replace("workshops[0]", last)
    before = _state(app)
    with app.app_context(), count_queries() as counter:
        with pytest.raises(ContentError) as error:
            load_site(document)
        db.session.rollback()
    assert str(error.value).startswith(message), str(error.value)
    assert counter.statements == []  # refused before the first query, let alone a write
    assert _state(app) == before


def test_the_command_names_the_file_record_and_field_and_writes_nothing(app, runner, tmp_path):
    document = _site(app)
    _set(document, ("timezone",), "Mars/Olympus")
    path = tmp_path / "site.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True))
    before = _state(app)
    result = runner.invoke(args=["content", "load", str(path)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {path}: workshop bugs-2023 timezone: 'Mars/Olympus' is not an IANA time zone"
        " such as Europe/Paris\n"
    )
    assert _state(app) == before


def test_a_date_that_does_not_exist_is_named_with_its_line(runner, tmp_path):
    path = tmp_path / "site.yaml"
    path.write_text("format: wsapp/1\nworkshops:\n  - slug: x\n    start_date: 2023-02-30\n")
    result = runner.invoke(args=["content", "load", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "'2023-02-30' is not a valid date" in result.output and "line 4" in result.output


def test_what_the_site_dumps_passes_the_checks_and_loads_back(app):
    document = _site(app)
    with app.app_context():
        load_site(copy.deepcopy(document))
        assert dump_site() == document


@pytest.mark.parametrize(
    "field, value",
    [
        ("timezone", "Mars/Olympus"),
        ("website_url", 'http://localhost"><svg/onload=alert(1)>'),
        ("conference_url", "javascript:alert(1)"),
        ("contact_email", "chairs at example"),
        ("start_date", "2023-02-30"),
    ],
)
def test_the_settings_form_refuses_what_a_content_file_may_not_hold(app, login_as, field, value):
    """One set of rules: the organizer area refuses the same values as `content load`."""
    client = login_as("bugs")
    data = get_form(client, "/manage/bugs-2023/settings")
    before = _state(app)
    response = client.post("/manage/bugs-2023/settings", data={**data, field: value})
    assert response.status_code == 422
    assert _state(app) == before
    document = _site(app)
    path = {"conference_url": ("conference", "url")}.get(field, (field,))
    _set(document, path, value)
    with app.app_context():
        with pytest.raises(ContentError):
            load_site(document)
        db.session.rollback()
