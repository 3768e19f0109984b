"""Every page of the organizer area renders for an organizer."""

import pytest

from wsapp.blueprints.manage.kinds import KINDS


def test_dashboard_and_pages(app, login_as):
    client = login_as("bugs")
    assert "bugs-2023" in client.get("/manage/").text
    for path in [
        "/manage/bugs-2023/",
        "/manage/bugs-2023/settings",
        "/manage/bugs-2023/cfp",
        "/manage/bugs-2023/history",
        "/manage/bugs-2023/access",
    ]:
        response = client.get(path)
        assert response.status_code == 200, (path, response.text[:3000])


@pytest.mark.parametrize("kind", list(KINDS))
def test_lists_and_forms(app, login_as, kind):
    client = login_as("bugs")
    response = client.get(f"/manage/bugs-2023/{kind}/")
    assert response.status_code == 200, response.text[:3000]
    assert client.get(f"/manage/bugs-2023/{kind}/new").status_code == 200
    import re

    ids = re.findall(rf'href="/manage/bugs-2023/{kind}/(\d+)"', response.text)
    if ids:
        response = client.get(f"/manage/bugs-2023/{kind}/{ids[0]}")
        assert response.status_code == 200, response.text[:3000]
