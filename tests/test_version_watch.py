"""The page cache without Redis on PostgreSQL: content versions known in memory, forgotten when
another server's edit sends its notice (wsapp/version_watch.py), never trusted past what the
listener can vouch for."""

import time

import conftest
import pytest
from conftest import dispose, end_connections, load_demo
from sqlalchemy import event, select, text

from wsapp import create_app, version_watch
from wsapp.extensions import db
from wsapp.models import ScheduleItem

SCHEDULE = "/bugs-2023/schedule"


@pytest.fixture
def servers(fresh_app, database_url):
    """Two apps on one committed PostgreSQL database, as two servers without Redis: (reader,
    writer, the statements the reader's engine runs)."""
    if database_url.startswith("sqlite"):
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's; without it every hit reads the version")
    reader = fresh_app()
    with reader.app_context():
        db.create_all()
        load_demo()
        engine = db.engine
    writer = create_app(conftest.test_config(reader.config["DATABASE_URL"]))
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    yield reader, writer, statements
    dispose(writer)


def listening(app, client) -> version_watch.VersionWatch:
    """The reader's watch, once it listens (the first hit starts it)."""
    client.get(SCHEDULE)  # a miss: the page is stored
    assert client.get(SCHEDULE).headers["X-Cache"] == "hit"
    watch = app.extensions["wsapp_version_watch"]
    deadline = time.monotonic() + 10
    while not watch._listening and time.monotonic() < deadline:
        time.sleep(0.05)
    assert watch._listening
    return watch


def until(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def rename(app, title: str) -> None:
    with app.app_context():
        item = db.session.scalars(select(ScheduleItem).where(ScheduleItem.number == 1)).first()
        item.title = title
        db.session.commit()


def test_hits_read_nothing_and_another_servers_edit_is_seen(servers):
    reader, writer, statements = servers
    client = reader.test_client()
    listening(reader, client)
    assert client.get(SCHEDULE).headers["X-Cache"] == "hit"  # reads the version, keeps it
    statements.clear()
    for _ in range(3):
        assert client.get(SCHEDULE).headers["X-Cache"] == "hit"
    assert statements == []
    rename(writer, "Edited On Another Server")
    assert until(lambda: "Edited On Another Server" in client.get(SCHEDULE).text)


def test_a_rolled_back_edit_sends_no_notice(servers):
    reader, writer, statements = servers
    client = reader.test_client()
    watch = listening(reader, client)
    client.get(SCHEDULE)
    epoch = watch.epoch()
    with writer.app_context():
        item = db.session.scalars(select(ScheduleItem).where(ScheduleItem.number == 1)).first()
        item.title = "Never Committed"
        db.session.flush()
        db.session.rollback()
    rename(writer, "Committed After")  # a notice that does arrive, to wait for
    assert until(lambda: watch.epoch() != epoch)
    assert "Never Committed" not in client.get(SCHEDULE).text


def test_without_its_listener_every_hit_reads_the_version(servers, monkeypatch):
    reader, writer, statements = servers
    monkeypatch.setattr(version_watch, "RETRY", 3.0)  # long enough to look while it is down
    client = reader.test_client()
    watch = listening(reader, client)
    assert end_connections(writer, "query LIKE 'LISTEN%'") == 1
    assert until(lambda: not watch._listening)
    # An edit made by hand in SQL sends no notice: seen at once while nothing is trusted...
    with writer.app_context():
        db.session.execute(text("UPDATE workshop SET content_version = content_version + 1"))
        db.session.execute(text("UPDATE schedule_item SET title = 'By Hand' WHERE number = 1"))
        db.session.commit()
    assert "By Hand" in client.get(SCHEDULE).text
    assert until(lambda: watch._listening, 10)  # it listens again


def test_an_edit_without_a_notice_is_seen_within_the_trust_limit(servers, monkeypatch):
    reader, writer, statements = servers
    monkeypatch.setattr(version_watch, "MAX_TRUST", 0.5)
    client = reader.test_client()
    listening(reader, client)
    client.get(SCHEDULE)
    with writer.app_context():
        db.session.execute(text("UPDATE workshop SET content_version = content_version + 1"))
        db.session.execute(text("UPDATE schedule_item SET title = 'By Hand' WHERE number = 1"))
        db.session.commit()
    assert until(lambda: "By Hand" in client.get(SCHEDULE).text, 3)


def test_redis_hits_come_from_memory_while_the_generation_is_heard(make_app, redis_url):
    """With Redis, a process answers hits from the entries it fetched, with no round trip, while
    it hears each bump of the generation; another server's edit arrives as a message, and
    without its subscription every hit asks Redis again."""
    import redis
    from test_export_cache import _rename_first_item

    one, two = make_app(REDIS_URL=redis_url), make_app(REDIS_URL=redis_url)
    client = two.test_client()
    cache = two.extensions["wsapp_page_cache"]
    client.get(SCHEDULE)
    client.get(SCHEDULE)
    assert until(lambda: cache.watch._listening)
    assert client.get(SCHEDULE).headers["X-Cache"] == "hit"  # fetched once more, and kept
    asked = []
    mget = cache.client.mget
    cache.client.mget = lambda *keys: asked.append(keys) or mget(*keys)
    for _ in range(3):
        assert client.get(SCHEDULE).headers["X-Cache"] == "hit"
    assert asked == []
    original = _rename_first_item(one, "Renamed And Announced")
    try:
        assert until(lambda: "Renamed And Announced" in client.get(SCHEDULE).text)
        redis.Redis.from_url(redis_url).client_kill_filter(_type="pubsub")
        assert until(lambda: not cache.watch._listening)
        asked.clear()
        client.get(SCHEDULE)
        assert asked  # nothing trusted: Redis is asked
    finally:
        _rename_first_item(one, original)  # leave the shared test database as it was
