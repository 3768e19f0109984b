"""Every zone, every instant: the time shown for an item is its UTC instant converted by zoneinfo.

The service is checked exhaustively (every zone in zoneinfo.available_timezones() at each of its
offset changes in 2023-2024, the minute before and the minute after) and with hypothesis; whole
pages are rendered for a hypothesis sample of zones and instants, DST transitions included.
"""

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from babel.dates import format_time
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from wsapp.extensions import db
from wsapp.models import ItemKind, ScheduleItem, Workshop
from wsapp.services.schedule import build_days
from wsapp.timezones.formats import format_day

ALL_ZONES = sorted(available_timezones())
UTC = dt.UTC


def offset_changes(name: str, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    """The instants at which `name` changes its UTC offset between start and end (to the minute)."""
    tz, changes = ZoneInfo(name), []
    step = dt.timedelta(days=1)
    at = start
    while at < end:
        if at.astimezone(tz).utcoffset() != (at + step).astimezone(tz).utcoffset():
            low, high = at, at + step
            while high - low > dt.timedelta(minutes=1):
                mid = low + (high - low) / 2
                if mid.astimezone(tz).utcoffset() == low.astimezone(tz).utcoffset():
                    low = mid
                else:
                    high = mid
            changes.append(high.replace(second=0, microsecond=0))
        at += step
    return changes


@lru_cache(maxsize=1)
def transitions() -> dict[str, list[dt.datetime]]:
    start, end = dt.datetime(2023, 1, 1, tzinfo=UTC), dt.datetime(2025, 1, 1, tzinfo=UTC)
    return {name: offset_changes(name, start, end) for name in ALL_ZONES}


def around(instants: list[dt.datetime]) -> list[dt.datetime]:
    minute = dt.timedelta(minutes=1)
    return [t + d for t in instants for d in (-minute, dt.timedelta(0), minute, 30 * minute)]


def items_at(instants: list[dt.datetime]) -> list[ScheduleItem]:
    """Transient items (never saved) starting at the instants, sorted as the query sorts them."""
    return [
        ScheduleItem(
            id=n, start_dt=t, end_dt=t + dt.timedelta(minutes=25), kind=ItemKind.ORAL, block=n % 3
        )
        for n, t in enumerate(sorted(instants), start=1)
    ]


def check_days(items, zone: str, locale: str = "en", venue: str = "America/Chicago") -> None:
    tz = ZoneInfo(zone)
    days = build_days(items, zone, locale, venue_tz=venue)
    rows = [row for day in days for block in day.blocks for row in block]
    assert [row.item for row in rows] == items
    for day in days:
        assert day.heading == format_day(day.date, locale)
        for row in (row for block in day.blocks for row in block):
            expected = row.item.start_dt.astimezone(tz)
            assert row.start == expected and row.start.utcoffset() == expected.utcoffset()
            assert row.start_text == format_time(expected, "short", locale=locale)
            assert row.end == row.item.end_dt.astimezone(tz)
            assert day.date == expected.date()
            if zone != venue:
                assert row.venue_start == row.item.start_dt.astimezone(ZoneInfo(venue))
    assert [d.date for d in days] == sorted({d.date for d in days})


def test_transitions_are_found():
    found = transitions()
    assert dt.datetime(2023, 3, 26, 1, 0, tzinfo=UTC) in found["Europe/Zurich"]
    assert dt.datetime(2023, 11, 5, 7, 0, tzinfo=UTC) in found["America/Chicago"]
    assert (
        dt.datetime(2024, 4, 6, 15, 0, tzinfo=UTC) in found["Australia/Lord_Howe"]
    )  # a 30-minute DST
    assert found["Asia/Tokyo"] == []


def test_every_zone_at_its_own_transitions():
    """Exhaustive over available_timezones(): each zone around each of its offset changes."""
    noon = [
        dt.datetime(2023, 12, 15, 14, 55, tzinfo=UTC),
        dt.datetime(2024, 6, 30, 23, 59, tzinfo=UTC),
    ]
    for zone in ALL_ZONES:
        check_days(items_at(around(transitions()[zone]) + noon), zone)


TRANSITION_INSTANTS = sorted({t for changes in transitions().values() for t in changes})
instants = st.one_of(
    st.sampled_from(TRANSITION_INSTANTS).flatmap(
        lambda t: st.integers(-90, 90).map(lambda m: t + dt.timedelta(minutes=m))
    ),
    st.datetimes(
        min_value=dt.datetime(1901, 1, 1),
        max_value=dt.datetime(2099, 12, 31),
        timezones=st.just(UTC),
    ),
)


@settings(max_examples=400, deadline=None)
@given(
    zone=st.sampled_from(ALL_ZONES),
    venue=st.sampled_from(ALL_ZONES),
    when=st.lists(instants, min_size=1, max_size=8),
    locale=st.sampled_from(["en", "en_GB", "de", "fr", "ja", "ar"]),
)
def test_any_zone_any_instant(zone, venue, when, locale):
    check_days(items_at(when), zone, locale, venue)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(zone=st.sampled_from(ALL_ZONES), when=st.lists(instants, min_size=3, max_size=3))
def test_whole_page_shows_each_instant_in_the_zone(app, client, zone, when):
    """Three bugs-2023 items moved to the drawn instants; the page shows every item right."""
    with app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.slug == "bugs-2023"))
        items = db.session.scalars(
            select(ScheduleItem)
            .where(ScheduleItem.workshop_id == workshop.id)
            .order_by(ScheduleItem.id)
        ).all()
        for item, start in zip(items, when, strict=False):
            item.start_dt, item.end_dt = start, start + dt.timedelta(minutes=20)
        db.session.commit()
        expected = {f"item-{i.id}": (i.start_dt, i.end_dt) for i in items}
    response = client.get("/bugs-2023/schedule", query_string={"tz": zone})
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    rows = soup.select("#schedule tr.item")
    assert {tr["id"] for tr in rows} == set(expected)
    tz, venue = ZoneInfo(zone), ZoneInfo("America/Chicago")
    for tr in rows:
        start, end = expected[tr["id"]]
        shown = tr.select("td.time > time")[0]
        assert shown["datetime"] == start.astimezone(tz).isoformat()
        assert shown.get_text() == format_time(start.astimezone(tz), "short", locale="en")
        assert tr.select_one("td.time .end time")["datetime"] == end.astimezone(tz).isoformat()
        caption = tr.find_parent("table").caption.get_text()
        assert caption.startswith(format_day(start.astimezone(tz).date(), "en"))
        if zone != "America/Chicago":
            venue_time = tr.select_one(".venue-time time")
            assert venue_time["datetime"] == start.astimezone(venue).isoformat()
