"""What one request costs inside the process: a vote and a page-cache hit, beside a trivial one.

    python bench/request_cost.py [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/wsapp_bench]
                                 [--redis-url redis://127.0.0.1:6379/12] [--batches 30]

No server and no network client: each request is one call of the WSGI app, so the figures are
the app's own work. Two figures per request:
- Python function calls (cProfile's count): deterministic for the same code and data, so it
  compares two commits on a noisy machine;
- CPU milliseconds (process time), the fastest of `--batches` batches: the least disturbed.
The baseline is bench/baseline_app.py (a minimal Flask app) answering the same kind of request
(a POST with a form; a GET) in the same run. Database waits are not CPU: a vote's round trips
to PostgreSQL show in neither figure (bench/votes.py measures them under load).
The named database is emptied first (PostgreSQL); Redis database `--redis-url` is flushed.
"""

import argparse
import cProfile
import io
import logging
import pstats
import re
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from harness import prepare_demo  # noqa: E402

SECRET = "bench-secret-not-for-production"
BATCH = 40


def environ(method: str, path: str, form: dict | None = None, cookies: str = "", **headers):
    body = urlencode(form or {}).encode()
    env = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "bench.test",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
        "HTTP_COOKIE": cookies,
        "_body": body,
    }
    if form is not None:
        env["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
        env["CONTENT_LENGTH"] = str(len(body))
    for name, value in headers.items():
        env["HTTP_" + name.upper()] = value
    return env


class Caller:
    """Calls a WSGI app with a prepared environ, keeping the cookies it sets."""

    def __init__(self, app):
        self.app, self.cookies, self.status = app, {}, None

    def __call__(self, template: dict) -> bytes:
        env = dict(template)
        env["wsgi.input"] = io.BytesIO(env.pop("_body"))
        if self.cookies:
            env["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())

        def start_response(status, headers, exc_info=None):
            self.status = int(status.split()[0])
            for name, value in headers:
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]

        chunks = self.app(env, start_response)
        try:
            return b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()


def measure(label: str, call, template: dict, batches: int, expect: int = 200) -> dict:
    for _ in range(20):  # warm: caches filled, statements prepared
        call(template)
    assert call.status == expect, (label, call.status)
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(BATCH):
        call(template)
    profile.disable()
    calls = pstats.Stats(profile).total_calls / BATCH
    best = float("inf")
    for _ in range(batches):
        started = time.process_time()
        for _ in range(BATCH):
            call(template)
        best = min(best, (time.process_time() - started) / BATCH * 1000)
    assert call.status == expect, (label, call.status)
    return {"label": label, "calls": calls, "cpu_ms": best}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/wsapp_bench"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--batches", type=int, default=30)
    args = parser.parse_args()

    import redis
    from baseline_app import app as baseline

    from wsapp import create_app

    redis.Redis.from_url(args.redis_url).flushdb()
    codes, papers = prepare_demo(args.database_url, SECRET, 1)
    config = {"DATABASE_URL": args.database_url, "SECRET_KEY": SECRET, "LOG_LEVEL": "WARNING"}
    plain = create_app(config)
    shared = create_app({**config, "REDIS_URL": args.redis_url})
    logging.getLogger("wsapp.access").setLevel(logging.WARNING)  # as LOG_LEVEL does in gunicorn

    rows = [
        measure(
            "minimal Flask app, POST",
            Caller(baseline),
            environ("POST", "/vote", {"paper": papers[0]}),
            args.batches,
        ),
        measure("minimal Flask app, GET", Caller(baseline), environ("GET", "/healthz"), 30),
    ]
    voter = Caller(plain)
    page = voter({**environ("GET", "/bugs-2023/vote"), "QUERY_STRING": f"code={codes[0]}"})
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1).decode()
    first = {"csrf_token": token, "paper": papers[0], "code": codes[0]}
    voter(environ("POST", "/bugs-2023/vote/best-oral", first, HX_REQUEST="true"))
    assert voter.status == 200, voter.status
    vote = environ(
        "POST",
        "/bugs-2023/vote/best-oral",
        {"csrf_token": token, "paper": papers[1]},
        HX_REQUEST="true",
    )
    rows.append(measure("vote (htmx POST, PostgreSQL)", voter, vote, args.batches))
    through_flask = Caller(create_app({**config, "VOTE_EXPRESS": False}))
    through_flask.cookies = dict(voter.cookies)  # the same browser
    rows.append(
        measure("the same vote through Flask (express off)", through_flask, vote, args.batches)
    )
    for label, app in (("Redis", shared), ("in-process", plain)):
        for path in ("/bugs-2023/schedule.ics", "/bugs-2023/schedule"):
            hit = environ("GET", path, ACCEPT_ENCODING="gzip")
            rows.append(measure(f"{path} hit, {label} cache", Caller(app), hit, args.batches))

    print(f"in-process, {BATCH} requests a batch, fastest of {args.batches} batches")
    print("| request | Python calls | CPU ms | of the minimal app's |")
    print("|---|---:|---:|---:|")
    for row in rows:
        base = rows[0] if "POST" in row["label"] or "vote" in row["label"] else rows[1]
        print(
            f"| {row['label']} | {row['calls']:.0f} | {row['cpu_ms']:.3f} | "
            f"{row['cpu_ms'] / base['cpu_ms']:.1f}x |"
        )


if __name__ == "__main__":
    main()
