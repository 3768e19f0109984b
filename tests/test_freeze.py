"""`flask freeze`: a static copy with relative links that all resolve, valid HTML, live links."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import SQLITE_ONLY, dispose
from conftest import test_config as config_for  # not collected as a test under this name
from flask import Response, url_for
from sqlalchemy import select

from wsapp import create_app
from wsapp.extensions import db
from wsapp.models import NewsPost, Workshop
from wsapp.timezones.clock import now

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIVE = "https://live.example.org/"
MIRROR = "https://someone.github.io/workshops/"
URL_ATTRIBUTES = [("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"),
                  ("source", "src"), ("form", "action"), ("iframe", "src")]  # fmt: skip


def freeze(app, out: Path, *args: str, ok: bool = True):
    result = app.test_cli_runner().invoke(args=["freeze", str(out), *args])
    if ok:
        assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def frozen(database_url, tmp_path_factory):
    """The demo frozen once per backend for the tests that only read the copy."""
    folder = tmp_path_factory.mktemp("frozen")
    app = create_app(config_for(database_url, MEDIA_DIR=str(folder / "media")))
    try:
        freeze(app, folder / "site", "--base-url", LIVE, "--mirror-url", MIRROR)
    finally:
        dispose(app)
    return folder / "site"


def html_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def links_of(path: Path) -> list[str]:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    found = [
        tag[attr] for name, attr in URL_ATTRIBUTES for tag in soup.find_all(name) if tag.get(attr)
    ]
    found += [c.split()[0] for tag in soup.find_all(srcset=True) for c in tag["srcset"].split(",")]
    return found


def broken_links(out: Path) -> list[str]:
    """Every relative link resolved on disk, as a browser opening the files would."""
    problems = []
    for page in html_files(out):
        for link in links_of(page):
            parts = urlsplit(link)
            if parts.scheme or link.startswith("#"):
                continue
            where = f"{page.relative_to(out)}: {link}"
            if link.startswith("/"):
                problems.append(f"{where} starts with / (breaks from file:// and project pages)")
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if not target.is_relative_to(out.resolve()):
                problems.append(f"{where} leaves the copy")
            elif not target.is_file():
                problems.append(f"{where} is not a file (a folder does not open from file://)")
            elif parts.fragment and f'id="{parts.fragment}"' not in target.read_text("utf-8"):
                problems.append(f"{where} has no element with that id")
    for css in out.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8")):
            if not urlsplit(url).scheme and not (css.parent / url.split("#")[0]).exists():
                problems.append(f"{css.relative_to(out)}: url({url}) is missing")
    return problems


def test_frozen_site_has_no_broken_internal_link(frozen):
    assert len(html_files(frozen)) >= 15
    assert not broken_links(frozen), "\n".join(broken_links(frozen))


def test_every_public_page_is_in_the_copy(client, frozen):
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    paths = [urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    assert len(paths) >= 15
    missing = [p for p in paths if not (frozen / p.strip("/") / "index.html").is_file()]
    assert not missing, missing
    assert (frozen / ".nojekyll").is_file()
    hashed = client.application.extensions["wsapp.static"]  # the built files' hashed names
    source = Path(client.application.static_folder)
    for asset in ("css/site.css", "vendor/htmx/htmx.min.js", "js/site.js", "img/favicon.svg"):
        copied = frozen / "static" / hashed[asset]
        assert copied.read_bytes() == (source / asset).read_bytes(), asset
    assert not (frozen / "bugs-2023" / "time-zones").exists()  # a copy has no zone switch


def test_frozen_pages_keep_content_and_point_at_the_live_site(client, frozen):
    live = client.get("/bugs-2023/schedule").get_data(as_text=True)
    copy = (frozen / "bugs-2023" / "schedule" / "index.html").read_text(encoding="utf-8")
    assert copy.count('<tr class="item') == live.count('<tr class="item') == 19
    assert '<link rel="canonical" href="https://live.example.org/bugs-2023/schedule">' in copy
    stylesheet = client.application.extensions["wsapp.static"]["css/site.css"]
    assert re.fullmatch(r"css/site\.[0-9a-f]{12}\.css", stylesheet)
    assert f'href="../../static/{stylesheet}"' in copy  # the hashed name, relative
    assert "hx-" not in copy and "X-CSRFToken" not in copy  # htmx and the CSRF token are gone
    assert "This is a static copy of the site" in copy  # FREEZING is set while rendering
    assert f'<a href="{LIVE}">Go to the live site</a>' in copy
    root = (frozen / "index.html").read_text(encoding="utf-8")
    assert 'href="synthetic-2024/schedule/index.html"' in root  # "/" is the featured edition


def test_sitemap_and_robots_describe_the_copy(frozen):
    sitemap = (frozen / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert f"{MIRROR}bugs-2023/schedule/" in locs and f"{MIRROR}archive/" in locs
    assert all(loc.startswith(MIRROR) for loc in locs)
    assert f"Sitemap: {MIRROR}sitemap.xml" in (frozen / "robots.txt").read_text(encoding="utf-8")


def test_one_workshop(app, tmp_path):
    out = tmp_path / "bugs"
    freeze(app, out, "--slug", "bugs-2023", "--base-url", LIVE)
    assert not (out / "synthetic-2024").exists() and not (out / "sitemap.xml").exists()
    root = (out / "index.html").read_text(encoding="utf-8")
    assert "Backdoors in Deep Learning" in root and 'href="bugs-2023/cfp/index.html"' in root
    archive = (out / "archive" / "index.html").read_text(encoding="utf-8")
    assert f'href="{LIVE}synthetic-2024/"' in archive  # the other edition stays live
    assert not broken_links(out), broken_links(out)


def test_without_urls_unfrozen_links_are_unlinked(app, tmp_path):
    out = tmp_path / "plain"
    result = freeze(app, out, "--slug", "bugs-2023")
    assert "canonical links were left out" in result.output
    assert "sitemap.xml left out" in result.output
    archive = (out / "archive" / "index.html").read_text(encoding="utf-8")
    assert "synthetic-2024/" not in archive and "AI in the Synthetic Age" in archive
    assert 'rel="canonical"' not in archive and "og:url" not in archive


def add_post(app, body: str) -> None:
    with app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.slug == "bugs-2023"))
        db.session.add(NewsPost(workshop_id=workshop.id, slug="links", title="Links",
                                body_md=body, published_dt=now()))  # fmt: skip
        db.session.commit()


def test_query_links_fall_back_to_the_default_view(app, tmp_path):
    add_post(app, "[in Zurich](/bugs-2023/schedule?tz=Europe/Zurich#item-1)")
    out = tmp_path / "q"
    result = freeze(app, out, "--slug", "bugs-2023")
    post = (out / "bugs-2023" / "news" / "links" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../schedule/index.html#item-1"' in post
    assert "1 links lost their query string" in result.output


def test_broken_internal_link_fails_the_freeze(app, tmp_path):
    add_post(app, "[gone](/bugs-2023/nowhere)")
    result = freeze(app, tmp_path / "b", "--slug", "bugs-2023", ok=False)
    assert result.exit_code == 1
    assert "Broken link on /bugs-2023/news/links: /bugs-2023/nowhere answers 404" in result.output


def test_exports_in_the_url_map_are_copied(app, tmp_path):
    """An export nobody links to yet (as issue 4 adds them) is found in the url_map."""

    def export(slug):
        link = url_for("schedule.index", slug=slug, _external=True)
        return Response(f"BEGIN:VCALENDAR\r\nURL:{link}\r\nEND:VCALENDAR\r\n",
                        mimetype="text/calendar")  # fmt: skip

    app.add_url_rule("/<slug>/test-export.ics", "test_export", export)
    out = tmp_path / "x"
    result = freeze(app, out, "--slug", "bugs-2023", "--base-url", LIVE)
    ics = (out / "bugs-2023" / "test-export.ics").read_text(encoding="utf-8")
    assert f"URL:{LIVE}bugs-2023/schedule" in ics
    assert "Copied though no page links to them: /bugs-2023/test-export.ics" in result.output


def test_voting_stays_on_the_live_server(app, tmp_path):
    add_post(app, "[Vote for the best oral](/bugs-2023/vote)")
    out = tmp_path / "v"
    result = freeze(app, out, "--slug", "bugs-2023", "--base-url", LIVE)
    post = (out / "bugs-2023" / "news" / "links" / "index.html").read_text(encoding="utf-8")
    assert f'<a href="{LIVE}bugs-2023/vote"' in post
    assert not (out / "bugs-2023" / "vote").exists()
    assert "/bugs-2023/vote" in result.output  # listed among the links left to the live server


def test_outdir_must_be_empty_and_slug_published(app, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("x")
    result = freeze(app, tmp_path / "full", ok=False)
    assert result.exit_code == 1 and "is not empty (pass --overwrite" in result.output
    result = freeze(app, tmp_path / "n", "--slug", "nope", ok=False)
    assert "no published workshop 'nope'" in result.output
    result = freeze(app, tmp_path / "u", "--base-url", "live.example.org", ok=False)
    assert "is not an absolute http(s) address" in result.output


@SQLITE_ONLY  # the markup is the templates'; the database only fills it
def test_frozen_pages_pass_the_nu_html_checker(frozen, tmp_path):
    java = shutil.which("java")
    if java is None or not VNU.is_file():
        reason = "java" if java is None else f"{VNU.relative_to(ROOT)} (npm ci --ignore-scripts)"
        if os.environ.get("WSAPP_REQUIRE_VNU"):
            pytest.fail(f"WSAPP_REQUIRE_VNU is set but {reason} is missing")
        pytest.skip(f"Nu Html Checker needs {reason}")
    canary = tmp_path / "canary.html"  # proves the checker runs and reports in this format
    canary.write_text('<!doctype html><html lang="en"><title>c</title><p hx-get="/x">c</p></html>')
    files = [str(p) for p in html_files(frozen)]
    run = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", str(canary), *files],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    messages = json.loads(run.stderr or run.stdout)["messages"]
    found = {Path(urlsplit(m.get("url", "")).path): m for m in messages}
    assert canary in found, f"the checker did not flag the canary: {run.stderr[:500]}"
    problems = [
        f"{path.relative_to(frozen)}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if (path := Path(urlsplit(m.get("url", "")).path)) != canary
    ]
    assert not problems, "\n".join(problems)


def _shown(html: str) -> dict:
    """What a page tells a reader about time: every <time> (instant and text), the zone
    labels, and the text of the main content without forms (a static copy drops them)."""
    main = BeautifulSoup(html, "html.parser").find("main")
    for tag in main.find_all(["form", "script"]) + main.select(".frozen-note"):
        tag.decompose()
    return {
        "times": [(t.get("datetime"), t.get_text(" ", strip=True)) for t in main.find_all("time")],
        "zones": [p.get_text(" ", strip=True) for p in main.select(".zone-note, .tz-note, .zone")],
        "text": " ".join(main.get_text(" ", strip=True).split()),
    }


def test_every_frozen_page_of_every_workshop_shows_what_the_live_page_shows(make_app, tmp_path):
    """Two workshops in different zones (New Orleans, Vancouver), frozen together on the BUGS
    workshop day: each page of the copy has the live page's times, zone labels and text."""
    app = make_app(NOW="2023-12-15T20:10:00+00:00", PAGE_CACHE=False)
    out = tmp_path / "site"
    freeze(app, out)
    compared = 0
    for slug, zone in (("bugs-2023", "New Orleans"), ("synthetic-2024", "Vancouver")):
        for page in sorted((out / slug).rglob("index.html")):
            folder = str(page.parent.relative_to(out))
            path = f"/{slug}/" if folder == slug else f"/{folder}"
            live = app.test_client().get(path)
            assert live.status_code == 200, path
            copy, shown = _shown(page.read_text("utf-8")), _shown(live.get_data(as_text=True))
            assert copy == shown, path
            compared += 1
        schedule = _shown((out / slug / "schedule" / "index.html").read_text("utf-8"))
        assert any(zone in label for label in schedule["zones"]), schedule["zones"]
    assert compared >= 13
