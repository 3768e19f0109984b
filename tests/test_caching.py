"""The page cache: hits, per-session CSRF tokens, invalidation by every edit, 304s, bypasses."""

import pytest
from sqlalchemy import select

from wsapp.extensions import db
from wsapp.models import Person, ScheduleItem, Sponsor, Workshop

SCHEDULE = "/bugs-2023/schedule"


def _token(html: str) -> str:
    return html.split('"X-CSRFToken": "')[1].split('"')[0]


def test_second_request_is_a_hit(client):
    assert client.get(SCHEDULE).headers["X-Cache"] == "miss"
    assert client.get(SCHEDULE).headers["X-Cache"] == "hit"


def test_each_visitor_gets_their_own_token_and_nonce(app):
    first, second = app.test_client(), app.test_client()
    a, b = first.get(SCHEDULE), second.get(SCHEDULE)
    assert b.headers["X-Cache"] == "hit"
    assert _token(a.text) != _token(b.text)
    nonce = b.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in b.text
    # the token served from the cache is valid for its session
    with second.session_transaction() as sess:
        raw = sess["csrf_token"]
    from itsdangerous import URLSafeTimedSerializer

    assert URLSafeTimedSerializer("test-secret", salt="wtf-csrf-token").loads(_token(b.text)) == raw


@pytest.mark.parametrize(
    "edit",
    [
        lambda w: setattr(db.session.scalars(select(ScheduleItem).where(
            ScheduleItem.workshop_id == w.id, ScheduleItem.number == 1,
            ScheduleItem.kind == "invited_talk")).one(), "title", "A Brand New Title"),
        lambda w: setattr(db.session.scalar(select(Person).where(Person.key == "yiming-li")),
                          "name", "A Brand New Title"),
        lambda w: db.session.add(Sponsor(workshop_id=w.id, name="A Brand New Title")),
    ],
    ids=["schedule-item", "person", "new-sponsor"],
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
        item = db.session.scalars(select(ScheduleItem).join(Workshop).where(
            Workshop.slug == "bugs-2023")).first()
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
