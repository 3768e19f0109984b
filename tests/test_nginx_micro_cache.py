"""docs/deploy.md's nginx block, run by real nginx in front of the app: the micro-cache keeps
anonymous public pages and nothing personal. Skips where nginx is not installed."""

import importlib.util
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BROWSER = {"Accept-Encoding": "gzip, deflate, br"}


def _bench_nginx():
    """bench/nginx.py, which turns the guide's block into a runnable nginx.conf."""
    spec = importlib.util.spec_from_file_location("bench_nginx", ROOT / "bench" / "nginx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def nginx(live_server):
    if shutil.which("nginx") is None:
        if os.environ.get("WSAPP_REQUIRE_NGINX"):
            raise RuntimeError("WSAPP_REQUIRE_NGINX is set but nginx is not installed")
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    bench = _bench_nginx()
    # not under pytest's tmp_path: nginx's workers (nobody) must reach the cache folder
    folder = Path(tempfile.mkdtemp(prefix="wsapp-nginx-test-"))
    (folder / "www").mkdir()
    port, static_port = bench.free_port(), bench.free_port()
    upstream = int(live_server.url.rsplit(":", 1)[1])
    process = bench.start_nginx(folder, bench.bench_config(folder, port, static_port, upstream))
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)
    shutil.rmtree(folder, ignore_errors=True)


def _get(url: str, headers: dict, data: bytes | None = None):
    request = urllib.request.Request(url, headers=headers, data=data)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


def test_public_pages_are_served_from_the_micro_cache(nginx):
    for path in ("/bugs-2023/schedule", "/bugs-2023/", "/bugs-2023/schedule.ics"):
        first = _get(nginx + path, BROWSER)[1]
        status, again = _get(nginx + path, BROWSER)
        assert first["X-Micro-Cache"] == "MISS" and (status, again["X-Micro-Cache"]) == (200, "HIT")
        assert again["ETag"] == first["ETag"]
    # what the page varies on is in the key: another encoding is another entry
    assert _get(nginx + "/bugs-2023/schedule", {})[1]["X-Micro-Cache"] == "MISS"


@pytest.mark.parametrize("cookie", ["session=x", "remember_token=x", "wsapp_ballot=x"])
def test_a_visitor_with_a_session_log_in_or_ballot_goes_to_the_app(nginx, cookie):
    _get(nginx + "/bugs-2023/schedule", BROWSER)
    headers = {**BROWSER, "Cookie": cookie}
    assert _get(nginx + "/bugs-2023/schedule", headers)[1]["X-Micro-Cache"] == "BYPASS"


def test_personal_answers_and_posts_are_never_stored(nginx):
    # a cookie set (the zone), a page the app does not cache (no X-Cache), the ballot page
    paths = ("/bugs-2023/schedule?tz=Europe/Zurich", "/bugs-2023/vote/best-oral/poster")
    for path in (*paths, "/bugs-2023/vote"):
        for _ in range(2):
            headers = _get(nginx + path, BROWSER)[1]
            assert headers["X-Micro-Cache"] == "MISS", path
    assert "Set-Cookie" in headers  # the ballot page gives this browser its ballot cookie
    for _ in range(2):
        _status, headers = _get(nginx + "/bugs-2023/vote/best-oral", BROWSER, b"paper=1")
        assert headers.get("X-Micro-Cache") is None  # a POST is not even looked up
