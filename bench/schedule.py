"""Throughput of the schedule page and its htmx fragment, beside a minimal Flask app, in one run.

    python bench/schedule.py                      # 10 s per target, 16 connections
    python bench/schedule.py --duration 30 --connections 32 --workers 4

Each app is served by gunicorn (sync workers, --workers each) on its own port, over an SQLite copy
of the demo content in a temporary folder; the load comes from wrk when it is installed
(`apt-get install wrk`), else from a Python keep-alive client (slower: it then measures less of
the server). The minimal app answers "Hello" from a Flask view: the ceiling of Flask and gunicorn
on this machine, so the other figures read as a fraction of it. The load generator shares the
CPUs with the servers; compare figures from one run, not across machines.
"""

import argparse
import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from harness import free_port, sqlite_demo  # noqa: E402

MINIMAL_APP = """
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello"
"""

TARGETS = [
    # (name, app, path, extra headers)
    ("minimal Flask app", "minimal", "/", {}),
    ("schedule page, venue time", "wsapp", "/bugs-2023/schedule", {}),
    ("schedule page, Europe/Zurich", "wsapp", "/bugs-2023/schedule?tz=Europe/Zurich", {}),
    (
        "schedule fragment (htmx), Europe/Zurich",
        "wsapp",
        "/bugs-2023/schedule?tz=Europe/Zurich",
        {"HX-Request": "true"},
    ),
]


def serve(app_spec: str, chdir: Path, port: int, workers: int, env: dict) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--chdir",
        str(chdir),
        "--log-level",
        "warning",
        app_spec,
    ]
    process = subprocess.Popen(command, env={**os.environ, **env})
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"{app_spec} did not start on port {port}")


def fetch(url: str, headers: dict) -> bytes:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200, (url, response.status)
        return response.read()


def with_wrk(url: str, headers: dict, duration: int, connections: int) -> float:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in output:
        raise RuntimeError(f"errors under load:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def with_python(url: str, headers: dict, duration: int, connections: int) -> float:
    """Keep-alive clients in threads; counts the responses completed in `duration` seconds."""
    host, port = url.split("//")[1].split("/")[0].split(":")
    path = "/" + url.split("//")[1].split("/", 1)[1]
    counts, stop = [0] * connections, time.monotonic() + duration

    def client(slot: int) -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        while time.monotonic() < stop:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{url}: {response.status}")
            counts[slot] += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / duration


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per target")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per app")
    args = parser.parse_args()
    load = with_wrk if shutil.which("wrk") else with_python

    folder = Path(tempfile.mkdtemp(prefix="wsapp-bench-"))
    (folder / "minimal_app.py").write_text(MINIMAL_APP)
    env = {
        "WSAPP_DATABASE_URL": sqlite_demo(folder),
        "WSAPP_SECRET_KEY": "bench",
        "WSAPP_ENV": "production",
        "WSAPP_LOG_LEVEL": "WARNING",  # no access log line per request on the terminal
    }
    ports = {"wsapp": free_port(), "minimal": free_port()}
    servers = [
        serve("wsapp:create_app()", ROOT, ports["wsapp"], args.workers, env),
        serve("minimal_app:app", folder, ports["minimal"], args.workers, {}),
    ]
    try:
        print(
            f"gunicorn, {args.workers} sync workers per app; load: {load.__name__[5:]}, "
            f"{args.connections} connections, {args.duration} s per target; "
            f"{os.cpu_count()} CPUs shared with the load generator"
        )
        print(f"{'target':<42} {'bytes':>8} {'req/s':>9} {'of minimal':>11}")
        baseline = None
        for name, app, path, headers in TARGETS:
            url = f"http://127.0.0.1:{ports[app]}{path}"
            size = len(fetch(url, headers))
            rate = load(url, headers, args.duration, args.connections)
            baseline = baseline or rate
            print(f"{name:<42} {size:>8} {rate:>9.0f} {rate / baseline:>10.0%}")
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
