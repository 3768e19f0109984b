"""The page cache: hits before Flask, no visitor secrets, encodings, invalidation, bypasses."""

import pytest
from conftest import load_demo
from sqlalchemy import select

from wsapp.extensions import db
from wsapp.models import Person, Role, ScheduleItem, Sponsor, Workshop

SCHEDULE = "/bugs-2023/schedule"


def _nonce(response) -> str:
    return response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]


def test_second_request_is_a_hit(client):
    assert client.get(SCHEDULE).headers["X-Cache"] == "miss"
    assert client.get(SCHEDULE).headers["X-Cache"] == "hit"


def test_cached_pages_carry_no_visitor_secret_and_set_no_cookie(app):
    first, second = app.test_client(), app.test_client()
    a, b = first.get(SCHEDULE), second.get(SCHEDULE)
    assert (a.headers["X-Cache"], b.headers["X-Cache"]) == ("miss", "hit")
    assert a.text == b.text
    assert "X-CSRFToken" not in b.text and "csrf_token" not in b.text
    assert "Set-Cookie" not in a.headers and "Set-Cookie" not in b.headers
    # every response gets its own nonce, and no cached body carries an earlier one
    assert _nonce(a) != _nonce(b)
    assert _nonce(a) not in b.text and _nonce(b) not in b.text
    assert a.headers["X-Request-ID"] != b.headers["X-Request-ID"]
    for name in (
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Permissions-Policy",
        "X-Frame-Options",
    ):
        assert a.headers[name] == b.headers[name]


def test_hits_are_sent_compressed_as_stored(client):
    import gzip

    import brotli

    plain = client.get(SCHEDULE)
    for encoding, decode in (("gzip", gzip.decompress), ("br", brotli.decompress)):
        response = client.get(SCHEDULE, headers={"Accept-Encoding": encoding})
        assert response.headers["X-Cache"] == "hit"
        assert response.headers["Content-Encoding"] == encoding
        assert "Accept-Encoding" in response.headers["Vary"]
        assert int(response.headers["Content-Length"]) == len(response.data) < len(plain.data) / 4
        assert decode(response.data) == plain.data
        assert response.headers["ETag"] != plain.headers["ETag"]  # one tag per representation


def test_head_of_a_cached_page_has_no_body(client):
    client.get(SCHEDULE)
    response = client.head(SCHEDULE)
    assert response.headers["X-Cache"] == "hit" and response.data == b""
    assert int(response.headers["Content-Length"]) > 10_000


def test_other_query_parameters_are_not_cached_and_do_not_leak(client):
    poisoned = client.get(SCHEDULE + "?utm=injected-marker")
    assert "injected-marker" in poisoned.text  # the language switch keeps other parameters
    assert "X-Cache" not in poisoned.headers
    assert "injected-marker" not in client.get(SCHEDULE).text
    assert "injected-marker" not in client.get(SCHEDULE).text


def test_hosts_are_cached_apart(client):
    # pages name their own address (canonical link, og:url), so each host has its own entry
    assert client.get(SCHEDULE, base_url="http://one.example").headers["X-Cache"] == "miss"
    assert client.get(SCHEDULE, base_url="http://two.example").headers["X-Cache"] == "miss"
    assert client.get(SCHEDULE, base_url="http://two.example").headers["X-Cache"] == "hit"
    assert client.get(SCHEDULE, base_url="https://two.example").headers["X-Cache"] == "miss"


def test_anonymous_session_is_served_from_the_cache_but_messages_wait(client):
    client.get(SCHEDULE)
    with client.session_transaction() as sess:
        sess["csrf_token"] = "a voter's token"
    assert client.get(SCHEDULE).headers["X-Cache"] == "hit"
    with client.session_transaction() as sess:
        sess["_flashes"] = [("success", "A message waiting to be shown")]
    assert "X-Cache" not in client.get(SCHEDULE).headers  # Flask renders it, the session is kept
    with client.session_transaction() as sess:
        assert sess["_flashes"] == [("success", "A message waiting to be shown")]


def test_rejected_zone_is_not_cached(client):
    for _ in range(2):
        response = client.get(SCHEDULE + "?tz=Mars/Olympus")
        assert "X-Cache" not in response.headers and "Mars/Olympus" in response.text


def test_memory_backend_hit_reads_only_the_content_version(client, count_queries):
    client.get(SCHEDULE)
    with count_queries() as counter:
        assert client.get(SCHEDULE).headers["X-Cache"] == "hit"
    assert counter.count == 1


def test_memory_backend_checks_a_committed_database_in_one_read(fresh_app):
    """On a real engine (not the tests' one connection) a hit reads the content version on a
    pooled connection, with one statement, and still sees another session's edit."""
    from sqlalchemy import event

    app = fresh_app()
    with app.app_context():
        db.create_all()
        load_demo()
        engine = db.engine
    client = app.test_client()
    assert client.get(SCHEDULE).headers["X-Cache"] == "miss"
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    hit = client.get(SCHEDULE)
    assert hit.headers["X-Cache"] == "hit"
    statements = [s for s in statements if s != "BEGIN"]  # SQLite's own (wsapp.extensions)
    assert len(statements) == 1 and "content_version" in statements[0]
    with app.app_context():
        item = db.session.scalars(select(ScheduleItem).where(ScheduleItem.number == 1)).first()
        item.title = "Edited Elsewhere"
        db.session.commit()
    after = client.get(SCHEDULE)
    assert after.headers["X-Cache"] == "miss" and "Edited Elsewhere" in after.text


@pytest.mark.parametrize(
    "edit",
    [
        lambda w: setattr(
            db.session.scalars(
                select(ScheduleItem).where(
                    ScheduleItem.workshop_id == w.id,
                    ScheduleItem.number == 1,
                    ScheduleItem.kind == "invited_talk",
                )
            ).one(),
            "title",
            "A Brand New Title",
        ),
        lambda w: setattr(  # a person as the workshop shows them: their role there
            db.session.scalar(
                select(Role).where(
                    Role.workshop_id == w.id,
                    Role.person.has(Person.key == "yiming-li"),
                    Role.kind == "speaker",
                )
            ),
            "name",
            "A Brand New Title",
        ),
        lambda w: db.session.add(Sponsor(workshop_id=w.id, name="A Brand New Title")),
    ],
    ids=["schedule-item", "role", "new-sponsor"],
)
def test_every_edit_invalidates(app, client, edit):
    path = "/bugs-2023/organizers" if "sponsor" in str(edit) else SCHEDULE
    for target in (SCHEDULE, "/bugs-2023/organizers"):
        client.get(target)
        assert client.get(target).headers["X-Cache"] == "hit"
    with app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.slug == "bugs-2023"))
        before = workshop.content_version
        edit(workshop)
        db.session.commit()
        db.session.refresh(workshop)
        assert workshop.content_version > before
    pages = [client.get(SCHEDULE), client.get("/bugs-2023/organizers")]
    assert all(p.headers["X-Cache"] == "miss" for p in pages)
    assert any("A Brand New Title" in p.text for p in pages), path


def test_other_workshop_stays_cached(app, client):
    client.get("/synthetic-2024/schedule")
    with app.app_context():
        item = db.session.scalars(
            select(ScheduleItem).join(Workshop).where(Workshop.slug == "bugs-2023")
        ).first()
        item.title = "Changed"
        db.session.commit()
    assert client.get("/synthetic-2024/schedule").headers["X-Cache"] == "hit"


def test_etag_gives_304_and_changes_after_edit(app, client):
    first = client.get(SCHEDULE)
    etag = first.headers["ETag"]
    assert first.headers["Last-Modified"]
    again = client.get(SCHEDULE, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    with app.app_context():
        item = db.session.scalars(select(ScheduleItem)).first()
        item.title = "Changed again"
        db.session.commit()
    assert client.get(SCHEDULE, headers={"If-None-Match": etag}).status_code == 200


def test_fragment_and_page_cached_apart(client):
    page = client.get(SCHEDULE)
    fragment = client.get(SCHEDULE, headers={"HX-Request": "true"})
    assert "<html" in page.text and "<html" not in fragment.text
    assert "HX-Request" in client.get(SCHEDULE, headers={"HX-Request": "true"}).headers["Vary"]


def test_logged_in_users_bypass_the_cache(client):
    client.get(SCHEDULE)
    with client.session_transaction() as sess:
        sess["_user_id"] = "1"
    assert "X-Cache" not in client.get(SCHEDULE).headers


def test_not_found_is_not_cached(client):
    assert "X-Cache" not in client.get("/bugs-2023/news/nope").headers


def test_redis_backend_is_shared_between_apps(make_app, redis_url):
    one = make_app(REDIS_URL=redis_url)
    two = make_app(REDIS_URL=redis_url)
    assert one.test_client().get(SCHEDULE).headers["X-Cache"] == "miss"
    assert two.test_client().get(SCHEDULE).headers["X-Cache"] == "hit"


def test_redis_hit_needs_no_database_and_edits_bump_the_generation(make_app, redis_url):
    from sqlalchemy import event

    app = make_app(REDIS_URL=redis_url)
    client = app.test_client()
    assert client.get(SCHEDULE).headers["X-Cache"] == "miss"
    statements = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get(SCHEDULE).headers["X-Cache"] == "hit"
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert statements == []
    with app.app_context():
        generation = app.extensions["wsapp_page_cache"].generation()
        item = db.session.scalars(select(ScheduleItem)).first()
        original, item.title = item.title, "Bumped"
        db.session.commit()
        assert app.extensions["wsapp_page_cache"].generation() == generation + 1
        item.title = original  # leave the shared test database as it was
        db.session.commit()


def test_an_expired_page_is_rendered_by_one_request_while_others_get_it_stale(
    app, client, monkeypatch
):
    import time

    from wsapp import caching

    first = client.get(SCHEDULE)
    later = time.time() + app.config["PAGE_CACHE_SECONDS"] + 1
    monkeypatch.setattr(caching.time, "time", lambda: later)
    backend = app.extensions["wsapp_page_cache"]
    real_claim = backend.claim_refresh
    calls = []

    def claim(key):
        calls.append(key)
        # the first time, another request (or server) is rendering it right now
        return False if len(calls) == 1 else real_claim(key)

    monkeypatch.setattr(backend, "claim_refresh", claim)

    stale = client.get(SCHEDULE)
    assert stale.headers["X-Cache"] == "stale" and stale.data == first.data
    assert client.get(SCHEDULE).headers["X-Cache"] == "miss"  # this one claims it and renders
    assert client.get(SCHEDULE).headers["X-Cache"] == "hit"  # fresh again
    assert len(calls) == 2


def test_only_one_server_claims_the_refresh(redis_url):
    from wsapp.caching import RedisCache

    one, two = RedisCache(redis_url), RedisCache(redis_url)
    assert one.claim_refresh("wsapp:page:k") is True
    assert two.claim_refresh("wsapp:page:k") is False
    assert one.claim_refresh("wsapp:page:other") is True
