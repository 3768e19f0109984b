"""Zone labels are computed from the IANA zone; deadlines read as organizers write them."""

import datetime as dt

import pytest

from wsapp.timezones.formats import format_deadline, is_valid_zone, zone_label

DEC_15 = dt.datetime(2023, 12, 15, 15, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("zone", "city", "at", "label"),
    [
        ("America/Chicago", "New Orleans", DEC_15, "CST, GMT-06:00, New Orleans"),
        (
            "America/Chicago",
            "New Orleans",
            dt.datetime(2023, 7, 1, tzinfo=dt.UTC),
            "CDT, GMT-05:00, New Orleans",
        ),
        (
            "America/Vancouver",
            "Vancouver",
            dt.datetime(2024, 12, 14, 17, tzinfo=dt.UTC),
            "PST, GMT-08:00, Vancouver",
        ),
        ("Asia/Kolkata", "", DEC_15, "IST, GMT+05:30"),
        ("Asia/Ho_Chi_Minh", "Hanoi", DEC_15, "GMT+07:00, Hanoi"),
        ("Etc/GMT+12", "", DEC_15, "AoE, GMT-12:00"),
    ],
)
def test_zone_label(zone, city, at, label):
    assert zone_label(zone, at, city) == label


def test_deadline_as_written():
    due = dt.datetime(2023, 10, 6, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=-12)))
    assert format_deadline(due.astimezone(dt.UTC), None, "Etc/GMT+12", "en") == (
        "October 6th, 2023, 11:59\u202fPM AoE"
    )
    assert format_deadline(None, dt.date(2023, 12, 1), "Etc/GMT+12", "en") == "December 1st, 2023"
    assert format_deadline(None, dt.date(2023, 12, 22), "UTC", "en") == "December 22nd, 2023"
    assert format_deadline(None, dt.date(2023, 12, 13), "UTC", "en") == "December 13th, 2023"


def test_zone_validation():
    assert is_valid_zone("Europe/Zurich")
    assert not is_valid_zone("Mars/Olympus")
    assert not is_valid_zone("")
    assert not is_valid_zone("../../etc/passwd")
