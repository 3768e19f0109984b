"""Rate limits: the fixed-window service (in process and in Redis), open mode and code guessing."""

import shutil
import socket
import subprocess
import threading
import time

import pytest
import redis
from limits.storage import RedisStorage
from voting_helpers import DURING, alert, csrf, issue_codes, orals, set_clock, set_mode

from wsapp.extensions import db
from wsapp.models import Ballot, VotingMode
from wsapp.services import ratelimit
from wsapp.services.ratelimit import Limit

HX = {"HX-Request": "true"}


def test_limit_parse():
    limit = Limit.parse("x", "30/600")
    assert (limit.limit, limit.window) == (30, 600)
    per_minute, per_hour = Limit.parse_all("login", "20 per minute; 100 per hour")
    assert (per_minute.limit, per_minute.window, per_hour.window) == (20, 60, 3600)
    assert per_minute.name != per_hour.name  # counted apart


def test_fixed_window_allows_limit_then_refuses_then_resets(app):
    limit = Limit.parse(f"t{time.time_ns()}", "3/1")
    with app.app_context():
        outcomes = [ratelimit.hit(limit, "ip") for _ in range(4)]
        assert [o.allowed for o in outcomes] == [True, True, True, False]
        assert outcomes[-1].retry_after == 1
        assert not ratelimit.peek(limit, "ip").allowed
        assert ratelimit.peek(limit, "other").allowed
        time.sleep(1.1)
        assert ratelimit.hit(limit, "ip").allowed  # the next window


@pytest.fixture(scope="module")
def redis_url():
    """A private redis-server on a free port (not the machine's shared one)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server not installed (apt-get install redis-server)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while True:
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.RedisError:
            if time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.05)
    yield url
    process.terminate()
    process.wait(timeout=10)


def _hit_in_threads(apps, limit: Limit, threads: int, each: int) -> list[bool]:
    allowed: list[bool] = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        with apps[i % len(apps)].app_context():
            result = [ratelimit.hit(limit, "ip").allowed for _ in range(each)]
        with lock:
            allowed.extend(result)

    workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    return allowed


def test_redis_counts_are_shared_and_atomic_under_concurrency(make_app, redis_url):
    """Two apps (two processes' worth) and 40 threads: exactly `limit` hits are allowed."""
    apps = [make_app(REDIS_URL=redis_url), make_app(REDIS_URL=redis_url)]
    limit = Limit.parse(f"conc{time.time_ns()}", "25/60")
    allowed = _hit_in_threads(apps, limit, threads=40, each=2)
    assert len(allowed) == 80 and allowed.count(True) == 25


def test_memory_counts_exactly_under_threads(app):
    limit = Limit.parse(f"mem{time.time_ns()}", "10/60")
    assert _hit_in_threads([app], limit, threads=8, each=5).count(True) == 10


def test_app_uses_redis_when_configured(make_app, redis_url):
    app = make_app(REDIS_URL=redis_url)
    with app.app_context():
        assert isinstance(ratelimit.limiter().storage, RedisStorage)
        limit = Limit.parse(f"app{time.time_ns()}", "1/60")
        assert ratelimit.hit(limit, "x").allowed and not ratelimit.hit(limit, "x").allowed


def test_open_mode_one_ballot_per_browser_and_429_past_the_ip_limit(app):
    app.config["VOTING_OPEN_BALLOTS"] = "3/3600"
    set_clock(app, DURING)
    set_mode(app, VotingMode.OPEN)
    with app.app_context():
        paper = orals()[0].id
    statuses = []
    for _ in range(4):
        browser = app.test_client()
        page = browser.get("/bugs-2023/vote")
        assert page.status_code == 200 and "vote-button" in page.text
        data = {"csrf_token": csrf(page.text), "paper": paper}
        response = browser.post("/bugs-2023/vote/best-oral", data=data, headers=HX)
        statuses.append(response.status_code)
        if response.status_code == 200:  # the same browser votes again: same ballot, no new hit
            again = browser.post("/bugs-2023/vote/best-oral", data=data, headers=HX)
            assert again.status_code == 200
    assert statuses == [200, 200, 200, 429]
    assert response.text.lstrip().startswith('<section class="ballot"')  # swapped by htmx
    assert "Too many attempts from your network" in alert(response.text)
    assert int(response.headers["Retry-After"]) > 0
    with app.app_context():
        assert db.session.query(Ballot).count() == 3


def test_open_mode_without_javascript_gets_a_429_page(app):
    app.config["VOTING_OPEN_BALLOTS"] = "0/3600"
    set_clock(app, DURING)
    set_mode(app, VotingMode.OPEN)
    browser = app.test_client()
    page = browser.get("/bugs-2023/vote")
    with app.app_context():
        paper = orals()[0].id
    response = browser.post(
        "/bugs-2023/vote/best-oral", data={"csrf_token": csrf(page.text), "paper": paper}
    )
    assert response.status_code == 429
    assert response.text.lstrip().startswith("<!doctype html>")
    assert "Too many attempts" in alert(response.text)


def test_code_guessing_is_rate_limited(app, client):
    app.config["VOTING_CODE_ATTEMPTS"] = "5/600"
    set_clock(app, DURING)
    good = issue_codes(app, 1)[0]
    statuses = [client.get(f"/bugs-2023/vote?code=AAAA{i}-AAAAA").status_code for i in range(6)]
    assert statuses == [422] * 5 + [429]
    blocked = client.get(f"/bugs-2023/vote?code={good}")  # even a good code waits now
    assert blocked.status_code == 429
    assert "Too many attempts" in alert(blocked.text)
    assert int(blocked.headers["Retry-After"]) > 0
    other_workshop_or_ip = app.test_client()
    page = other_workshop_or_ip.get(
        f"/bugs-2023/vote?code={good}", environ_base={"REMOTE_ADDR": "10.1.2.3"}
    )
    assert page.status_code == 200


def test_unreachable_redis_fails_open_and_logs(make_app, caplog):
    app = make_app(REDIS_URL=f"redis://127.0.0.1:{_closed_port()}/0")
    limit = Limit.parse("down", "0/60")  # would refuse everything, if it could count
    with app.app_context():
        assert ratelimit.hit(limit, "x").allowed and ratelimit.peek(limit, "x").allowed
    assert "redis unavailable" in caplog.text


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends: nothing listens


def _wrong(i: int) -> str:
    return f"AAAA{i % 10}-AA{i // 10:03d}"


def test_wrong_codes_count_per_browser_and_the_room_is_not_punished(app):
    """One browser that keeps guessing is stopped; another browser at the same address still
    votes; retyping the same typo does not count again."""
    app.config["VOTING_CODE_ATTEMPTS_PER_BROWSER"] = "10/600"
    set_clock(app, DURING)
    good = issue_codes(app, 2)
    guesser, neighbour = app.test_client(), app.test_client()
    guesser.get("/bugs-2023/vote")  # the ballot page gives the browser its own cookie
    for _ in range(15):
        assert guesser.get("/bugs-2023/vote?code=7K3QD-P2X9N").status_code == 422  # one typo
    statuses = [guesser.get(f"/bugs-2023/vote?code={_wrong(i)}").status_code for i in range(10)]
    assert statuses == [422] * 9 + [429]  # the typo counted once: 1 + 9 distinct codes
    refused = guesser.get(f"/bugs-2023/vote?code={good[0]}")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "Too many wrong codes from this browser" in alert(refused.text)
    assert "ask an organizer" in alert(refused.text)
    neighbour.get("/bugs-2023/vote")
    assert neighbour.get(f"/bugs-2023/vote?code={_wrong(3)}").status_code == 422
    assert neighbour.get(f"/bugs-2023/vote?code={good[1]}").status_code == 200


def test_requests_without_a_cookie_are_limited_per_address(app):
    """A guesser who throws the cookie away meets the stricter limit of cookieless requests."""
    app.config["VOTING_CODE_ATTEMPTS_WITHOUT_COOKIE"] = "5/600"
    set_clock(app, DURING)
    script = app.test_client(use_cookies=False)
    statuses = [script.get(f"/bugs-2023/vote?code={_wrong(i)}").status_code for i in range(6)]
    assert statuses == [422] * 5 + [429]
    browser = app.test_client()
    browser.get("/bugs-2023/vote")
    assert browser.get(f"/bugs-2023/vote?code={_wrong(1)}").status_code == 422  # not stopped
