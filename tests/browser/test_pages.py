"""In Chromium: the public pages render, load their assets and log no errors."""

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/bugs-2023/", "/bugs-2023/schedule", "/bugs-2023/speakers"])
def test_page_renders_with_assets(live_server, page, path):
    failed = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    response = page.goto(live_server.url + path)
    assert response.status == 200
    assert page.locator("h1").first.is_visible()
    assert page.evaluate("typeof window.htmx") == "object"
    assert not failed


def test_phone_layout_has_no_horizontal_scroll(live_server, new_context):
    context = new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + "/bugs-2023/schedule")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


def test_csp_violations_would_be_caught(live_server, page):
    """The `page` fixture fails a test on any console error; a CSP violation is one."""
    live_server.app.add_url_rule(
        "/csp-probe",
        "csp_probe",
        lambda: (
            '<!doctype html><title>x</title><link rel=icon href="data:,">'
            "<script>window.ran=1</script>"
        ),
    )
    page.goto(live_server.url + "/csp-probe")
    assert page.evaluate("window.ran") is None  # the inline script was blocked
    violations = [e for e in page.console_errors if "Content Security Policy" in e]
    assert violations, page.console_errors
    page.console_errors.clear()
