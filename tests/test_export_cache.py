"""Exports are cached like pages: hits, invalidation by an edit, ETag and 304 for pollers."""

import time

import pytest
from sqlalchemy import select

from wsapp import caching
from wsapp.extensions import db
from wsapp.models import ImportantDate, ScheduleItem, Workshop

EXPORTS = ["/bugs-2023/schedule.ics", "/bugs-2023/schedule.xml", "/bugs-2023/schedule.json"]


def _first_item(slug: str = "bugs-2023") -> ScheduleItem:
    return db.session.scalar(
        select(ScheduleItem)
        .join(Workshop)
        .where(Workshop.slug == slug, ScheduleItem.title.is_not(None), ScheduleItem.title != "")
        .order_by(ScheduleItem.start_dt, ScheduleItem.id)
        .limit(1)
    )


def _rename_first_item(app, title: str) -> str:
    with app.app_context():
        item = _first_item()
        original, item.title = item.title, title
        db.session.commit()
    return original


@pytest.mark.parametrize("path", EXPORTS + ["/bugs-2023/dates.ics"])
def test_second_request_is_a_hit_with_the_same_file(client, path):
    first = client.get(path)
    second = client.get(path)
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("miss", "hit")
    assert second.data == first.data
    for name in ("Content-Type", "Content-Disposition", "ETag"):
        assert second.headers[name] == first.headers[name]


@pytest.mark.parametrize("path", EXPORTS)
def test_an_edit_invalidates_every_export(app, client, path):
    assert "A Freshly Edited Title" not in client.get(path).text
    assert client.get(path).headers["X-Cache"] == "hit"
    _rename_first_item(app, "A Freshly Edited Title")
    after = client.get(path)
    assert after.headers["X-Cache"] == "miss"
    assert "A Freshly Edited Title" in after.text


def test_an_edited_date_invalidates_the_dates_calendar(app, client):
    client.get("/bugs-2023/dates.ics")
    with app.app_context():
        date = db.session.scalar(
            select(ImportantDate).join(Workshop).where(Workshop.slug == "bugs-2023").limit(1)
        )
        date.label = "A Moved Deadline"
        db.session.commit()
    assert "A Moved Deadline" in client.get("/bugs-2023/dates.ics").text


@pytest.mark.parametrize("path", EXPORTS)
def test_pollers_get_304_until_an_edit(app, client, path, monkeypatch):
    etag = client.get(path).headers["ETag"]
    polled = client.get(path, headers={"If-None-Match": etag})
    assert polled.status_code == 304 and polled.data == b""
    # past its freshness the entry is rendered again; the same content keeps its tag
    later = time.time() + app.config["PAGE_CACHE_SECONDS"] + 1
    monkeypatch.setattr(caching.time, "time", lambda: later)
    rendered = client.get(path, headers={"If-None-Match": etag})
    assert rendered.headers["X-Cache"] == "miss"
    assert rendered.status_code == 304 and rendered.data == b""
    _rename_first_item(app, "Polled And Changed")
    changed = client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "Polled And Changed" in changed.text
    assert changed.headers["ETag"] != etag


def test_exports_in_redis_are_shared_and_invalidated(make_app, redis_url):
    one, two = make_app(REDIS_URL=redis_url), make_app(REDIS_URL=redis_url)
    path = "/bugs-2023/schedule.ics"
    first = one.test_client().get(path)
    second = two.test_client().get(path)
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("miss", "hit")
    polled = two.test_client().get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert polled.status_code == 304
    original = _rename_first_item(one, "Renamed Through Redis")
    try:
        # the other server hears of the edit when Redis delivers its message (GenerationWatch)
        deadline = time.monotonic() + 5
        after = two.test_client().get(path)
        while "Renamed Through Redis" not in after.text and time.monotonic() < deadline:
            time.sleep(0.01)
            after = two.test_client().get(path)
        assert after.headers["X-Cache"] == "miss" and "Renamed Through Redis" in after.text
    finally:
        _rename_first_item(one, original)  # leave the shared test database as it was


def test_a_hit_runs_one_light_query_without_redis(client, count_queries):
    client.get("/bugs-2023/schedule.xml")
    with count_queries() as counter:
        assert client.get("/bugs-2023/schedule.xml").headers["X-Cache"] == "hit"
    assert counter.count == 1
