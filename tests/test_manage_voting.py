"""The organizer's voting settings: mode, categories, windows in venue time, open/close, publish."""

import datetime as dt
import re

import pytest
from accounts import csrf_token
from voting_helpers import DURING, category, csrf, issue_codes, orals, set_clock, workshop

from wsapp.extensions import db
from wsapp.models import Change, ManualState, VotingMode
from wsapp.services.voting import ballots, results
from wsapp.services.voting import votes as voting

URL = "/manage/bugs-2023/voting/"
BEFORE = dt.datetime(2023, 12, 14, 12, 0, tzinfo=dt.UTC)  # a day before the window


@pytest.fixture
def chair(login_as):
    """The bugs-2023 organizer's client and a CSRF token."""
    client = login_as("bugs")
    return client, csrf_token(client, URL)


def cat_id(app, slug="best-oral") -> int:
    with app.app_context():
        return category(slug).id


def post_window(chair, cid, opens, closes, **extra):
    client, token = chair
    data = {"csrf_token": token, f"w{cid}-opens": opens, f"w{cid}-closes": closes}
    data.update({f"w{cid}-{k}": v for k, v in extra.items()})
    return client.post(f"{URL}categories/{cid}/window", data=data)


def test_page_shows_categories_with_windows_in_venue_time(app, chair):
    html = chair[0].get(URL).text
    cid = cat_id(app)
    assert "Best oral" in html and "Best poster" in html
    # the demo window is 11:00 to 17:15 in Chicago, stored as 17:00 to 23:15 UTC
    assert f'name="w{cid}-opens" type="datetime-local" value="2023-12-15T11:00"' in html
    assert f'name="w{cid}-closes" type="datetime-local" value="2023-12-15T17:15"' in html
    assert 'href="/manage/bugs-2023/voting/"' in chair[0].get("/manage/bugs-2023/").text


def test_window_typed_in_venue_time_is_stored_as_utc(app, chair):
    cid = cat_id(app)
    response = post_window(chair, cid, "2023-12-15T09:30", "2023-12-15T18:00")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{URL}#category-{cid}")
    with app.app_context():
        cat = category()
        assert cat.opens_dt == dt.datetime(2023, 12, 15, 15, 30, tzinfo=dt.UTC)
        assert cat.closes_dt == dt.datetime(2023, 12, 16, 0, 0, tzinfo=dt.UTC)
        change = db.session.scalars(
            db.select(Change).where(Change.entity == "award_category").order_by(Change.id.desc())
        ).first()
        assert change.action == "update" and change.summary == "Best oral"
    assert "Saved the voting window" in chair[0].get(URL).text
    history = chair[0].get("/manage/bugs-2023/history")
    assert history.status_code == 200 and "Best oral" in history.text


def test_a_window_change_can_be_restored_from_the_history(app, chair):
    cid = cat_id(app)
    post_window(chair, cid, "2023-12-15T09:30", "2023-12-15T18:00")
    with app.app_context():
        change = db.session.scalars(
            db.select(Change).where(Change.entity == "award_category").order_by(Change.id.desc())
        ).first()
    client, token = chair
    response = client.post(
        f"/manage/bugs-2023/history/{change.id}/restore", data={"csrf_token": token}
    )
    assert response.status_code == 303
    with app.app_context():
        assert category().opens_dt == dt.datetime(2023, 12, 15, 17, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        ("2024-03-10T02:30", "", "does not exist in America/Chicago"),  # clocks jump forward
        ("2024-11-03T01:30", "", "happens twice in America/Chicago"),  # clocks go back
        ("2023-12-15T12:00", "2023-12-15T12:00", "must close after it opens"),
        ("", "2023-12-15T12:00", "Give the opening time too"),
        ("next tuesday", "", "Give a date and time such as"),
    ],
)
def test_bad_window_is_refused_with_a_clear_message(app, chair, opens, closes, message):
    cid = cat_id(app)
    response = post_window(chair, cid, opens, closes)
    assert response.status_code == 422
    assert message in response.text and "was not saved" in response.text
    assert f'value="{opens}"' in response.text  # the input is kept
    with app.app_context():
        assert category().opens_dt == dt.datetime(2023, 12, 15, 17, 0, tzinfo=dt.UTC)


def test_repeated_hour_takes_the_chosen_one(app, chair):
    cid = cat_id(app)
    assert f'name="w{cid}-fold"' in post_window(chair, cid, "2024-11-03T01:30", "").text
    assert post_window(chair, cid, "2024-11-03T01:30", "", fold="1").status_code == 303
    with app.app_context():  # the second 01:30 is CST (UTC-6)
        assert category().opens_dt == dt.datetime(2024, 11, 3, 7, 30, tzinfo=dt.UTC)
        assert category().closes_dt is None


def test_window_can_be_cleared(app, chair):
    assert post_window(chair, cat_id(app), "", "").status_code == 303
    with app.app_context():
        assert category().opens_dt is None and category().closes_dt is None


def _vote(app, code: str) -> int:
    voter = app.test_client()
    token = csrf(voter.get(f"/bugs-2023/vote?code={code}").text)
    with app.app_context():
        paper = orals()[0].id
    return voter.post(
        "/bugs-2023/vote/best-oral", data={"paper": paper, "code": code, "csrf_token": token}
    ).status_code


def test_manual_open_lets_a_vote_through_and_close_stops_it(app, chair):
    client, token = chair
    set_clock(app, BEFORE)
    cid = cat_id(app)
    code, other = issue_codes(app, 2)
    assert _vote(app, code) == 409  # not open yet

    response = client.post(
        f"{URL}categories/{cid}/state", data={"csrf_token": token, "state": "open"}
    )
    assert response.status_code == 303
    assert _vote(app, code) == 303
    with app.app_context():
        assert category().manual_state == ManualState.OPEN
        assert results.tally(category()).total == 1
    assert "is open now" in client.get(URL).text

    client.post(f"{URL}categories/{cid}/state", data={"csrf_token": token, "state": "closed"})
    assert _vote(app, other) == 409
    client.post(f"{URL}categories/{cid}/state", data={"csrf_token": token, "state": "auto"})
    with app.app_context():
        assert category().manual_state == ManualState.AUTO


def test_unknown_state_or_category_is_refused(app, chair):
    client, token = chair
    cid = cat_id(app)
    response = client.post(
        f"{URL}categories/{cid}/state", data={"csrf_token": token, "state": "sideways"}
    )
    assert response.status_code == 400 and "Choose open, closed or automatic" in response.text
    with app.app_context():
        foreign = voting.category(workshop("synthetic-2024"), "best-oral")
        foreign_id = foreign.id if foreign else 10**6
    assert (
        client.post(
            f"{URL}categories/{foreign_id}/state", data={"csrf_token": token, "state": "open"}
        ).status_code
        == 404
    )


def _cast(app, picks: list[int]) -> list[int]:
    with app.app_context():
        ws, cat, papers = workshop(), category(), orals()
        for n, index in enumerate(picks):
            ballot = ballots.open_ballot(ws, f"manage-{n:04d}-" + "z" * 20)
            voting.cast_vote(ballot, cat, papers[index].id, DURING)
        db.session.commit()
        return [p.title for p in papers]


def test_publish_shows_winners_on_home_page_and_results_page(app, client, chair):
    titles = _cast(app, [2, 2, 1])
    chair_client, token = chair
    assert 'id="awards"' not in client.get("/bugs-2023/").text
    assert client.get("/bugs-2023/vote/results").status_code == 404

    url = f"{URL}categories/{cat_id(app)}/publish"
    assert chair_client.post(url, data={"csrf_token": token, "published": "1"}).status_code == 303
    home = client.get("/bugs-2023/").text
    awards = home[home.index('id="awards"') :]
    assert "Best oral" in awards and titles[2] in awards and titles[1] not in awards
    public = client.get("/bugs-2023/vote/results")
    assert public.status_code == 200 and titles[2] in public.text

    assert chair_client.post(url, data={"csrf_token": token, "published": "0"}).status_code == 303
    assert 'id="awards"' not in client.get("/bugs-2023/").text
    assert client.get("/bugs-2023/vote/results").status_code == 404
    bad = chair_client.post(url, data={"csrf_token": token, "published": "maybe"})
    assert bad.status_code == 400


def test_mode_setting(app, chair):
    client, token = chair
    assert client.post(f"{URL}mode", data={"csrf_token": token, "mode": "open"}).status_code == 303
    with app.app_context():
        assert voting.voting_mode(workshop()) == VotingMode.OPEN
    assert re.search(r'value="open"[^>]* checked|checked[^>]* value="open"', client.get(URL).text)
    response = client.post(f"{URL}mode", data={"csrf_token": token, "mode": "lottery"})
    assert response.status_code == 422 and "Not a valid choice" in response.text


def test_add_category(app, chair):
    client, token = chair
    data = {
        "csrf_token": token,
        "name": " Best student paper ",
        "slug": "best-student-paper",
        "presentation": "",
    }
    response = client.post(f"{URL}categories", data=data)
    assert response.status_code == 303
    with app.app_context():
        cat = category("best-student-paper")
        assert cat.name == "Best student paper" and cat.presentation is None
        assert cat.status(DURING).value == "unscheduled"
    again = client.post(f"{URL}categories", data=data)
    assert again.status_code == 422 and "already uses this address name" in again.text
    bad = client.post(f"{URL}categories", data=dict(data, slug="Best Paper!"))
    assert bad.status_code == 422 and "lower-case letters" in bad.text
    empty = client.post(f"{URL}categories", data=dict(data, name="", slug="x"))
    assert empty.status_code == 422 and "This field is required" in empty.text


def test_default_categories_for_a_workshop_without_any(app, login_as):
    client = login_as("synthetic")
    url = "/manage/synthetic-2024/voting/"
    with app.app_context():
        assert voting.categories(workshop("synthetic-2024")) == []
    page = client.get(url).text
    assert "Add best oral and best poster" in page
    response = client.post(f"{url}defaults", data={"csrf_token": csrf(page)})
    assert response.status_code == 303
    with app.app_context():
        assert [c.slug for c in voting.categories(workshop("synthetic-2024"))] == [
            "best-oral",
            "best-poster",
        ]
