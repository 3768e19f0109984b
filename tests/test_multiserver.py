"""Two app servers on one database and one Redis: what one does, the other sees."""

import re
from urllib.parse import urlencode

import pytest
from accounts import PASSWORD, make_user
from conftest import (
    create_app,
    dispose,
    load_demo,
    reset_database,
    scratch_database,
)
from conftest import test_config as config_for  # not collected as a test under this name
from servers import AppServer, Browser
from sqlalchemy import select

from wsapp.extensions import db
from wsapp.models import ManualState, ScheduleItem, Vote, Workshop
from wsapp.services.voting import codes as ballot_codes
from wsapp.services.voting import votes as voting

ORGANIZER = "two-servers@example.org"
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


def _token(html: str) -> str:
    match = TOKEN.search(html)
    return match.group(1) or match.group(2)


def _form(data: dict) -> bytes:
    return urlencode(data).encode()


pytestmark = pytest.mark.multiserver


@pytest.fixture(scope="module")
def server_pair(database_url, redis_server, tmp_path_factory):
    """Two gunicorn servers on a scratch PostgreSQL database with the demo, for the module.

    Each test starts from an empty Redis (the redis_url fixture) and leaves the database in a
    state the others do not read: a changed title, a login, a ballot of its own.
    """
    if not database_url.startswith("postgresql"):
        pytest.skip("the two-server test runs against PostgreSQL")
    url = scratch_database(database_url)
    media = tmp_path_factory.mktemp("media")
    # edits from this process bump the shared generation
    app = create_app(config_for(url, REDIS_URL=redis_server, MEDIA_DIR=str(media)))
    with app.app_context():
        db.create_all()
        load_demo()
        make_user(ORGANIZER, workshops=["bugs-2023"])
        workshop = db.session.scalar(select(Workshop).where(Workshop.slug == "bugs-2023"))
        for category in voting.categories(workshop):
            category.manual_state = ManualState.OPEN
        db.session.commit()
        db.session.remove()
    env = {
        "WSAPP_DATABASE_URL": url,
        "WSAPP_REDIS_URL": redis_server,
        "WSAPP_SECRET_KEY": app.config["SECRET_KEY"],  # ballot codes derive from it
        "WSAPP_MEDIA_DIR": str(media),
    }
    servers = []
    try:
        servers += [AppServer(env), AppServer(env)]
        yield app, servers
    finally:
        for server in servers:
            server.stop()
        dispose(app)
        reset_database(url)


@pytest.fixture
def two_servers(server_pair, redis_url):
    """The two servers, with the shared Redis (rate limits, page cache) emptied for this test."""
    return server_pair


def test_cache_invalidation_holds_across_servers(two_servers):
    app, (one, two) = two_servers
    visitor = Browser()
    path = "/bugs-2023/schedule"
    for server in (one, two):
        visitor.request(server.url + path)
    status, headers, _ = visitor.request(two.url + path)
    assert headers["X-Cache"] == "hit"  # Redis holds the page for both servers
    with app.app_context():
        item = db.session.scalars(
            select(ScheduleItem).join(Workshop).where(Workshop.slug == "bugs-2023")
        ).first()
        item.title = "Edited between two servers"
        db.session.commit()
    for server in (one, two):
        status, headers, body = visitor.request(server.url + path)
        assert status == 200 and "Edited between two servers" in body


def test_log_in_on_one_server_stays_logged_in_on_the_other(two_servers):
    _, (one, two) = two_servers
    organizer = Browser()
    _, _, page = organizer.request(one.url + "/login")
    status, headers, _ = organizer.request(
        one.url + "/login",
        _form({"email": ORGANIZER, "password": PASSWORD, "csrf_token": _token(page)}),
    )
    assert status == 303
    status, _, body = organizer.request(two.url + "/manage/bugs-2023/")
    assert status == 200 and "bugs-2023" in body
    stranger = Browser()
    status, headers, _ = stranger.request(two.url + "/manage/bugs-2023/")
    assert status in (302, 303) and "/login" in headers["Location"]


def test_log_in_rate_limit_counts_across_servers(two_servers):
    _, servers = two_servers
    attacker = Browser()
    statuses = []
    for attempt in range(6):  # LOGIN_LIMIT_PER_EMAIL allows 5 failures a minute
        server = servers[attempt % 2]
        _, _, page = attacker.request(server.url + "/login")
        status, _, body = attacker.request(
            server.url + "/login",
            _form({"email": ORGANIZER, "password": "wrong", "csrf_token": _token(page)}),
        )
        statuses.append(status)
    assert statuses == [422] * 5 + [429]
    assert "Too many failed log-in attempts" in body


def test_a_vote_changed_on_the_other_server_counts_once(two_servers):
    app, (one, two) = two_servers
    with app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.slug == "bugs-2023"))
        code = ballot_codes.generate_codes(workshop, 1)[0].code
        oral = voting.category(workshop, "best-oral")
        first, second = [p.id for p in voting.candidates(oral)][:2]
        category_id = oral.id
        db.session.commit()
    attendee = Browser()
    _, _, page = attendee.request(f"{one.url}/bugs-2023/vote?code={code}")
    for server, paper in ((one, first), (two, second)):
        status, _, body = attendee.request(
            f"{server.url}/bugs-2023/vote/best-oral",
            _form({"paper": paper, "code": code, "csrf_token": _token(page)}),
            {"HX-Request": "true"},
        )
        assert status == 200, body[:300]
    with app.app_context():
        votes = db.session.scalars(select(Vote).where(Vote.category_id == category_id)).all()
        assert [v.paper_id for v in votes] == [second]


def _typo(code: str) -> str:
    """The code with one character mistyped (its check character then fails)."""
    swap = "2" if code[1] != "2" else "3"
    return code[0] + swap + code[2:]


def test_a_room_of_500_behind_one_address_mistypes_then_votes(two_servers):
    """500 browsers behind one address (a venue's Wi-Fi), spread over both servers: each opens
    the ballot, mistypes its code once, then votes with it. Every vote counts; a guesser at the
    same address, in one browser, is still stopped."""
    from concurrent.futures import ThreadPoolExecutor

    app, servers = two_servers
    with app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.slug == "bugs-2023"))
        codes = [c.code for c in ballot_codes.generate_codes(workshop, 501)]
        oral = voting.category(workshop, "best-oral")
        candidates = [p.id for p in voting.candidates(oral)]
        category_id = oral.id
        earlier = len(db.session.scalars(select(Vote).where(Vote.category_id == oral.id)).all())
        db.session.commit()

    def attendee(n: int) -> tuple[int, int, int]:
        browser, server = Browser(), servers[n % 2].url
        _, _, page = browser.request(f"{server}/bugs-2023/vote")
        wrong, _, _ = browser.request(f"{server}/bugs-2023/vote?code={_typo(codes[n])}")
        other = servers[(n + 1) % 2].url  # the vote lands on the other server
        voted, _, body = browser.request(
            f"{other}/bugs-2023/vote/best-oral",
            _form({"paper": candidates[n % 2], "code": codes[n], "csrf_token": _token(page)}),
        )
        return wrong, voted, len(body)

    with ThreadPoolExecutor(max_workers=12) as pool:
        outcomes = list(pool.map(attendee, range(500)))
    assert [o[0] for o in outcomes] == [422] * 500  # each typo refused, none blocked
    assert [o[1] for o in outcomes] == [303] * 500  # every vote recorded, back to the ballot
    with app.app_context():
        votes = db.session.scalars(select(Vote).where(Vote.category_id == category_id)).all()
        assert len(votes) == earlier + 500  # (another test of the module voted once before)

    guesser = Browser()
    one, two = servers[0].url, servers[1].url
    guesser.request(f"{one}/bugs-2023/vote")
    statuses = [
        guesser.request(f"{(one, two)[i % 2]}/bugs-2023/vote?code=AAAA{i}-BBBBB")[0]
        for i in range(11)
    ]
    assert statuses == [422] * 10 + [429]  # VOTING_CODE_ATTEMPTS_PER_BROWSER: 10 per 10 min
    status, headers, body = guesser.request(f"{two}/bugs-2023/vote?code={codes[500]}")
    assert status == 429 and int(headers["Retry-After"]) > 0
    assert "Too many wrong codes from this browser" in body
