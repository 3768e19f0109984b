"""The site under load: requests/s and p50/p99 latency beside a minimal Flask app and a static file.

    python bench/site.py [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/wsapp_bench]
                         [--redis-url redis://127.0.0.1:6379/12] [--duration 10] [--connections 32]
                         [--soak 60] [--soak-connections 64] [--workers 2] [--threads 2]

wsapp runs under gunicorn (gunicorn.conf.py: `--workers` processes of `--threads` threads) on
PostgreSQL and Redis, production settings, logging at WARNING; the minimal Flask app
(bench/baseline_app.py) runs under the same gunicorn settings in the same run, and the static
file is the site's stylesheet served by wsapp itself. Load comes from wrk (Debian package `wrk`)
on the same machine. Targets: home, schedule page, schedule htmx fragment, speakers, and the
vote endpoint (an htmx POST with CSRF token and ballot cookie, an upsert each time). Then a soak:
`--soak` seconds at `--soak-connections` on the schedule page, with errors and the app's memory
(resident set of the gunicorn master and workers) before and after.
The named database is emptied first.
"""

import os
import platform
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from harness import Client, Server, prepare_demo, server_env, site_arguments, wrk  # noqa: E402

SECRET = "bench-secret-not-for-production"


def rss_kib(pid: int) -> int:
    """Resident memory of a process and its children (the gunicorn workers), in KiB."""
    pids = [pid] + [
        int(p)
        for p in subprocess.run(
            ["pgrep", "-P", str(pid)], capture_output=True, text=True
        ).stdout.split()
    ]
    total = 0
    for each in pids:
        status = Path(f"/proc/{each}/status").read_text()
        total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    return total


def vote_script(folder: Path, client: Client, paper: int, code: str) -> Path:
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    body = f"csrf_token={client.csrf}&paper={paper}&code={code}"
    path = folder / "vote.lua"
    path.write_text(
        'wrk.method = "POST"\n'
        f'wrk.body = "{body}"\n'
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        'wrk.headers["HX-Request"] = "true"\n'
        f'wrk.headers["Cookie"] = "{cookie}"\n'
    )
    return path


def main() -> None:
    parser = site_arguments(__doc__.split("\n")[0])
    parser.add_argument("--soak", type=int, default=60)
    parser.add_argument("--soak-connections", type=int, default=64)
    args = parser.parse_args()

    import redis

    redis.Redis.from_url(args.redis_url).flushdb()
    code = prepare_demo(args.database_url, SECRET, 1)[0][0]
    env = server_env(args.database_url, SECRET, redis_url=args.redis_url)
    size = dict(threads=args.threads, workers=args.workers)
    folder = Path(tempfile.mkdtemp(prefix="wsapp-bench-"))
    app = Server("wsgi:app", env, log=folder / "app.log", **size)
    baseline = Server("baseline_app:app", {"WSAPP_MAX_REQUESTS": "0"}, **size)
    try:
        app.wait_ready()
        baseline.wait_ready()
        base = f"http://127.0.0.1:{app.port}"
        client = Client(app.port)
        page = client.open_page(f"/bugs-2023/vote?code={code}")
        paper = int(re.search(r'name="paper" value="(\d+)"', page).group(1))
        status, _ = client.vote("/bugs-2023/vote/best-oral", paper, {"code": code})
        assert status == 200, status  # claims the code: the ballot cookie now holds the ballot
        stylesheet = re.search(r'href="(/static/css/site\.css\?v=\w+)"', page).group(1)
        # Pages are asked for as a browser asks (compressed: every browser sends this).
        browser = {"Accept-Encoding": "gzip, deflate, br"}
        targets = [
            ("minimal Flask app", f"http://127.0.0.1:{baseline.port}/healthz", {}, None),
            ("static file (site.css)", base + stylesheet, {}, None),
            ("home", base + "/bugs-2023/", browser, None),
            ("schedule page", base + "/bugs-2023/schedule", browser, None),
            (
                "schedule fragment (htmx)",
                base + "/bugs-2023/schedule?tz=Europe/Zurich",
                {"HX-Request": "true", **browser},
                None,
            ),
            ("speakers", base + "/bugs-2023/speakers", browser, None),
            (
                "vote (htmx POST, upsert)",
                base + "/bugs-2023/vote/best-oral",
                {},
                vote_script(folder, client, paper, code),
            ),
        ]
        print(
            f"machine: {platform.node()}, {os.cpu_count()} CPUs ({platform.machine()}), "
            f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
        )
        print(
            f"gunicorn {args.workers} workers x {args.threads} threads per app; wrk 2 threads, "
            f"{args.connections} connections, {args.duration} s per target; PostgreSQL + Redis"
        )
        print("| target | req/s | of minimal | p50 ms | p99 ms | errors |")
        print("|---|---:|---:|---:|---:|---:|")
        minimal = None
        for name, url, headers, script in targets:
            wrk(url, 2, args.connections, script, headers)  # warm up (caches, connections)
            result = wrk(url, args.duration, args.connections, script, headers)
            minimal = minimal or result["rps"]
            print(
                f"| {name} | {result['rps']:.0f} | {result['rps'] / minimal:.0%} | "
                f"{result['p50']:.2f} | {result['p99']:.2f} | {result['errors']} |",
                flush=True,
            )
        if args.soak:
            before = rss_kib(app.process.pid)
            result = wrk(
                base + "/bugs-2023/schedule", args.soak, args.soak_connections, headers=browser
            )
            after = rss_kib(app.process.pid)
            print(
                f"\nsoak: schedule page, {args.soak} s at {args.soak_connections} connections: "
                f"{result['requests']} requests, {result['rps']:.0f} req/s, p99 "
                f"{result['p99']:.2f} ms, {result['errors']} errors; memory {before} KiB -> "
                f"{after} KiB ({(after - before) / before:+.1%})"
            )
    finally:
        app.stop()
        baseline.stop()


if __name__ == "__main__":
    main()
