"""In Chromium: light pages (bytes, origins, layout shift); screenshots at phone and laptop width.

The site (tests/quality.py) has a photo for every person and a logo for every sponsor and
institution, uploaded through the image pipeline, so the byte budget counts real images.
Screenshots go to tests/screenshots/ (git-ignored) for a person to look at.
"""

from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[1] / "screenshots"
BUDGET = 500 * 1024
CLS = """
window.__cls = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__cls += entry.value;
}).observe({type: "layout-shift", buffered: true});
"""
TRANSFERRED = """() => {
  const entries = [...performance.getEntriesByType("navigation"),
                   ...performance.getEntriesByType("resource")];
  return entries.map((e) => [e.name, e.transferSize]);
}"""


@pytest.fixture(scope="module")
def site(quality_site):
    return quality_site


def _load_everything(page, url: str) -> None:
    page.goto(url, wait_until="load")
    # scroll through the page so every lazily loaded image is fetched, then wait for them
    height = page.evaluate("document.documentElement.scrollHeight")
    for y in range(0, height + 800, 600):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(30)
    page.wait_for_load_state("networkidle")
    page.wait_for_function("[...document.images].every((img) => img.complete)")


def _show_everything(page, url: str) -> None:
    """Load the page with every image, the lazy ones too, fetched and decoded (for screenshots).

    Scrolling through the page as _load_everything does costs seconds on a tall phone page;
    the byte-budget test above does that, as a visitor would.
    """
    page.goto(url, wait_until="load")
    page.evaluate(
        """() => Promise.all([...document.images].map((img) => {
             img.loading = "eager";
             return img.decode().catch(() => {
               if (!img.complete) throw new Error(`image not loaded: ${img.currentSrc}`);
             });
           }))"""
    )


@pytest.mark.parametrize("path", ["/bugs-2023/", "/bugs-2023/speakers"])
def test_page_is_light_same_origin_and_does_not_shift(browser, site, path):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.add_init_script(CLS)
    _load_everything(page, site.url + path)
    entries = page.evaluate(TRANSFERRED)
    images = page.evaluate(
        "[...document.images].map((i) => [i.currentSrc, i.getAttribute('width'),"
        " i.getAttribute('height'), i.naturalWidth])"
    )
    shift = page.evaluate("window.__cls")
    context.close()

    origin = urlsplit(site.url).netloc
    assert all(urlsplit(url).netloc == origin for url in requested), requested
    total = sum(size for _name, size in entries)
    assert 0 < total <= BUDGET, f"{total} bytes: {sorted(entries, key=lambda e: -e[1])[:8]}"
    photos = [src for src, *_ in images if "/media/" in src]
    assert photos, "the page shows uploaded images"  # the budget counts real pictures
    assert all(width and height and natural for _src, width, height, natural in images), images
    assert shift < 0.01, f"layout shift {shift}"
    print(f"{path}: {total} bytes in {len(entries)} responses, {len(photos)} images, CLS {shift}")


SCREENS = [
    ("home", "/bugs-2023/"),
    ("schedule", "/bugs-2023/schedule"),
    ("speakers", "/bugs-2023/speakers"),
    ("voting", "/bugs-2023/vote?code={code}"),
    ("results", "/bugs-2023/vote/results"),
]


@pytest.mark.parametrize("width", [390, 1280])
def test_screenshots_at_phone_and_laptop_width(browser, site, width):
    SHOTS.mkdir(exist_ok=True)
    overflowing = []
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        page = context.new_page()
        for name, path in SCREENS:
            _show_everything(page, site.url + path.format(code=site.state["code"]))
            suffix = "" if scheme == "light" else "-dark"
            page.screenshot(path=SHOTS / f"{name}-{width}{suffix}.png", full_page=True)
            if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
                overflowing.append(f"{name} ({scheme})")
        context.close()
    assert not overflowing, f"wider than {width}px: {overflowing}"
    assert (SHOTS / f"home-{width}.png").stat().st_size > 10_000


def test_print_shows_the_schedule_without_controls(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site.url + "/bugs-2023/schedule?lang=fr")
    page.emulate_media(media="print")
    for hidden in (".lang-switch", ".tz-switch", ".site-header nav", "td.actions", ".exports"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.locator("table.schedule").first.evaluate("t => getComputedStyle(t).display") == (
        "table"  # the phone's cards are for screens: paper gets the real table
    )
    link = page.locator("td.presenters a[href^='http']").first
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    page.screenshot(path=SHOTS / "schedule-print.png", full_page=True)
    context.close()
    assert after in ("none", "normal")  # presenter links stay short; the prose links show


@pytest.mark.parametrize("path", ["/bugs-2023/", "/bugs-2023/speakers", "/bugs-2023/organizers"])
def test_images_hold_their_place_before_they_load(browser, site, path):
    """With every image held back, each one already has its final box: nothing moves later."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    held = []
    page.route("**/media/**", lambda route: held.append(route))  # left unanswered
    page.goto(site.url + path, wait_until="domcontentloaded")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")  # lazy ones too
    boxes = page.evaluate(
        "[...document.images].map((i) => [i.getAttribute('src'), i.getBoundingClientRect().width,"
        " i.getBoundingClientRect().height, +i.getAttribute('width'), +i.getAttribute('height')])"
    )
    context.close()
    assert boxes and held
    for src, width, height, attr_width, attr_height in boxes:
        assert width > 0 and height > 0, src
        assert abs(width / height - attr_width / attr_height) < 0.02, (src, width, height)
