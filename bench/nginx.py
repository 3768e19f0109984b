"""wsapp behind real nginx (docs/deploy.md step 5, with its micro-cache) beside nginx serving a
static file, in one run.

    python bench/nginx.py [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/wsapp_bench]
                          [--redis-url redis://127.0.0.1:6379/12] [--duration 10]
                          [--connections 32] [--workers 2] [--threads 2]

Needs Debian's nginx (`apt-get install nginx-light`) and wrk. The nginx configuration is the
guide's own block, taken from docs/deploy.md and changed only where a benchmark must: plain HTTP
on a free local port instead of TLS, no port-80 redirect, this run's gunicorn address, and its
own folder for the cache, temporary files, pid and logs. nginx runs with its own config file
(`nginx -p FOLDER -c nginx.conf`), two worker processes. wsapp runs under gunicorn
(gunicorn.conf.py) on PostgreSQL and Redis with WSAPP_PROXY_COUNT=1. Before measuring, the
script checks what the micro-cache must and must not keep. Pages are asked for as a browser
does (br, gzip); the static file is the site's stylesheet, copied into nginx's folder and sent
as it is (sendfile, not compressed): the fastest thing nginx does. The named database is
emptied first.
"""

import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from harness import Server, free_port, prepare_demo, server_env, site_arguments, wrk  # noqa: E402

SECRET = "bench-secret-not-for-production"
BROWSER = {"Accept-Encoding": "gzip, deflate, br"}
PAGES = [("home", "/bugs-2023/"), ("schedule page", "/bugs-2023/schedule")]
PAGES += [("speakers", "/bugs-2023/speakers"), ("schedule.ics", "/bugs-2023/schedule.ics")]


def guide_block() -> str:
    """The nginx block of docs/deploy.md's step 5."""
    text = (ROOT / "docs" / "deploy.md").read_text()
    section = text.split("## 5.", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```nginx\n(.*?)```", section, re.S).group(1)


def bench_config(folder: Path, port: int, static_port: int, upstream: int) -> str:
    """The guide's block as a whole nginx.conf for this run (see the module's docstring)."""
    block = guide_block()
    block = re.sub(r"\n\s*server\s*\{\s*listen 80;.*?\}\s*\n", "\n", block, flags=re.S)
    block = re.sub(r"listen 443[^;]*;", f"listen 127.0.0.1:{port};", block)
    block = re.sub(r"\n\s*ssl_certificate[^;]*;", "", block)
    block = re.sub(r"proxy_pass http://[^;]+;", f"proxy_pass http://127.0.0.1:{upstream};", block)
    block = re.sub(r"alias /srv/wsapp/static/;", f"alias {ROOT / 'static'}/;", block)
    block = re.sub(r"proxy_cache_path \S+", f"proxy_cache_path {folder / 'cache'}", block)
    user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
    return f"""{user}worker_processes 2;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    sendfile on; tcp_nopush on; keepalive_requests 100000;
    access_log off;
    client_body_temp_path {folder / "body"};
    proxy_temp_path {folder / "proxy"};
    fastcgi_temp_path {folder / "fastcgi"};
    uwsgi_temp_path {folder / "uwsgi"};
    scgi_temp_path {folder / "scgi"};
    server {{
        listen 127.0.0.1:{static_port};
        location / {{ root {folder / "www"}; }}
    }}
{block}
}}
"""


def get(url: str, headers: dict | None = None, data: bytes | None = None):
    request = urllib.request.Request(url, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def check_micro_cache(base: str) -> None:
    """What the guide promises: anonymous public pages cached, everything personal not."""
    page = base + "/bugs-2023/schedule"
    get(page, BROWSER)
    status, headers, _ = get(page, BROWSER)
    assert status == 200 and headers["X-Micro-Cache"] == "HIT", headers["X-Micro-Cache"]
    _, headers, _ = get(page, {**BROWSER, "Cookie": "session=anything"})
    assert headers["X-Micro-Cache"] == "BYPASS", headers["X-Micro-Cache"]
    for _ in range(2):  # sets the zone cookie: never stored
        _, headers, _ = get(base + "/bugs-2023/schedule?tz=Europe/Zurich", BROWSER)
        assert "Set-Cookie" in headers and headers["X-Micro-Cache"] == "MISS"
    for _ in range(2):  # the ballot page is personal (no X-Cache from the app): never stored
        _, headers, _ = get(base + "/bugs-2023/vote", BROWSER)
        assert headers["X-Micro-Cache"] == "MISS", headers["X-Micro-Cache"]
    status, headers, _ = get(base + "/bugs-2023/vote/best-oral", BROWSER, b"paper=1")
    assert status == 400 and headers.get("X-Micro-Cache") is None  # a POST: not even looked up


def start_nginx(folder: Path, config: str) -> subprocess.Popen:
    (folder / "nginx.conf").write_text(config)
    folder.chmod(0o755)
    process = subprocess.Popen(
        ["nginx", "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", "stderr"]
        + ["-g", "daemon off;"]
    )
    time.sleep(1)
    if process.poll() is not None:
        raise RuntimeError(f"nginx exited with {process.returncode}")
    return process


def main() -> None:
    parser = site_arguments(__doc__.split("\n")[0])
    args = parser.parse_args()
    if not shutil.which("nginx"):
        sys.exit("bench/nginx.py needs nginx: apt-get install nginx-light")

    import redis

    redis.Redis.from_url(args.redis_url).flushdb()
    prepare_demo(args.database_url, SECRET, 1)
    env = server_env(args.database_url, SECRET, redis_url=args.redis_url, proxy_count="1")
    folder = Path(tempfile.mkdtemp(prefix="wsapp-nginx-"))
    (folder / "www").mkdir()
    shutil.copy(ROOT / "static" / "css" / "site.css", folder / "www" / "site.css")
    app = Server("wsgi:app", env, threads=args.threads, workers=args.workers)
    port, static_port = free_port(), free_port()
    nginx = None
    try:
        app.wait_ready()
        nginx = start_nginx(folder, bench_config(folder, port, static_port, app.port))
        base = f"http://127.0.0.1:{port}"
        check_micro_cache(base)
        static = f"http://127.0.0.1:{static_port}/site.css"
        targets = [("nginx, static file (site.css, as is)", static, {})]
        targets += [(f"{name}, nginx micro-cache", base + path, BROWSER) for name, path in PAGES]
        schedule = PAGES[1][1]
        session = {**BROWSER, "Cookie": "session=x"}  # bypasses nginx; the app's cache answers
        targets.append(("schedule page, nginx bypassed (cookie)", base + schedule, session))
        direct = f"http://127.0.0.1:{app.port}{schedule}"
        targets.append(("schedule page, gunicorn alone", direct, BROWSER))
        print(
            f"machine: {platform.node()}, {os.cpu_count()} CPUs ({platform.machine()}), "
            f"Python {platform.python_version()}; load average {os.getloadavg()[0]:.1f} at start"
        )
        version = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip()
        print(
            f"{version}, 2 workers; gunicorn {args.workers} workers x {args.threads} threads; "
            f"wrk 2 threads, {args.connections} connections, {args.duration} s per target"
        )
        print(
            "micro-cache checks: HIT for a page, BYPASS with a session cookie, never stored: "
            "Set-Cookie answers, the ballot page, POSTs"
        )
        # The static file is measured first and last (the machine is shared): the fractions
        # are of the higher of the two, the stricter comparison.
        targets.append(("nginx, static file again", static, {}))
        rows = []
        for name, url, headers in targets:
            size = len(get(url, headers)[2])
            wrk(url, 2, args.connections, headers=headers)  # warm up
            rows.append((name, size, wrk(url, args.duration, args.connections, headers=headers)))
            print(f"  measured: {name}: {rows[-1][2]['rps']:.0f} req/s", flush=True)
        baseline = max(rows[0][2]["rps"], rows[-1][2]["rps"])
        print("| target | bytes | req/s | of nginx static | p50 ms | p99 ms | errors |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for name, size, result in rows:
            print(
                f"| {name} | {size} | {result['rps']:.0f} | {result['rps'] / baseline:.0%} | "
                f"{result['p50']:.2f} | {result['p99']:.2f} | {result['errors']} |"
            )
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait(timeout=10)
        app.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
