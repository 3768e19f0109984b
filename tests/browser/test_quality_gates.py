"""Quality gates for every page of the URL map: valid HTML, no accessibility violations.

What runs (tests/quality.py finds the pages: every public and voting page for both demo
workshops, every organizer page for one, logged in as a site admin; about 80 pages):
- the Nu Html Checker on every page in every shipped language (en, fr, vi, zh), and on the HTML
  part of every kind of mail in every language: one JVM run over all files. The markup does not
  depend on the colour scheme, so once per language.
- axe-core (WCAG 2.0/2.1/2.2 A and AA rules) in Chromium on every page in English, light;
  in dark mode every page again with the rules that depend on colour (contrast, links in text),
  on the same page load (the emulated colour scheme switches; reduced motion, so no colour
  transition is caught half-way);
  in French, Vietnamese and Chinese a representative set of pages (home, schedule, speakers,
  call for papers, the ballot, the results, log-in, the organizer dashboard, an edit form, the
  history and the voting settings), light with all rules and dark with the colour rules.
axe is added with `context.add_init_script`: the browser runs it through DevTools, outside the
page's Content-Security-Policy, so the CSP stays on (no bypass_csp) while axe checks the page.

Without Java or Chromium these skip with the reason; WSAPP_REQUIRE_VNU and
WSAPP_REQUIRE_BROWSER (set by .ci/run) make them fail instead.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from quality import login, mail_bodies, pages, with_lang

from wsapp.i18n import LANGUAGES

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
REPRESENTATIVE = [
    "home.index bugs-2023", "schedule.index bugs-2023", "people.speakers bugs-2023",
    "cfp.index bugs-2023", "voting.index with a code", "voting.results bugs-2023", "auth.login",
    "manage.dashboard", "manage_items.edit schedule bugs-2023", "manage_history.index bugs-2023",
    "manage_voting.index bugs-2023", "account_password.forgot", "account_password.reset",
    "account.index", "manage_accounts.index", "manage_access.index bugs-2023",
]  # fmt: skip


def _need(tool: str, missing: str | None, variable: str) -> None:
    if missing:
        if os.environ.get(variable):
            pytest.fail(f"{variable} is set but {missing} is missing")
        pytest.skip(f"{tool} needs {missing}")


@pytest.fixture(scope="module")
def site(quality_site):
    return quality_site


@pytest.fixture(scope="module")
def html_pages(site) -> dict[str, list]:
    """Every page's HTML in every language: {code: [(Page, html)]}; only 200 text/html answers."""
    anonymous, organizer = site.app.test_client(), site.app.test_client()
    login(organizer)
    found: dict[str, list] = {}
    served: set[str] = set()
    files: set[str] = set()  # endpoints that answer a file (CSV, XML, text), not a page
    all_pages = pages(site)
    for lang in LANGUAGES:
        found[lang.code] = []
        for page in all_pages:
            client = organizer if page.organizer else anonymous
            response = client.get(with_lang(page.url, lang.code))
            endpoint = page.name.split(" ")[0]
            if response.status_code == 200 and response.mimetype == "text/html":
                found[lang.code].append((page, response.text))
                served.add(endpoint)
            elif response.status_code == 200:
                files.add(endpoint)
    endpoints = {page.name.split(" ")[0] for page in all_pages}
    # every endpoint of the URL map answered at least once: with a page, or with a file
    assert endpoints - served - files == set(), endpoints - served - files
    assert len(served) > 25
    return found


def test_every_page_in_every_language_passes_the_nu_html_checker(html_pages, site, tmp_path):
    java = shutil.which("java")
    _need("the Nu Html Checker", "java" if java is None else None, "WSAPP_REQUIRE_VNU")
    missing = None if VNU.is_file() else f"{VNU.relative_to(ROOT)} (npm ci --ignore-scripts)"
    _need("the Nu Html Checker", missing, "WSAPP_REQUIRE_VNU")
    canary = tmp_path / "canary.html"  # proves the checker runs and reports in this format
    canary.write_text('<!doctype html><html lang="en"><title>c</title><p hx-get="/x">c</p></html>')
    files, names = [canary], {canary: "canary"}
    for code, entries in html_pages.items():
        folder = tmp_path / code
        folder.mkdir()
        for number, (page, html) in enumerate(entries):
            path = folder / f"{number:03d}.html"
            path.write_text(html, encoding="utf-8")
            files.append(path)
            names[path] = f"{code} {page.name} ({page.url})"
    assert len(files) > 4 * 60
    # the HTML part of every kind of mail in every language (not pages, but read as HTML too)
    mails = tmp_path / "mail"
    mails.mkdir()
    for number, (name, html) in enumerate(mail_bodies(site)):
        path = mails / f"{number:03d}.html"
        path.write_text(html, encoding="utf-8")
        files.append(path)
        names[path] = name
    assert number + 1 == 5 * len(LANGUAGES)
    run = subprocess.run(
        [java, "-Xss4m", "-jar", str(VNU), "--errors-only", "--format", "json",
         *map(str, files)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    messages = json.loads(run.stderr or run.stdout)["messages"]
    flagged = {Path(m.get("url", "").removeprefix("file:")) for m in messages}
    assert canary in flagged, f"the checker did not flag the canary: {run.stderr[:500]}"
    problems = [
        f"{names.get(path, path)}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if (path := Path(m.get("url", "").removeprefix("file:"))) != canary
    ]
    assert not problems, f"{len(problems)} errors:\n" + "\n".join(problems[:60])


def _axe_context(browser, site):
    _need("axe-core", None if AXE.is_file() else "node_modules/axe-core", "WSAPP_REQUIRE_BROWSER")
    # reduced motion: no colour transition runs when _violations switches to dark mode
    context = browser.new_context(color_scheme="light", reduced_motion="reduce", base_url=site.url)
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.goto("/login")
    from accounts import PASSWORD
    from quality import ADMIN

    page.fill("#email", ADMIN)
    page.fill("#password", PASSWORD)
    page.click("#main form button[type=submit]")
    page.wait_for_url("**/manage/")
    return context, page


AXE_RUN = """async (rules) => {
  const result = await axe.run(document, {runOnly: rules, resultTypes: ["violations"]});
  return result.violations.map(v => `${v.id} (${v.impact}): ${v.help} at ` +
    v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
}"""


BACKGROUND = "getComputedStyle(document.body).backgroundColor"


def _violations(page, url: str) -> list[str]:
    """Every WCAG rule in light mode, then the colour rules in dark mode, on one page load."""
    response = page.goto(url, wait_until="load")
    assert response.status == 200, (url, response.status)
    found = [f"light: {v}" for v in page.evaluate(AXE_RUN, {"type": "tag", "values": WCAG})]
    light = page.evaluate(BACKGROUND)
    page.emulate_media(color_scheme="dark")  # the stylesheet's prefers-color-scheme rules
    try:
        assert page.evaluate(BACKGROUND) != light, f"{url}: no dark colours"
        colours = {"type": "rule", "values": COLOUR_RULES}
        found += [f"dark: {v}" for v in page.evaluate(AXE_RUN, colours)]
    finally:
        page.emulate_media(color_scheme="light")
    return [f"{url}: {v}" for v in found]


def _axe_pages(html_pages, code: str, names=None) -> list[str]:
    urls = [with_lang(page.url, code) for page, _html in html_pages[code]
            if names is None or page.name in names]  # fmt: skip
    # log-out is a button on every organizer page: check the public pages before it matters
    return urls


def test_axe_finds_no_violations_in_light_and_dark_mode(browser, site, html_pages):
    context, page = _axe_context(browser, site)
    problems = []
    try:
        for url in _axe_pages(html_pages, "en"):
            problems += _violations(page, url)
        for lang in LANGUAGES[1:]:
            subset = _axe_pages(html_pages, lang.code, REPRESENTATIVE)
            assert len(subset) == len(REPRESENTATIVE), subset
            for url in subset:
                problems += _violations(page, url)
    finally:
        context.close()
    assert not problems, f"{len(problems)} violations:\n" + "\n".join(problems[:60])
