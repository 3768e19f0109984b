"""Every route of the organizer area, enumerated from the URL map, checks who may use it.

Each test walks all routes and reports every one that fails, so one app and one log-in serve
a few hundred requests.
"""

import re

from accounts import csrf_token

OWN, OTHER = "bugs-2023", "synthetic-2024"


def _routes(app) -> list[tuple[str, str, str]]:
    """(url, endpoint, method) for every rule under /manage, ids and slugs filled in."""
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/manage"):
            continue
        url = re.sub(r"<int:[a-z_]+>", "1", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((url, rule.endpoint, method))
    # every kind's list, new, edit, validate, delete, move and history, and the rest
    assert len(routes) > 70, routes
    assert all("<" not in u.replace("<slug>", "") for u, _, _ in routes)
    return routes


def _send(client, method, url, token=None, headers=None):
    return client.open(
        url, method=method, data={"csrf_token": token} if token else {}, headers=headers or {}
    )


def test_anonymous_is_sent_to_log_in(app, client):
    token = csrf_token(client)
    wrong = []
    for url, _endpoint, method in _routes(app):
        url = url.replace("<slug>", OWN)
        response = _send(client, method, url, token if method == "POST" else None)
        location = response.headers.get("Location", "")
        if response.status_code not in (302, 303) or not location.startswith("/login?next="):
            wrong.append((method, url, response.status_code, location))
    assert not wrong


def test_anonymous_htmx_request_gets_hx_redirect(app, client):
    token = csrf_token(client)
    wrong = []
    for url, _endpoint, method in _routes(app):
        url = url.replace("<slug>", OWN)
        response = _send(
            client, method, url, token if method == "POST" else None, headers={"HX-Request": "true"}
        )
        target = response.headers.get("HX-Redirect", "")
        if response.status_code != 200 or not target.startswith("/login") or response.text:
            wrong.append((method, url, response.status_code, target))
    assert not wrong


def test_organizer_of_another_workshop_gets_403(app, login_as):
    client = login_as("bugs")
    token = csrf_token(client, "/manage/")
    wrong = []
    for url, endpoint, method in _routes(app):
        expected = 200 if endpoint == "manage.dashboard" else 403
        response = _send(
            client, method, url.replace("<slug>", OTHER), token if method == "POST" else None
        )
        if response.status_code != expected:
            wrong.append((method, url, response.status_code))
    assert not wrong


def test_post_without_csrf_token_is_refused(app, login_as):
    assert app.config.get("WTF_CSRF_ENABLED", True) is True
    client = login_as("bugs")
    wrong = []
    for url, _endpoint, method in _routes(app):
        if method != "POST":
            continue
        response = _send(client, method, url.replace("<slug>", OWN))
        if response.status_code != 400 or "CSRF" not in response.text:
            wrong.append((url, response.status_code))
    assert not wrong


def test_own_workshop_pages_answer(app, login_as):
    """The organizer's own GET pages render (404 only where the made-up id 1 is not theirs)."""
    client = login_as("bugs")
    wrong = []
    for url, endpoint, method in _routes(app):
        admins_only = endpoint == "manage.new_workshop" or endpoint.startswith(
            ("manage_accounts", "manage_people.", "manage_series.")
        )
        if method == "GET" and not admins_only:
            status = client.get(url.replace("<slug>", OWN)).status_code
            if status not in (200, 404) or status == 404 and "/1" not in url:
                wrong.append((url, status))
    assert not wrong


def test_admin_may_use_every_workshop(login_as):
    client = login_as("admin")
    for slug in (OWN, OTHER):
        assert client.get(f"/manage/{slug}/settings").status_code == 200
        assert client.get(f"/manage/{slug}/sponsors/").status_code == 200
        assert client.get(f"/manage/{slug}/access").status_code == 200
    assert client.get("/manage/new").status_code == 200
    assert client.get("/manage/people/").status_code == 200


def test_organizer_sees_only_own_workshops_on_dashboard(login_as):
    html = login_as("bugs").get("/manage/").text
    assert "/manage/bugs-2023/" in html and "/manage/synthetic-2024/" not in html


def test_organizer_cannot_invite_or_feature(login_as):
    client = login_as("bugs")
    token = csrf_token(client, "/manage/")
    response = client.post(
        "/manage/bugs-2023/access/invite", data={"csrf_token": token, "email": "x@example.org"}
    )
    assert response.status_code == 403
    html = client.get("/manage/bugs-2023/settings").text
    assert 'name="is_featured"' not in html and 'name="slug"' not in html
    assert 'name="is_published"' in html


def test_missing_workshop_is_404(login_as):
    assert login_as("admin").get("/manage/no-such-workshop/settings").status_code == 404
