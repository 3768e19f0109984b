"""Votes per second on PostgreSQL, beside a baseline measured in the same run.

    python bench/votes.py [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/wsapp_bench]
                          [--clients 32] [--requests 3000] [--servers 2] [--threads 8]
                          [--workers 1]

Both runs use the same setup: `--servers` gunicorn servers (gunicorn.conf.py, `--workers`
processes of `--threads` threads each) on this machine and `--clients` keep-alive clients in
threads, spread over the servers. The baseline is a minimal Flask app answering a trivial
POST; the voting run sends real htmx votes (CSRF token, ballot cookie, upsert, the ballot
fragment rendered back) from ballots opened with printed codes, then the same votes again with
the express path off (every vote through Flask), then checks the tally: each ballot counts
once, for its last accepted vote. For scale it also measures the workshop home page (an
ordinary page of the app) on the same servers. The database named is emptied first.
"""

import argparse
import random
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from harness import Client, Server, prepare_demo  # noqa: E402


def hammer(clients: list[Client], total: int, send) -> tuple[float, dict[int, int]]:
    """Send `total` requests spread over the clients; returns (requests per second, statuses)."""
    per_client = total // len(clients)
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def run(index: int, client: Client) -> None:
        rng = random.Random(index)
        mine: dict[int, int] = {}
        for _ in range(per_client):
            status = send(client, rng)
            mine[status] = mine.get(status, 0) + 1
        with lock:
            for status, count in mine.items():
                statuses[status] = statuses.get(status, 0) + count

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return per_client * len(clients) / (time.perf_counter() - started), statuses


def tally(url: str) -> Counter:
    """Votes per paper in best oral, as the database holds them."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT vote.paper_id, count(*) FROM vote JOIN award_category c"
                " ON c.id = vote.category_id WHERE c.slug = 'best-oral' GROUP BY vote.paper_id"
            )
        ).all()
    engine.dispose()
    return Counter(dict(rows))


def run_servers(app: str, env: dict, count: int, threads: int, workers: int = 1) -> list[Server]:
    servers = [Server(app, env, threads=threads, workers=workers) for _ in range(count)]
    for server in servers:
        server.wait_ready()
    return servers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/wsapp_bench"
    )
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    secret = "bench-secret"
    codes, papers = prepare_demo(args.database_url, secret, args.clients)

    servers = run_servers("baseline_app:app", {}, args.servers, args.threads, args.workers)
    try:
        clients = [Client(servers[i % len(servers)].port) for i in range(args.clients)]
        hammer(clients, len(clients) * 5, lambda c, r: c.request("POST", "/vote", {"paper": 1})[0])
        baseline, base_statuses = hammer(
            clients,
            args.requests,
            lambda c, r: c.request("POST", "/vote", {"paper": r.choice(papers)})[0],
        )
    finally:
        for server in servers:
            server.stop()

    env = {"WSAPP_DATABASE_URL": args.database_url, "WSAPP_SECRET_KEY": secret}
    servers = run_servers("wsgi:app", env, args.servers, args.threads, args.workers)
    try:
        clients = [Client(servers[i % len(servers)].port) for i in range(args.clients)]
        last: dict[int, int] = {}  # each ballot's last accepted vote: what the tally must say
        for client, code in zip(clients, codes, strict=True):  # open each ballot with its code
            client.open_page(f"/bugs-2023/vote?code={code}")
            client.vote("/bugs-2023/vote/best-oral", papers[0], {"code": code})
            last[id(client)] = papers[0]

        def vote(client: Client, rng: random.Random) -> int:
            paper = rng.choice(papers)
            status = client.vote("/bugs-2023/vote/best-oral", paper)[0]
            if status == 200:
                last[id(client)] = paper
            return status

        votes, vote_statuses = hammer(clients, args.requests, vote)
        pages, page_statuses = hammer(
            clients, args.requests, lambda c, r: c.request("GET", "/bugs-2023/")[0]
        )
    finally:
        for server in servers:
            server.stop()
    # The same votes with the express path off: every vote through Flask, as a first vote goes.
    flask_env = {**env, "WSAPP_VOTE_EXPRESS": "false"}
    servers = run_servers("wsgi:app", flask_env, args.servers, args.threads, args.workers)
    try:
        for index, client in enumerate(clients):  # the same browsers, on the new servers
            client.reconnect(servers[index % len(servers)].port)
        flask_votes, flask_statuses = hammer(clients, args.requests, vote)
    finally:
        for server in servers:
            server.stop()

    print(
        f"setup: {args.servers} gunicorn processes x {args.threads} threads, "
        f"{args.clients} keep-alive clients, {args.requests} requests per run, PostgreSQL"
    )
    print(f"baseline (trivial Flask POST): {baseline:8.1f} requests/s  statuses {base_statuses}")
    print(f"votes (htmx POST, upsert):     {votes:8.1f} votes/s     statuses {vote_statuses}")
    print(f"votes / baseline:              {votes / baseline:8.2f}")
    print(
        f"the same votes through Flask:  {flask_votes:8.1f} votes/s     statuses {flask_statuses}"
        " (WSAPP_VOTE_EXPRESS=false)"
    )
    expected, counted = Counter(last.values()), tally(args.database_url)
    verdict = "exact" if counted == expected else f"WRONG: expected {dict(expected)}"
    print(f"tally of best oral:            {dict(sorted(counted.items()))} ({verdict})")
    print(
        f"for reference, the home page GET on the same servers: {pages:.1f} requests/s "
        f"statuses {page_statuses}"
    )


if __name__ == "__main__":
    main()
