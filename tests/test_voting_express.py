"""The express path of a vote (wsapp/blueprints/voting_express.py) held to the vote endpoint:
the same answer byte for byte where it answers, and Flask's answer everywhere else."""

import gzip

import brotli
import pytest
from conftest import end_connections, load_demo
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select, update
from voting_helpers import CLOSES, DURING, csrf, issue_codes, orals, set_clock, set_mode, vote_count

from wsapp.blueprints.voting_express import VoteExpress
from wsapp.extensions import db
from wsapp.models import AwardCategory, Ballot, ManualState, Paper, Vote, VotingMode, Workshop

URL = "/bugs-2023/vote/best-oral"
HX = {"HX-Request": "true", "HX-Target": "ballot-best-oral"}
# a fresh value in every response, whichever path answers
VOLATILE = {"content-security-policy", "x-request-id", "date"}
ANSWERS: list = []  # see the `answers` fixture


@pytest.fixture(autouse=True)
def answers(monkeypatch) -> list:
    """What the express path made of each request (None: it handed the request to Flask)."""
    seen = ANSWERS
    seen.clear()
    vote = VoteExpress._vote

    def recorded(self, environ, body):
        seen.append(vote(self, environ, body))
        return seen[-1]

    monkeypatch.setattr(VoteExpress, "_vote", recorded)
    return seen


def paper_ids(app) -> list[int]:
    with app.app_context():
        return [p.id for p in orals()]


def open_ballot(app, client, mode=VotingMode.CODES, base="") -> str:
    """Open this client's ballot, cast its first vote through Flask; returns the CSRF token."""
    set_clock(app, DURING)
    if mode == VotingMode.OPEN:
        set_mode(app, VotingMode.OPEN)
        token = csrf(client.get("/bugs-2023/vote", **_at(base)).text)
        extra = {}
    else:
        code = issue_codes(app, 1)[0]
        token = csrf(client.get(f"/bugs-2023/vote?code={code}", **_at(base)).text)
        extra = {"code": code}
    first = cast(app, client, token, paper_ids(app)[0], express=False, base=base, **extra)
    assert first.status_code == 200 and not answered(first)
    return token


def cast(app, client, token, paper, express=True, base="", headers=None, **fields):
    app.config["VOTE_EXPRESS"] = express
    before = len(ANSWERS)
    response = client.post(
        URL,
        data={"csrf_token": token, "paper": paper, **fields},
        headers={**HX, **(headers or {})},
        **_at(base),
    )
    response.express = any(answer is not None for answer in ANSWERS[before:])
    return response


def _at(base: str) -> dict:
    return {"base_url": base} if base else {}


def answered(response) -> bool:
    """True when the express path answered it."""
    return response.express


def page_text(app, response) -> str:
    """The body, decoded, with its CSRF token's timestamp and signature left out (they change
    every second; the token's value must not)."""
    body = response.get_data()
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        body = brotli.decompress(body)
    elif encoding == "gzip":
        body = gzip.decompress(body)
    html = body.decode()
    token = csrf(html)
    serializer = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token")
    return html.replace(token, "token:" + serializer.loads(token))


def headers(response) -> list[tuple[str, str]]:
    kept = [(k.lower(), v) for k, v in response.headers if k.lower() not in VOLATILE]
    if response.headers.get("Content-Encoding"):  # the token differs, so its compression
        kept = [(k, v) for k, v in kept if k != "content-length"]
    return sorted(kept)


def assert_same(app, express, flask):
    assert answered(express) and not answered(flask)
    assert express.status_code == flask.status_code == 200
    assert headers(express) == headers(flask)
    assert page_text(app, express) == page_text(app, flask)
    assert "Set-Cookie" not in express.headers
    assert express.headers["Content-Security-Policy"] != flask.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "cookies, sent",
    [
        ({}, {}),
        ({}, {"Accept-Encoding": "br"}),
        ({}, {"Accept-Encoding": "gzip, deflate"}),
        ({"lang": "fr"}, {"Accept-Encoding": "gzip, br"}),
        ({"wsapp_tz": "Asia/Tokyo"}, {"Accept-Language": "zh-CN,zh;q=0.9"}),
        ({}, {"Accept-Language": "vi, en;q=0.5", "Accept-Encoding": "identity"}),
    ],
)
def test_every_vote_answered_as_the_endpoint_answers_it(app, client, cookies, sent):
    token = open_ballot(app, client)
    for name, value in cookies.items():
        client.set_cookie(name, value, domain="wsapp.test")
    for paper in paper_ids(app):
        flask = cast(app, client, token, paper, express=False, headers=sent)
        express = cast(app, client, token, paper, headers=sent)
        assert_same(app, express, flask)
    with app.app_context():
        assert vote_count() == {paper: 1}  # the last vote, once


def test_open_mode_and_a_script_root(app, client):
    base = "http://wsapp.test/site"
    token = open_ballot(app, client, VotingMode.OPEN, base=base)
    ids = paper_ids(app)
    flask = cast(app, client, token, ids[1], express=False, base=base)
    express = cast(app, client, token, ids[1], base=base)
    assert_same(app, express, flask)
    assert 'action="/site/bugs-2023/vote/best-oral"' in express.text
    # the ballot's own order: by its token in open mode, as on the page
    page = client.get("/bugs-2023/vote", base_url=base)
    listed = [part.split('"', 1)[0] for part in page.text.split('name="paper" value="')[1:]]
    swapped = [part.split('"', 1)[0] for part in express.text.split('name="paper" value="')[1:]]
    assert listed[: len(swapped)] == swapped


def test_a_changed_vote_is_counted_once_and_the_order_is_the_ballots(app, client):
    token = open_ballot(app, client)
    ids = paper_ids(app)
    orders = set()
    for paper in ids[1:] + ids[:1]:
        cast(app, client, token, paper, express=False)  # keeps this vote's frame
        response = cast(app, client, token, paper)
        assert answered(response) and response.status_code == 200
        orders.add(tuple(p.split('"')[0] for p in response.text.split('name="paper" value="')[1:]))
        assert response.text.count('aria-pressed="true"') == 1
    assert len(orders) == 1  # one ballot, one order, whichever paper is chosen
    with app.app_context():
        assert vote_count() == {ids[0]: 1}
        assert db.session.scalar(select(db.func.count(Vote.id))) == 1


def test_the_vote_that_binds_a_code_is_the_last_to_carry_it(app, client):
    set_clock(app, DURING)
    code = issue_codes(app, 1)[0]
    page = client.get(f"/bugs-2023/vote?code={code}")
    assert f'name="code" type="hidden" value="{code}"' in page.text
    token = csrf(page.text)
    ids = paper_ids(app)
    first = cast(app, client, token, ids[1], code=code)
    assert first.status_code == 200 and not answered(first)
    assert 'name="code"' not in first.text  # the ballot is this browser's now
    second = cast(app, client, token, ids[1])  # as the swapped-in form sends it
    assert answered(second)
    assert page_text(app, second) == page_text(app, first)


def learned(app, client) -> tuple[str, list[int]]:
    """A ballot whose next vote for any paper the express path would answer (its last vote is
    for the first paper)."""
    token = open_ballot(app, client)
    ids = paper_ids(app)
    for paper in ids:
        cast(app, client, token, paper, express=False)  # keeps this vote's frame
    response = cast(app, client, token, ids[0])
    assert answered(response)
    return token, ids


@pytest.mark.parametrize(
    "change",
    ["wrong token", "another session's token", "no ballot cookie", "forged ballot cookie"],
)
def test_what_csrf_or_the_ballot_cookie_refuses_stays_refused(app, client, change):
    token, ids = learned(app, client)
    if change == "wrong token":
        token = URLSafeTimedSerializer("another-key", salt="wtf-csrf-token").dumps("x" * 40)
    elif change == "another session's token":
        other = app.test_client()
        token = csrf(other.get("/bugs-2023/vote").text)
    elif change == "no ballot cookie":
        client.delete_cookie("wsapp_ballot", domain="wsapp.test", path="/bugs-2023/vote")
    else:
        client.set_cookie(
            "wsapp_ballot", "forged.value", domain="wsapp.test", path="/bugs-2023/vote"
        )
    response = cast(app, client, token, ids[1])
    assert not answered(response)
    assert response.status_code in (400, 409)
    with app.app_context():
        assert vote_count() == {ids[0]: 1}


def test_votes_the_endpoint_refuses_are_its_to_answer(app, client):
    token, ids = learned(app, client)
    with app.app_context():
        poster = db.session.scalar(select(Paper.id).where(Paper.id.not_in(ids)))
    not_candidate = cast(app, client, token, poster or 999999)
    assert not answered(not_candidate) and not_candidate.status_code == 422
    with_code = cast(app, client, token, ids[0], code="ZZZZZ-ZZZZZ")
    assert not answered(with_code)
    set_clock(app, CLOSES)
    closed = cast(app, client, token, ids[1])
    assert not answered(closed) and closed.status_code == 409
    with app.app_context():
        assert vote_count() == {ids[0]: 1}


def test_an_edit_since_the_frame_goes_to_flask(app, client):
    token, ids = learned(app, client)
    with app.app_context():
        paper = db.session.get(Paper, ids[0])
        paper.title = "A title edited during the vote"
        db.session.commit()
    response = cast(app, client, token, ids[0])
    assert not answered(response) and response.status_code == 200
    assert "A title edited during the vote" in response.text
    again = cast(app, client, token, ids[0])  # the new version's frame, kept by that vote
    assert answered(again) and "A title edited during the vote" in again.text


def test_a_workshop_unpublished_since_refuses(app, client):
    token, ids = learned(app, client)
    with app.app_context():
        db.session.execute(update(Workshop).values(is_published=False))
        db.session.commit()
    response = cast(app, client, token, ids[1])
    assert not answered(response) and response.status_code == 404
    with app.app_context():
        assert vote_count() == {ids[0]: 1}


def test_an_open_mode_ballot_does_not_vote_in_codes_mode(app, client):
    token = open_ballot(app, client, VotingMode.OPEN)
    ids = paper_ids(app)
    cast(app, client, token, ids[0], express=False)
    assert answered(cast(app, client, token, ids[0]))
    set_mode(app, VotingMode.CODES)
    with app.app_context():
        assert db.session.scalar(select(Ballot.code_id)) is None
    response = cast(app, client, token, ids[1])
    assert not answered(response) and response.status_code == 409
    with app.app_context():
        assert vote_count() == {ids[0]: 1}


@pytest.mark.parametrize(
    "sent",
    [
        {"HX-Boosted": "true"},
        {"HX-History-Restore-Request": "true"},
        {"HX-Target": "page"},
        {"Host": "bad host"},
    ],
)
def test_requests_of_another_shape_go_to_flask(app, client, sent):
    token, ids = learned(app, client)
    response = cast(app, client, token, ids[1], headers=sent)
    assert not answered(response)


def test_a_logged_in_session_goes_to_flask(app, client, login_as):
    token, ids = learned(app, client)
    login_as("bugs")
    token = csrf(client.get("/bugs-2023/vote").text)
    response = cast(app, client, token, ids[1])
    assert not answered(response) and response.status_code == 200
    with app.app_context():
        assert vote_count() == {ids[1]: 1}


def test_a_query_string_or_another_field_goes_to_flask(app, client):
    token, ids = learned(app, client)
    app.config["VOTE_EXPRESS"] = True
    ANSWERS.clear()
    response = client.post(
        URL + "?tz=Asia/Tokyo", data={"csrf_token": token, "paper": ids[1]}, headers=HX
    )
    assert ANSWERS == [] and response.status_code == 200
    assert "JST" in response.text or "GMT+9" in response.text
    response = cast(app, client, token, ids[2], extra="1")
    assert not answered(response) and response.status_code == 200


def test_on_a_committed_database_and_after_the_server_drops_its_connections(fresh_app):
    """The path production takes: the app's own engine (PostgreSQL: a pool of the express
    path's own, in autocommit), and its connections ended under it as a database restart ends
    them: that vote goes to Flask, and the next one is express again."""
    app = fresh_app()
    with app.app_context():
        db.create_all()
        load_demo()
        db.session.execute(update(AwardCategory).values(manual_state=ManualState.OPEN))
        db.session.commit()
    client = app.test_client()
    token = open_ballot(app, client)
    ids = paper_ids(app)
    for paper in ids:
        cast(app, client, token, paper, express=False)
    for paper in ids:
        assert answered(cast(app, client, token, paper))
    if not app.config["DATABASE_URL"].startswith("sqlite"):
        assert end_connections(app, "true") >= 1
        dropped = cast(app, client, token, ids[1])
        assert not answered(dropped) and dropped.status_code == 200
    again = cast(app, client, token, ids[2])
    assert answered(again) and again.status_code == 200
    with app.app_context():
        assert vote_count() == {ids[2]: 1}
