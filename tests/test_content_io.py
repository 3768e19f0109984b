"""The content format: demo load is idempotent and a dump loads back to the same records."""

import datetime as dt

import pytest
import yaml
from sqlalchemy import func, select

from wsapp.extensions import db
from wsapp.models import (
    Announcement,
    CallForPapers,
    ImportantDate,
    Institution,
    MovedDeadline,
    NewsPost,
    Paper,
    Person,
    Role,
    ScheduleItem,
    Sponsor,
    Workshop,
)
from wsapp.models.program import presenters
from wsapp.services.content.demo import demo_content
from wsapp.services.content.site import ContentError, dump_site, load_site

TABLES = [
    Workshop,
    Person,
    Role,
    ScheduleItem,
    Paper,
    CallForPapers,
    ImportantDate,
    MovedDeadline,
    Sponsor,
    Institution,
    NewsPost,
    Announcement,
]


def counts() -> dict[str, int]:
    result = {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in TABLES}
    result["presenters"] = db.session.scalar(select(func.count()).select_from(presenters))
    return result


def test_demo_counts(app):
    with app.app_context():
        c = counts()
    assert c["Workshop"] == 2
    assert c["ScheduleItem"] == 38
    assert c["Paper"] == 10
    assert c["NewsPost"] == 1


def test_demo_load_is_idempotent(app):
    runner = app.test_cli_runner()
    with app.app_context():
        before = counts()
    for _ in range(2):
        result = runner.invoke(args=["demo", "load"])
        assert result.exit_code == 0, result.output
    with app.app_context():
        assert counts() == before


def test_dump_load_round_trip(app):
    with app.app_context():
        first = dump_site()
        load_site(yaml.safe_load(yaml.safe_dump(first, allow_unicode=True)))
        db.session.commit()
        assert dump_site() == first


def test_demo_file_survives_round_trip(app):
    """What the demo file says is exactly what a dump says (values, order, instants)."""
    source = demo_content()
    with app.app_context():
        dumped = dump_site()
    by_slug = {w["slug"]: w for w in dumped["workshops"]}
    for workshop in source["workshops"]:
        got = by_slug[workshop["slug"]]
        assert got["title"] == workshop["title"]
        assert [i["title"] for i in got["schedule"]] == [i["title"] for i in workshop["schedule"]]
        for mine, theirs in zip(got["schedule"], workshop["schedule"], strict=True):
            assert dt.datetime.fromisoformat(mine["start"]) == _instant(theirs["start"])
        assert [r["person"] for r in got["speakers"]] == [r["person"] for r in workshop["speakers"]]
        assert got["cfp"]["topics"] == workshop["cfp"]["topics"]


def _instant(value):
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("format"), "not a wsapp/1 document"),
        (
            lambda d: d["workshops"][0]["schedule"][0].update(start="2023-12-15T08:55:00"),
            "has no UTC offset",
        ),
        (lambda d: d["workshops"][0]["schedule"][0].update(start="tomorrow"), "not an ISO 8601"),
        (lambda d: d["workshops"][0]["schedule"][0].update(kind="party"), "unknown kind"),
        (lambda d: d["workshops"][0]["speakers"][0].update(person="nobody"), "unknown person"),
        (lambda d: d["workshops"][0]["schedule"][3].update(paper="nope"), "unknown paper"),
    ],
)
def test_bad_content_is_refused_with_a_clear_message(app, mutate, message):
    data = demo_content()
    for row in data["workshops"][0]["schedule"]:
        for key in ("start", "end"):
            row[key] = row[key].isoformat() if isinstance(row[key], dt.datetime) else row[key]
    mutate(data)
    with app.app_context(), pytest.raises(ContentError, match=message):
        load_site(data)


def test_cli_refuses_bad_file_without_writing(app, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "format: wsapp/1\nworkshops:\n  - slug: x\n    title: X\n    schedule:\n"
        "      - {start: '2024-01-01T09:00:00', end: '2024-01-01T10:00:00'}\n"
    )
    result = app.test_cli_runner().invoke(args=["content", "load", str(path)])
    assert result.exit_code != 0
    assert "no UTC offset" in result.output
    with app.app_context():
        assert db.session.scalar(select(Workshop).where(Workshop.slug == "x")) is None


def test_cli_dump_then_load(app, tmp_path):
    runner = app.test_cli_runner()
    path = tmp_path / "site.yaml"
    assert runner.invoke(args=["content", "dump", str(path)]).exit_code == 0
    with app.app_context():
        before = counts()
    result = runner.invoke(args=["content", "load", str(path)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert counts() == before


def test_instants_are_aware_utc(app):
    with app.app_context():
        item = db.session.scalars(select(ScheduleItem).order_by(ScheduleItem.start_dt)).first()
        assert item.start_dt.tzinfo is not None
        assert item.start_dt.utcoffset() == dt.timedelta(0)
        with pytest.raises(Exception, match="naive datetime"):
            item.start_dt = dt.datetime(2023, 1, 1)
            db.session.flush()
