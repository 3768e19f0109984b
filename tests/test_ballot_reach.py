"""The ballot in reach: on the workshop day the home page and the schedule link each open
category's ballot, each candidate's row links its ballot, the ballot page says how to enter a
card's code; once results are published the same places link the awards. Plain links: they work
without JavaScript (and the static copy sends them to the live site)."""

import datetime as dt

from bs4 import BeautifulSoup
from sqlalchemy import select
from voting_helpers import category, set_clock

from wsapp.extensions import db
from wsapp.models import Paper, ScheduleItem, Workshop
from wsapp.services.voting import ballots
from wsapp.services.voting import votes as voting

BEFORE = dt.datetime(2023, 12, 15, 16, 0, tzinfo=dt.UTC)  # 10:00 in New Orleans: not yet open
ORALS_OPEN = dt.datetime(2023, 12, 15, 20, 10, tzinfo=dt.UTC)  # best oral open, posters not yet
AFTER = dt.datetime(2023, 12, 16, 12, 0, tzinfo=dt.UTC)


def _soup(client, path: str) -> BeautifulSoup:
    response = client.get(path)
    assert response.status_code == 200, path
    return BeautifulSoup(response.text, "html.parser")


def _top_links(soup) -> list[tuple[str, str]]:
    return [(a.get_text(" ", strip=True), a["href"]) for a in soup.select("nav.vote-links a")]


def test_nothing_links_the_ballot_before_voting_opens(app, client):
    app.config["PAGE_CACHE"] = False
    set_clock(app, BEFORE)
    for path in ("/bugs-2023/", "/bugs-2023/schedule"):
        soup = _soup(client, path)
        assert not soup.select("nav.vote-links, a.vote-link"), path


def test_while_a_category_is_open_the_home_page_and_schedule_link_its_ballot(app, client):
    app.config["PAGE_CACHE"] = False
    set_clock(app, ORALS_OPEN)
    home = _soup(client, "/bugs-2023/")
    assert _top_links(home) == [("Vote for Best oral", "/bugs-2023/vote#ballot-best-oral")]
    # at the top, like the old site: before the workshop's title
    first = home.find("main").find(["nav", "header"])
    assert first.name == "nav" and "vote-links" in first["class"]
    schedule = _soup(client, "/bugs-2023/schedule")
    assert _top_links(schedule) == [("Vote for Best oral", "/bugs-2023/vote#ballot-best-oral")]
    with app.app_context():
        orals = db.session.execute(
            select(ScheduleItem.id, Paper.title)
            .join(Paper, ScheduleItem.paper_id == Paper.id)
            .join(Workshop, Workshop.id == ScheduleItem.workshop_id)
            .where(Workshop.slug == "bugs-2023", Paper.presentation == "oral")
        ).all()
    assert len(orals) == 5
    for item_id, title in orals:
        link = schedule.select_one(f"#item-{item_id} a.vote-link")
        assert link is not None, title
        assert link["href"] == "/bugs-2023/vote#ballot-best-oral"
        assert link.get_text(" ", strip=True) == f"Vote for Best oral : {title}"
    assert len(schedule.select("a.vote-link")) == 5  # no other row
    # the link lands on the ballot, which says how to enter the card's code
    ballot = _soup(client, "/bugs-2023/vote")
    assert ballot.select_one("#ballot-best-oral") is not None
    hint = ballot.select_one("#code-hint").get_text(" ", strip=True)
    assert "ten letters and digits" in hint and "O reads as 0" in hint
    assert ballot.select_one("input#code")["aria-describedby"] == "code-hint"


def test_the_schedule_fragment_carries_the_row_links_while_voting_is_open(app, client):
    """The zone switch swaps the schedule block alone (htmx): it has its rows' ballot links too
    (it once failed with a 500: the block did not see the page's imported macro)."""
    set_clock(app, ORALS_OPEN)
    response = client.get("/bugs-2023/schedule?tz=Europe/Zurich", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<html" not in response.text
    fragment = BeautifulSoup(response.text, "html.parser")
    assert len(fragment.select("a.vote-link")) == 5


def test_once_results_are_published_the_same_places_link_the_awards(app, client):
    app.config["PAGE_CACHE"] = False
    with app.app_context():
        best_oral = category()
        winner = db.session.scalar(
            select(Paper).where(Paper.workshop_id == best_oral.workshop_id).order_by(Paper.id)
        )
        ballot = ballots.open_ballot(best_oral.workshop, "a-token-of-sixteen-chars")
        voting.cast_vote(ballot, best_oral, winner.id, ORALS_OPEN)
        best_oral.results_published = True
        item_id = db.session.scalar(
            select(ScheduleItem.id).where(ScheduleItem.paper_id == winner.id)
        )
        title = winner.title
        db.session.commit()
    set_clock(app, AFTER)
    home = _soup(client, "/bugs-2023/")
    assert ("See the results", "/bugs-2023/vote/results") in _top_links(home)
    assert title in home.select_one("nav.vote-links").get_text()
    schedule = _soup(client, "/bugs-2023/schedule")
    assert ("See the results", "/bugs-2023/vote/results") in _top_links(schedule)
    badge = schedule.select_one(f"#item-{item_id} a.award-badge")
    assert badge is not None and badge["href"] == "/bugs-2023/vote/results"
    assert badge.get_text(strip=True) == "Award: Best oral"
    assert not schedule.select("a.vote-link")  # voting is over
