"""One clock: WSAPP_NOW moves pages, phases and voting windows together."""

import datetime as dt

import pytest
from voting_helpers import csrf, issue_codes, orals, vote_count

from wsapp import create_app
from wsapp.config_check import SettingsError
from wsapp.timezones import clock

IN_ORAL_WINDOW = "2023-12-15T20:10:00+00:00"  # 14:10 in New Orleans: Invited Talk 6 is on


def test_wsapp_now_puts_pages_and_the_ballot_at_the_same_instant(app, client):
    app.config["NOW"] = IN_ORAL_WINDOW  # as WSAPP_NOW gives it
    home = client.get("/bugs-2023/")
    assert home.status_code == 200
    assert "Invited Talk 6" in home.text.split("Now at the workshop", 1)[1][:2000]
    code = issue_codes(app, 1)[0]
    ballot = client.get(f"/bugs-2023/vote?code={code}")
    assert "Voting is closed" not in ballot.text
    with app.app_context():
        first = orals()[0].id
    response = client.post(
        "/bugs-2023/vote/best-oral",
        data={"csrf_token": csrf(ballot.text), "paper": first, "code": code},
    )
    assert response.status_code == 303
    with app.app_context():
        assert vote_count("best-oral") == {first: 1}


def test_an_hour_after_the_window_the_ballot_is_closed(app, client):
    app.config["NOW"] = "2023-12-16T00:15:00+00:00"
    code = issue_codes(app, 1)[0]
    ballot = client.get(f"/bugs-2023/vote?code={code}")
    assert "Voting is closed" in ballot.text


def test_now_follows_the_setting_and_is_utc(make_app):
    app = make_app(NOW="2023-12-15T14:10:00-06:00")
    with app.app_context():
        assert clock.now() == dt.datetime(2023, 12, 15, 20, 10, tzinfo=dt.UTC)
    with create_app({"TESTING": True, "SECRET_KEY": "x"}).app_context():
        assert abs(clock.now() - dt.datetime.now(dt.UTC)) < dt.timedelta(seconds=5)


@pytest.mark.parametrize(
    "value, problem",
    [
        ("yesterday", "is not an ISO 8601 date-time"),
        ("2023-12-15T14:10:00", "has no UTC offset"),
        ("2023-13-45T99:00:00+00:00", "is not an ISO 8601 date-time"),
    ],
)
def test_a_malformed_wsapp_now_stops_the_app_with_the_variable_named(value, problem, tmp_path):
    with pytest.raises(SettingsError) as error:
        create_app({"TESTING": True, "SECRET_KEY": "x", "NOW": value,
                    "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})  # fmt: skip
    assert str(error.value).startswith("WSAPP_NOW: ") and problem in str(error.value)
