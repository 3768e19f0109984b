"""The workshop's phase at an injected instant: CFP countdowns, now and next, and afterwards."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from wsapp.extensions import db
from wsapp.models import ImportantDate, ScheduleItem, Workshop
from wsapp.services import queries
from wsapp.services.phase import Phase, current_phase, event_window, now_and_next

DEADLINE = dt.datetime(2023, 10, 7, 11, 59, tzinfo=dt.UTC)  # October 6th, 2023, 11:59 PM AoE
COFFEE = "2023-12-15T16:10:00+00:00"  # 10:10 in New Orleans, during the first coffee break


def at(app, instant: str | dt.datetime):
    app.config["NOW"] = instant if isinstance(instant, str) else instant.isoformat()


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.text, "html.parser")


def bugs(app):
    with app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.slug == "bugs-2023"))
        items = queries.schedule_items(workshop)
        dates = queries.important_dates(workshop)
        db.session.expunge_all()
    return workshop, dates, items


def test_phase_boundaries(app):
    workshop, dates, items = bugs(app)
    start, end = event_window(workshop, items)
    assert start == dt.datetime(2023, 12, 15, 6, 0, tzinfo=dt.UTC)  # midnight in New Orleans
    assert end == items[-1].end_dt
    second = dt.timedelta(seconds=1)
    assert current_phase(workshop, dates, items, DEADLINE - second) == Phase.CFP
    assert current_phase(workshop, dates, items, DEADLINE) == Phase.UPCOMING
    assert current_phase(workshop, dates, items, start - second) == Phase.UPCOMING
    assert current_phase(workshop, dates, items, start) == Phase.LIVE
    assert current_phase(workshop, dates, items, end - second) == Phase.LIVE
    assert current_phase(workshop, dates, items, end) == Phase.AFTER


def test_now_and_next(app):
    _, _, items = bugs(app)
    coffee = dt.datetime.fromisoformat(COFFEE)
    marks = now_and_next(items, coffee)
    assert [i.label for i in marks.current] == ["Coffee Break"]
    assert marks.next.label == "Invited Talk 3"
    early = now_and_next(items, items[0].start_dt - dt.timedelta(hours=2))
    assert early.current == () and early.next is items[0]
    between = now_and_next(items, items[0].end_dt)  # one item ends as the next starts
    assert [i.id for i in between.current] == [items[1].id]
    over = now_and_next(items, items[-1].end_dt)
    assert over.current == () and over.next is None


def test_schedule_highlights_now_and_next_and_polls_only_while_live(app, client):
    at(app, COFFEE)
    page = soup(client.get("/bugs-2023/schedule"))
    region = page.select_one("#schedule")
    assert region["data-hx-trigger"] == "every 30s" and region["data-hx-get"].endswith(
        "/bugs-2023/schedule"
    )
    now = page.select("tr.is-now")
    assert [tr.select_one(".label").get_text() for tr in now] == ["Coffee Break"]
    assert now[0]["aria-current"] == "time" and now[0].select_one(".badge-now")
    nxt = page.select("tr.is-next")
    assert [tr.select_one(".label").get_text() for tr in nxt] == ["Invited Talk 3"]
    chosen = soup(client.get("/bugs-2023/schedule?tz=Asia/Tokyo")).select_one("#schedule")
    assert chosen["data-hx-get"].endswith(
        "/bugs-2023/schedule?tz=Asia/Tokyo"
    )  # polling keeps the zone
    for instant in ("2023-12-14T12:00:00+00:00", "2023-12-16T12:00:00+00:00"):
        at(app, instant)
        page = soup(client.get("/bugs-2023/schedule"))
        assert not page.select_one("#schedule").has_attr("data-hx-trigger")
        assert not page.select("tr.is-now, tr.is-next")


def test_home_on_the_day_leads_with_now_and_next(app, client):
    at(app, COFFEE)
    page = soup(client.get("/bugs-2023/"))
    box = page.select_one(".phase-live #now-next")
    assert box["data-hx-trigger"] == "every 30s" and box["data-hx-get"].endswith("/bugs-2023/now")
    assert box.select_one("dd.is-now .label").get_text() == "Coffee Break"
    assert box.select_one("dd.is-next .label").get_text() == "Invited Talk 3"
    assert "10:30\u202fAM" in box.select_one("dd.is-next").get_text()
    fragment = client.get("/bugs-2023/now", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<section id="now-next"')
    assert not page.select("#call, #program")


def test_home_after_the_workshop_shows_the_program(app, client):
    at(app, "2023-12-16T12:00:00+00:00")
    page = soup(client.get("/bugs-2023/"))
    program = page.select_one("#program")
    labels = [a.select_one(".label").get_text() for a in program.select("li a")]
    assert labels[:2] == ["Opening Remarks", "Invited Talk 1"] and "Coffee Break" not in labels
    assert not page.select("#now-next, #call")
    assert not page.select("[data-hx-trigger]")  # nothing polls once it is all over


def test_home_during_the_call_leads_with_it_and_counts_down(app, client):
    at(app, DEADLINE - dt.timedelta(days=3, hours=4))
    page = soup(client.get("/bugs-2023/"))
    call = page.select_one("main > #call")
    assert call is not None and page.select_one("main > section.description")
    assert str(page.select_one("main")).index('id="call"') < str(page.select_one("main")).index(
        "About the workshop"
    )
    deadline = call.select_one("li.date")
    assert deadline.select_one(".countdown").get_text(strip=True) == "closes in 3 days, 4 hours"
    assert [" ".join(s.get_text().split()) for s in deadline.select("s")] == [
        "was September 29th, 2023, 11:59 PM AoE"
    ]  # the moved deadline stays struck through
    assert "October 6th, 2023, 11:59\u202fPM AoE" in deadline.select_one("time").get_text()
    region = call.select_one("#dates-list")
    assert region["data-hx-trigger"] == "every 60s" and "/bugs-2023/cfp" in region["data-hx-get"]
    assert call.select_one('a.button[href^="https://openreview.net"]')
    assert page.select_one("#dates") is None  # the list is in the call, not repeated


@pytest.mark.parametrize(
    ("instant", "deadline_text", "camera_text"),
    [
        (DEADLINE - dt.timedelta(minutes=42, seconds=30), "closes in 43 minutes", "in 56 days"),
        (
            DEADLINE - dt.timedelta(days=1, hours=2),
            "closes in 1 day, 2 hours",
            "in 57 days, 2 hours",
        ),
        (DEADLINE, "closed", "in 56 days"),
        (dt.datetime(2023, 12, 3, tzinfo=dt.UTC), "closed", "passed"),
    ],
)
def test_countdowns_on_the_cfp_page(app, client, instant, deadline_text, camera_text):
    at(app, instant)
    page = soup(client.get("/bugs-2023/cfp"))
    by_label = {li.select_one(".date-label").get_text(): li for li in page.select("li.date")}
    assert by_label["Submission deadline"].select_one(".countdown").get_text(strip=True) == (
        deadline_text
    )
    assert by_label["Camera-ready deadline"].select_one(".countdown").get_text(strip=True) == (
        camera_text
    )
    assert by_label["Workshop date"].select_one(".countdown") is None  # a date alone
    polling = page.select_one("#dates-list").has_attr("data-hx-trigger")
    assert polling == (camera_text != "passed")  # refreshes only while a deadline is ahead


def test_deadline_in_the_viewer_zone(app, client):
    at(app, "2023-09-01T00:00:00+00:00")
    page = soup(client.get("/bugs-2023/cfp?tz=Asia/Kolkata"))
    li = page.select_one("li.date")
    local = li.select_one(".date-local")
    assert local.select_one("time")["datetime"] == "2023-10-07T17:29:00+05:30"
    assert local.get_text(" ", strip=True) == (
        "that is October 7th, 2023, 5:29\u202fPM (IST, GMT+05:30, Kolkata)"
    )
    aoe = soup(client.get("/bugs-2023/cfp?tz=Etc/GMT%2B12")).select_one("li.date")
    assert aoe.select_one(".date-local") is None  # already the viewer's zone


def test_a_workshop_without_dates_or_schedule(app, client):
    with app.app_context():
        db.session.add(
            Workshop(slug="bare", title="Bare", timezone="Europe/Zurich", is_published=True)
        )
        db.session.commit()
    for path in (
        "/bare/",
        "/bare/schedule",
        "/bare/cfp",
        "/bare/now",
        "/bare/schedule.ics",
        "/bare/dates.ics",
    ):
        assert client.get(path).status_code == 200, path
    assert client.get("/bare/schedule.xml").status_code == 404


def test_phase_uses_moved_instants(app):
    """A deadline moved later reopens the call: the phase reads the stored instant only."""
    with app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.slug == "bugs-2023"))
        date = db.session.scalar(
            select(ImportantDate).where(
                ImportantDate.workshop_id == workshop.id, ImportantDate.is_submission_deadline
            )
        )
        date.due_dt = DEADLINE + dt.timedelta(days=7)
        items = db.session.scalars(
            select(ScheduleItem)
            .where(ScheduleItem.workshop_id == workshop.id)
            .order_by(ScheduleItem.start_dt)
        ).all()
        assert current_phase(workshop, [date], items, DEADLINE + dt.timedelta(days=1)) == Phase.CFP
