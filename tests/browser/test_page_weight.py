"""In Chromium: a cold load of the BUGS schedule and home stays within the issue's byte budget.

The figures are the bytes on the wire (headers and encoded bodies, DevTools' "transferred") of
every response of a load in a new browser context (an empty cache), as bench/page_weight.py
prints them under gunicorn. They are deterministic: the same content, compressed the same way.
"""

import pytest

pytestmark = pytest.mark.browser

KB = 1024
BUDGETS = {  # path: (bytes, requests)
    "/bugs-2023/schedule": (60 * KB, 5),
    "/bugs-2023/": (50 * KB, 5),
}


def cold_load(new_context, url: str) -> list[dict]:
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(url, wait_until="networkidle")
    rows = []
    for request in finished:
        sizes, response = request.sizes(), request.response()
        rows.append(
            {
                "url": request.url,
                "bytes": sizes["responseHeadersSize"] + sizes["responseBodySize"],
                "headers": response.all_headers(),
            }
        )
    page.context.close()
    return rows


@pytest.mark.parametrize("path", list(BUDGETS))
def test_cold_load_within_the_byte_and_request_budget(live_server, new_context, path):
    budget, most = BUDGETS[path]
    rows = cold_load(new_context, live_server.url + path)
    total = sum(row["bytes"] for row in rows)
    listing = sorted((row["bytes"], row["url"]) for row in rows)
    assert len(rows) <= most, listing
    assert 0 < total <= budget, f"{total} bytes: {listing}"
    statics = [row for row in rows if "/static/" in row["url"]]
    assert {row["url"].rsplit("/", 1)[1].split(".")[0] for row in statics} >= {"site", "htmx"}
    for row in statics:  # hashed names, cached for good, sent compressed
        assert "immutable" in row["headers"]["cache-control"], row["url"]
        if row["url"].endswith((".css", ".js")):
            assert row["headers"]["content-encoding"] == "br", row["url"]
    print(f"{path}: {total} bytes in {len(rows)} requests")


def test_the_zone_list_is_not_in_the_page(live_server, new_context):
    """Every zone is on the time-zones page; the schedule carries the common ones."""
    page = new_context().new_page()
    page.goto(live_server.url + "/bugs-2023/schedule")
    assert page.locator("#tz-select option").count() < 60
    assert page.locator("datalist option").count() == 0
    page.context.close()
