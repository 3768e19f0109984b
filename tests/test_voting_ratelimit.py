"""Rate limits: the fixed-window service (in process and in Redis), open mode and code guessing."""

import shutil
import socket
import subprocess
import threading
import time

import pytest
from voting_helpers import DURING, alert, csrf, issue_codes, orals, set_clock, set_mode

from wsapp.extensions import db
from wsapp.models import Ballot, VotingMode
from wsapp.services import ratelimit
from wsapp.services.ratelimit import Limit, MemoryBackend, RedisBackend

HX = {"HX-Request": "true"}
T0 = 1_700_000_040.0  # the start of a 60-second window


def _hits(backend, limit: Limit, key: str, n: int, now: float) -> list[bool]:
    index = int(now // limit.window)
    return [
        backend.incr(f"{limit.name}:{key}", index, limit.window + 1) <= limit.limit
        for _ in range(n)
    ]


def test_limit_parse():
    assert Limit.parse("x", "30/600") == Limit("x", 30, 600)


def test_fixed_window_allows_limit_then_refuses_then_resets(app):
    limit = Limit("t", 3, 60)
    with app.app_context():
        outcomes = [ratelimit.hit(limit, "ip", now=T0 + i) for i in range(4)]
        assert [o.allowed for o in outcomes] == [True, True, True, False]
        assert outcomes[-1].retry_after == 57
        assert not ratelimit.peek(limit, "ip", now=T0 + 5).allowed
        assert ratelimit.peek(limit, "other", now=T0 + 5).allowed
        assert ratelimit.hit(limit, "ip", now=T0 + 60).allowed  # the next window


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
            RedisBackend(url).get("probe", 0)
            break
        except Exception:
            if time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.05)
    yield url
    process.terminate()
    process.wait(timeout=10)


def test_redis_backend_is_shared_and_atomic_under_concurrency(redis_url):
    """Two backends (two processes' worth) and 40 threads: exactly `limit` hits are allowed."""
    limit = Limit(f"conc{time.time_ns()}", 25, 60)
    backends = [RedisBackend(redis_url), RedisBackend(redis_url)]
    allowed: list[bool] = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        result = _hits(backends[i % 2], limit, "ip", 2, T0)
        with lock:
            allowed.extend(result)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(allowed) == 80 and allowed.count(True) == 25
    assert backends[0].get(f"{limit.name}:ip", int(T0 // 60)) == 80


def test_memory_backend_counts_exactly_under_threads():
    limit = Limit("mem", 10, 60)
    backend = MemoryBackend()
    allowed: list[bool] = []
    threads = [
        threading.Thread(target=lambda: allowed.extend(_hits(backend, limit, "k", 5, T0)))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == 10


def test_app_uses_redis_when_configured(make_app, redis_url):
    app = make_app(REDIS_URL=redis_url)
    with app.app_context():
        assert isinstance(ratelimit.backend(), RedisBackend)
        limit = Limit(f"app{time.time_ns()}", 1, 60)
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


def test_unreachable_redis_fails_open_and_logs(app, caplog):
    with app.app_context():
        backend = RedisBackend(f"redis://127.0.0.1:{_closed_port()}/0")
        assert backend.incr("x", 0, 60) == 0 and backend.get("x", 0) == 0
    assert "redis unavailable" in caplog.text


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends: nothing listens
