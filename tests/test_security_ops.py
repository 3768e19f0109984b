"""Security headers, health endpoints, request ids, static caching and compression."""

import gzip
import hashlib
import json
import logging
import re
from pathlib import Path

import brotli
import pytest
from flask import request
from pages import SITE_PAGES, WORKSHOP_PAGES

from wsapp import assets
from wsapp.config_check import SettingsError
from wsapp.observability import JSONFormatter

PUBLIC = [*SITE_PAGES, *WORKSHOP_PAGES, "/nope", "/healthz", "/readyz"]


@pytest.mark.parametrize("path", PUBLIC)
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in csp
    assert "'nonce-" in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response.headers  # development


def test_nonce_differs_per_response_and_no_page_needs_inline_script(client):
    first, second = client.get("/bugs-2023/"), client.get("/bugs-2023/")
    assert second.headers["X-Cache"] == "hit"
    nonce = first.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert nonce not in second.headers["Content-Security-Policy"]
    # every script is a file of this site ('self'); none is inline, so no page carries a nonce
    # a cached copy could replay
    assert "<script>" not in first.text and "nonce=" not in first.text


def test_hsts_in_production(make_app):
    app = make_app(ENV="production")
    response = app.test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=63072000")


def test_production_refuses_to_start_without_secret(make_app):
    with pytest.raises(SettingsError, match="WSAPP_SECRET_KEY"):
        make_app(ENV="production", SECRET_KEY=None)


def test_health_and_readiness(client):
    assert client.get("/healthz").json == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json["checks"] == {"database": "ok"}


def test_readiness_reports_unreachable_redis(make_app):
    app = make_app(REDIS_URL="redis://127.0.0.1:1/0")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["redis"] == "unreachable"


def test_request_id_is_echoed_or_made(client):
    assert (
        client.get("/healthz", headers={"X-Request-ID": "abc12345-req"}).headers["X-Request-ID"]
        == "abc12345-req"
    )
    made = client.get("/healthz", headers={"X-Request-ID": "bad id <script>"}).headers[
        "X-Request-ID"
    ]
    assert len(made) == 32


def test_json_log_lines_carry_request_id(app):
    record = logging.LogRecord("wsapp.access", logging.INFO, __file__, 1, "GET / 200", (), None)
    record.status = 200
    with app.test_request_context("/"):
        from flask import g

        g.request_id = "rid-12345678"
        line = json.loads(JSONFormatter().format(record))
    assert line["request_id"] == "rid-12345678" and line["status"] == 200


def test_static_urls_are_hashed_names_cached_for_a_year_and_precompressed(client):
    html = client.get("/bugs-2023/").text
    href = html.split('rel="stylesheet" href="')[1].split('"')[0]
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", href), href
    source = (Path(client.application.static_folder) / "css/site.css").read_bytes()
    assert hashlib.sha256(source).hexdigest()[:12] in href
    for encoding, decompress in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        with client.get(href, headers={"Accept-Encoding": f"{encoding}"}) as response:
            assert response.status_code == 200
            assert response.headers["Content-Encoding"] == encoding
            assert "Accept-Encoding" in response.headers["Vary"]
            assert response.cache_control.max_age >= 31536000 and response.cache_control.immutable
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert decompress(response.get_data()) == source
            assert len(response.get_data()) < len(source) / 3
    # the plain name still answers (old pages, e-mails), cached for minutes only
    with client.get("/static/css/site.css") as plain:
        assert plain.get_data() == source and plain.cache_control.max_age == 300
        assert not plain.cache_control.immutable


def test_static_files_are_served_by_whitenoise_not_flask(app, client):
    served = []
    app.before_request(lambda: served.append(request.path))
    with client.get("/static/img/favicon.svg") as response:
        assert response.status_code == 200
    assert served == []  # answered in front of Flask: no session, hooks or send_file


def test_a_static_folder_that_cannot_be_written_stops_the_app_with_its_name(make_app, tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(SettingsError, match="WSAPP_STATIC_DIR: cannot build the static files"):
        make_app(STATIC_DIR=str(tmp_path / "a-file" / "static"))


def test_flask_static_build_writes_a_folder_nginx_can_serve(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["static", "build", str(tmp_path / "out")])
    assert result.exit_code == 0 and "static files into" in result.output
    names = json.loads((tmp_path / "out" / "manifest.json").read_text())["files"]
    source = Path(app.static_folder)
    for name, hashed in names.items():
        assert (tmp_path / "out" / hashed).read_bytes() == (source / name).read_bytes()
        assert (tmp_path / "out" / name).read_bytes() == (source / name).read_bytes()
    assert (tmp_path / "out" / (names["vendor/htmx/htmx.min.js"] + ".br")).is_file()


def test_the_build_is_redone_when_a_source_changes(tmp_path):
    source, target = tmp_path / "static", tmp_path / "built"
    (source / "css").mkdir(parents=True)
    (source / "css" / "a.css").write_text("body { color: red }\n" * 50)
    first = assets.ensure_built(source, target)
    assert first["files"] == {
        "css/a.css": assets.hashed_name("css/a.css", (source / "css/a.css").read_bytes())
    }
    assert (target / (first["files"]["css/a.css"] + ".br")).is_file()
    assert assets.ensure_built(source, target) == first  # nothing changed: nothing rebuilt
    (source / "css" / "a.css").write_text("body { color: blue }\n" * 50)
    second = assets.ensure_built(source, target)
    assert second["files"]["css/a.css"] != first["files"]["css/a.css"]
    assert (target / first["files"]["css/a.css"]).is_file()  # an earlier release's file stays
    assert (target / "css/a.css").read_text().startswith("body { color: blue }")


def test_responses_are_compressed(client):
    response = client.get("/bugs-2023/schedule", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]


def test_proxy_headers_trusted_only_when_configured(make_app):
    from flask import request

    for count, expected in ((0, "http"), (1, "https")):
        app = make_app(PROXY_COUNT=count)
        app.add_url_rule("/scheme", "scheme", lambda: request.scheme)
        response = app.test_client().get("/scheme", headers={"X-Forwarded-Proto": "https"})
        assert response.text == expected


def _get_pages(app, prefix: str) -> list[str]:
    """Every GET route whose only arguments are the workshop slug (or none), for one workshop."""
    pages = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if set(rule.arguments) - {"slug"} or not rule.rule.startswith(prefix):
            continue
        pages.append(rule.rule.replace("<slug>", "bugs-2023"))
    return sorted(set(pages))


def _assert_headers(response, path):
    headers = response.headers
    assert "Content-Security-Policy" in headers, path
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"], path
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], path
    for name in ("X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy"):
        assert name in headers, (path, name)


def test_security_headers_on_every_public_page(app, client):
    pages = _get_pages(app, "/")
    assert len(pages) > 15
    for path in pages:
        if path.startswith("/manage"):
            continue
        _assert_headers(client.get(path), path)


def test_security_headers_on_every_organizer_page(app, login_as):
    client = login_as("bugs")
    pages = _get_pages(app, "/manage")
    assert len(pages) > 5
    for path in pages:
        response = client.get(path)
        assert response.status_code < 500, path
        _assert_headers(response, path)
