"""Two gunicorn processes, one PostgreSQL database, 40 clients, 2,000+ votes: exact final counts.

Clients come in pairs that share one ballot (the same cookie, like a phone and a laptop), each
pair talking to both servers. They send repeated and changed votes, and now and then both
clients of a pair send the identical vote at the same moment (a barrier releases them together).
Once every one of those is acknowledged, each ballot sends its final vote per category: that is
the expected tally, and the database must hold exactly it, with no 5xx on the way.
"""

import random
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import load_demo
from sqlalchemy import func, select
from voting_helpers import workshop

from wsapp.extensions import db
from wsapp.models import Ballot, ManualState, Paper, Presentation, Vote
from wsapp.services.voting import codes as ballot_codes
from wsapp.services.voting import results
from wsapp.services.voting import votes as voting

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from harness import Client, Server  # noqa: E402

PAIRS = 20  # 40 clients
STEPS = 52  # per client, plus the final votes: 40 * 52 + 20 * 2 = 2,120 vote requests
SYNC_EVERY = 8


def _prepare(app) -> tuple[list[str], dict[str, list[int]]]:
    """Demo content, both categories open, three posters, one code per pair."""
    with app.app_context():
        db.create_all()
        load_demo()
        ws = workshop()
        for n in range(3):
            db.session.add(
                Paper(workshop_id=ws.id, title=f"Poster {n}", presentation=Presentation.POSTER)
            )
        for cat in voting.categories(ws):
            cat.manual_state = ManualState.OPEN
        codes = [c.code for c in ballot_codes.generate_codes(ws, PAIRS)]
        db.session.commit()
        candidates = {c.slug: [p.id for p in voting.candidates(c)] for c in voting.categories(ws)}
    return codes, candidates


def test_two_servers_many_clients_exact_tally(fresh_app, database_url, tmp_path):
    if database_url.startswith("sqlite"):
        pytest.skip("needs PostgreSQL: two server processes writing one SQLite file only queue")
    app = fresh_app()
    codes, candidates = _prepare(app)
    env = {
        "WSAPP_DATABASE_URL": app.config["DATABASE_URL"],
        "WSAPP_SECRET_KEY": app.config["SECRET_KEY"],  # codes are derived from it
    }
    servers = [Server("wsgi:app", env, log=tmp_path / f"server{i}.log") for i in range(2)]
    try:
        for server in servers:
            server.wait_ready()
        _run(servers, codes, candidates, app)
    finally:
        for server in servers:
            server.stop()


def _run(servers, codes, candidates, app) -> None:
    cats = sorted(candidates)
    pairs = []
    for n, code in enumerate(codes):
        first, second = Client(servers[n % 2].port), Client(servers[(n + 1) % 2].port)
        first.open_page(f"/bugs-2023/vote?code={code}")
        oral = candidates["best-oral"][0]
        assert first.vote("/bugs-2023/vote/best-oral", oral, {"code": code})[0] == 200
        second.open_page("/bugs-2023/vote")
        second.cookies["wsapp_ballot"] = first.cookies["wsapp_ballot"]
        pairs.append((first, second, threading.Barrier(2, timeout=60)))

    statuses: list[int] = []
    lock = threading.Lock()

    def client_loop(pair_index: int, client: Client, barrier: threading.Barrier, side: int):
        rng = random.Random(pair_index * 1000 + side)
        mine = []
        for step in range(STEPS):
            if step % SYNC_EVERY == 0:
                shared = random.Random(pair_index * 7919 + step)  # both sides draw the same vote
                cat = shared.choice(cats)
                paper = shared.choice(candidates[cat])
                barrier.wait()
            else:
                cat = rng.choice(cats)
                paper = rng.choice(candidates[cat])
            status, _ = client.vote(f"/bugs-2023/vote/{cat}", paper)
            mine.append(status)
        with lock:
            statuses.extend(mine)

    started = time.monotonic()
    threads = [
        threading.Thread(target=client_loop, args=(i, client, barrier, side))
        for i, (first, second, barrier) in enumerate(pairs)
        for side, client in enumerate((first, second))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Every earlier vote is acknowledged: now each ballot's last word, per category.
    expected: dict[str, dict[int, int]] = {cat: {} for cat in cats}
    final_rng = random.Random(42)
    for first, _, _ in pairs:
        for cat in cats:
            paper = final_rng.choice(candidates[cat])
            status, html = first.vote(f"/bugs-2023/vote/{cat}", paper)
            statuses.append(status)
            chosen = html.split(f'value="{paper}"', 1)[1].split("</button>", 1)[0]
            assert 'aria-pressed="true"' in chosen
            expected[cat][paper] = expected[cat].get(paper, 0) + 1
    elapsed = time.monotonic() - started

    assert len(statuses) >= 2000 and len(threads) >= 32
    assert [s for s in statuses if s >= 500] == []
    assert set(statuses) == {200}
    with app.app_context():
        ws = workshop()
        assert db.session.scalar(select(func.count(Ballot.id))) == PAIRS
        assert db.session.scalar(select(func.count(Vote.id))) == PAIRS * len(cats)
        for tally in results.tallies(ws):
            counted = {row.paper.id: row.votes for row in tally.rows if row.votes}
            assert counted == expected[tally.category.slug], tally.category.slug
    print(f"\n{len(statuses)} vote requests from {len(threads)} clients in {elapsed:.1f} s")
    for first, second, _ in pairs:
        first.close()
        second.close()
