"""The htmx contract for every endpoint that can answer with a fragment."""

import pytest

FRAGMENT_ENDPOINTS = [
    ("/bugs-2023/schedule", 'id="schedule"'),
    ("/bugs-2023/cfp", 'id="dates-list"'),
    ("/bugs-2023/now", 'id="now-next"'),
    ("/bugs-2023/vote", 'id="ballots"'),
    ("/bugs-2023/papers?q=backdoor", 'id="papers"'),
]


@pytest.mark.parametrize(("path", "marker"), FRAGMENT_ENDPOINTS)
def test_plain_get_is_whole_page(client, path, marker):
    response = client.get(path)
    assert response.text.lstrip().startswith("<!doctype html>")
    assert marker in response.text
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize(("path", "marker"), FRAGMENT_ENDPOINTS)
def test_htmx_request_gets_only_the_block(client, path, marker):
    response = client.get(path, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text and "<header" not in response.text
    assert response.text.lstrip().startswith(f"<div {marker}") or marker in response.text[:200]
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize(("path", "marker"), FRAGMENT_ENDPOINTS)
@pytest.mark.parametrize(
    "headers",
    [
        {"HX-Request": "true", "HX-History-Restore-Request": "true"},
        {"HX-Request": "true", "HX-Boosted": "true"},
    ],
    ids=["history-restore", "boosted"],
)
def test_history_restore_and_boosted_get_whole_page(client, path, marker, headers):
    response = client.get(path, headers=headers)
    assert response.text.lstrip().startswith("<!doctype html>")
    assert "HX-Request" in response.headers["Vary"]


def test_csrf_token_is_in_hx_headers_where_htmx_changes_something(client):
    assert "X-CSRFToken" not in client.get("/bugs-2023/").text  # public pages: cacheable
    html = client.get("/bugs-2023/vote").text
    assert 'data-hx-headers=\'{"X-CSRFToken": "' in html
