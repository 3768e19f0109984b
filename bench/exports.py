"""Exports under load: schedule.ics, .xml and .json beside the minimal Flask app, in one run.

    python bench/exports.py [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/wsapp_bench]
                            [--redis-url redis://127.0.0.1:6379/12] [--duration 10]
                            [--connections 32] [--workers 2] [--threads 2]

Two wsapp servers run under gunicorn (gunicorn.conf.py, `--workers` x `--threads`) on the same
PostgreSQL database, one with Redis (the shared page cache) and one without (the in-process
fallback, which reads the workshop's content version on each hit); the minimal Flask app
(bench/baseline_app.py) runs under the same settings in the same run. Clients ask as calendar
and conference apps do (gzip). "poller" rows send the If-None-Match of the file they already
have: a 304. Load comes from wrk on the same machine. The named database is emptied first.
"""

import os
import platform
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from harness import Server, prepare_demo, server_env, site_arguments, wrk  # noqa: E402

SECRET = "bench-secret-not-for-production"
EXPORTS = ["schedule.ics", "schedule.xml", "schedule.json"]
GZIP = {"Accept-Encoding": "gzip"}  # as calendar and conference apps ask


def etag(url: str, headers: dict) -> str:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as r:
        assert r.status == 200, (url, r.status)
        return r.headers["ETag"]


def targets(baseline: Server, redis: Server, memory: Server) -> list[tuple[str, str, dict]]:
    found = [("minimal Flask app", f"http://127.0.0.1:{baseline.port}/healthz", {})]
    for label, server in (("Redis", redis), ("in-process", memory)):
        page = f"http://127.0.0.1:{server.port}/bugs-2023/schedule"
        found.append((f"schedule page, {label} cache (for scale)", page, GZIP))
        for name in EXPORTS:
            url = f"http://127.0.0.1:{server.port}/bugs-2023/{name}"
            found.append((f"{name}, {label} cache", url, GZIP))
        url = f"http://127.0.0.1:{server.port}/bugs-2023/schedule.ics"
        poller = {**GZIP, "If-None-Match": etag(url, GZIP)}
        found.append((f"schedule.ics poller (304), {label}", url, poller))
    return found


def main() -> None:
    parser = site_arguments(__doc__.split("\n")[0])
    args = parser.parse_args()

    import redis

    redis.Redis.from_url(args.redis_url).flushdb()
    prepare_demo(args.database_url, SECRET, 1)
    env = server_env(args.database_url, SECRET)
    size = dict(threads=args.threads, workers=args.workers)
    with_redis = Server("wsgi:app", {**env, "WSAPP_REDIS_URL": args.redis_url}, **size)
    in_process = Server("wsgi:app", env, **size)
    baseline = Server("baseline_app:app", {"WSAPP_MAX_REQUESTS": "0"}, **size)
    servers = [with_redis, in_process, baseline]
    try:
        for server in servers:
            server.wait_ready()
        print(
            f"machine: {platform.node()}, {os.cpu_count()} CPUs ({platform.machine()}), "
            f"Python {platform.python_version()}; load average {os.getloadavg()[0]:.1f} at start"
        )
        print(
            f"gunicorn {args.workers} workers x {args.threads} threads per app; wrk 2 threads, "
            f"{args.connections} connections, {args.duration} s per target; PostgreSQL"
        )
        # The minimal app is measured first and last (the machine is shared): the fractions are
        # of the higher of the two, the stricter comparison.
        found = targets(baseline, with_redis, in_process)
        found.append(("minimal Flask app again", *found[0][1:]))
        rows = []
        for name, url, headers in found:
            wrk(url, 2, args.connections, headers=headers)  # warm up (caches, connections)
            rows.append((name, wrk(url, args.duration, args.connections, headers=headers)))
            print(f"  measured: {name}: {rows[-1][1]['rps']:.0f} req/s", flush=True)
        minimal = max(rows[0][1]["rps"], rows[-1][1]["rps"])
        print("| target | req/s | of minimal | p50 ms | p99 ms | errors |")
        print("|---|---:|---:|---:|---:|---:|")
        for name, result in rows:
            print(
                f"| {name} | {result['rps']:.0f} | {result['rps'] / minimal:.0%} | "
                f"{result['p50']:.2f} | {result['p99']:.2f} | {result['errors']} |"
            )
    finally:
        for server in servers:
            server.stop()


if __name__ == "__main__":
    main()
