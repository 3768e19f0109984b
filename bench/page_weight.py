"""Bytes and requests of a cold page load in Chromium, beside the same responses uncompressed.

    python bench/page_weight.py                      # the BUGS home and schedule
    python bench/page_weight.py /bugs-2023/speakers  # other pages

gunicorn (gunicorn.conf.py, production settings) serves an SQLite copy of the demo content from
a temporary folder; Debian's Chromium (/usr/bin/chromium, driven by Playwright) loads each page
in a new browser context (an empty cache) and waits until the network is idle. For every
response it counts the bytes on the wire (headers and encoded body, as DevTools' "transferred"
column does) and, as the baseline of the same run, the body's decoded size: what the page would
weigh if nothing were compressed. The issue's targets: the schedule within 60 KB and 5
requests, the home within 50 KB.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from harness import Server, server_env, sqlite_demo  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]
PAGES = ["/bugs-2023/", "/bugs-2023/schedule"]
TARGETS = {"/bugs-2023/": (50 * 1024, None), "/bugs-2023/schedule": (60 * 1024, 5)}


def cold_load(browser, url: str) -> list[tuple[str, int, int]]:
    """(url, bytes transferred, body bytes decoded) of every response of a cold load of `url`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(url, wait_until="networkidle")
    rows = []
    for request in finished:
        sizes = request.sizes()
        response = request.response()
        decoded = len(response.body()) if response else 0
        rows.append(
            (request.url, sizes["responseHeadersSize"] + sizes["responseBodySize"], decoded)
        )
    context.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", default=PAGES)
    parser.add_argument("--details", action="store_true", help="one line per response")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="wsapp-weight-"))
    env = server_env(sqlite_demo(folder), "bench")
    server = Server("wsgi:app", env, threads=4, workers=1, log=folder / "app.log")
    try:
        server.wait_ready()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            print(f"Chromium, a new context per load; gunicorn on {os.cpu_count()} CPUs")
            print(f"{'page':<28} {'requests':>8} {'transferred':>12} {'uncompressed':>13}  target")
            for path in args.paths:
                rows = cold_load(browser, f"http://127.0.0.1:{server.port}{path}")
                sent = sum(row[1] for row in rows)
                decoded = sum(row[2] for row in rows)
                budget, most = TARGETS.get(path, (None, None))
                target = ""
                if budget:
                    target = f"<= {budget // 1024} KB" + (f", <= {most} requests" if most else "")
                print(f"{path:<28} {len(rows):>8} {sent:>12,} {decoded:>13,}  {target}")
                if args.details:
                    for url, size, body in sorted(rows, key=lambda row: -row[1]):
                        print(f"    {size:>9,} {body:>9,}  {url.split(str(server.port), 1)[1]}")
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
