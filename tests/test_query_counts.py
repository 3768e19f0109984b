"""A public page's query count does not grow with its content."""

import datetime as dt
import re

import pytest
from pages import SITE_PAGES, WORKSHOP_PAGES
from sqlalchemy import select

from wsapp.extensions import db
from wsapp.models import (
    Image,
    ImageKind,
    ImportantDate,
    Institution,
    ItemKind,
    MovedDeadline,
    NewsPost,
    Paper,
    Person,
    Presentation,
    Role,
    RoleKind,
    ScheduleItem,
    Sponsor,
    Workshop,
)

PAGES = [*WORKSHOP_PAGES, *SITE_PAGES[:3]]  # robots.txt reads nothing


def grow_content(factor: int) -> None:
    """Multiply every kind of content of bugs-2023 by adding factor-1 copies."""
    workshop = db.session.scalar(select(Workshop).where(Workshop.slug == "bugs-2023"))
    start = dt.datetime(2023, 12, 16, 14, 0, tzinfo=dt.UTC)
    for n in range(factor * 20):
        photo, logo = _image(ImageKind.PHOTO, n), _image(ImageKind.LOGO, n)
        person = Person(
            key=f"extra-{n}",
            name=f"Extra Person {n}",
            homepage_url=f"https://x.org/{n}",
            photo=photo,
        )
        paper = Paper(
            workshop_id=workshop.id,
            title=f"Paper {n}",
            authors="A, B",
            presentation=Presentation.ORAL,
        )
        db.session.add_all([person, paper])
        for kind in RoleKind:
            db.session.add(
                Role(
                    workshop_id=workshop.id,
                    person=person,
                    kind=kind,
                    position="Professor",
                    affiliation="Somewhere",
                    sort_order=100 + n,
                )
            )
        item = ScheduleItem(
            workshop_id=workshop.id,
            kind=ItemKind.ORAL,
            number=n,
            title=f"T{n}",
            start_dt=start + dt.timedelta(hours=n),
            paper=paper,
            moderator=person,
            end_dt=start + dt.timedelta(hours=n, minutes=30),
            block=n,
        )
        item.presenters.append(person)
        db.session.add(item)
        date = ImportantDate(
            workshop_id=workshop.id, label=f"D{n}", due_dt=start, sort_order=10 + n
        )
        date.earlier.append(MovedDeadline(due_dt=start))
        db.session.add(date)
        db.session.add(
            Sponsor(workshop_id=workshop.id, name=f"S{n}", url="https://s.org", logo=logo)
        )
        db.session.add(
            Institution(workshop_id=workshop.id, name=f"I{n}", url="https://i.org", logo=logo)
        )
        db.session.add(
            NewsPost(workshop_id=workshop.id, slug=f"n{n}", title=f"N{n}", published_dt=start)
        )
    db.session.commit()


def _image(kind: ImageKind, n: int) -> Image:
    """A record of an uploaded image (the pages only link to its files)."""
    digits = f"{n:064x}"
    return Image(
        kind=kind,
        width=160,
        height=160,
        file_1x=f"{digits}.webp",
        file_2x=f"{digits[::-1]}.webp",
        bytes_1x=5000,
        bytes_2x=20000,
        original_sha256=digits,
    )


@pytest.mark.parametrize("path", PAGES)
def test_query_count_is_independent_of_content(app, client, count_queries, path):
    app.config["PAGE_CACHE"] = False  # count what rendering costs (tests/test_caching.py: hits)
    with count_queries() as before:
        assert client.get(path).status_code == 200
    with app.app_context():
        grow_content(10)
    with count_queries() as after:
        response = client.get(path)
        assert response.status_code == 200
    assert after.count == before.count, "\n".join(after.statements)
    assert before.count <= 12


def test_a_vote_is_two_statements_and_its_commit(app, client, count_queries):
    """The workshop with the browser's ballot in one query, then the upsert; the fragment comes
    from what the request knew (the voting snapshot at the workshop's content version)."""
    from voting_helpers import DURING, csrf, issue_codes, orals, set_clock, vote_count

    set_clock(app, DURING)
    code = issue_codes(app, 1)[0]
    with app.app_context():
        first, second = [p.id for p in orals()][:2]
    token = csrf(client.get(f"/bugs-2023/vote?code={code}").text)
    url, htmx = "/bugs-2023/vote/best-oral", {"HX-Request": "true"}
    claimed = client.post(
        url, data={"csrf_token": token, "code": code, "paper": first}, headers=htmx
    )
    assert claimed.status_code == 200  # the first vote binds the code's ballot to this browser
    with count_queries() as counter:
        changed = client.post(url, data={"csrf_token": token, "paper": second}, headers=htmx)
    assert changed.status_code == 200
    assert counter.count == 2, "\n".join(counter.statements)
    assert counter.statements[0].lstrip().startswith("SELECT workshop.")
    assert counter.statements[1].lstrip().startswith("INSERT INTO vote")
    chosen = re.findall(r'id="vote-best-oral-(\d+)" aria-pressed="true"', changed.text)
    assert chosen == [str(second)] and "<html" not in changed.text
    with app.app_context():
        assert vote_count() == {second: 1}


def test_a_closed_category_refuses_the_next_vote(app, client):
    """The voting snapshot follows the workshop's content version, which every server reads with
    each request: closing a category is seen by the very next vote and page."""
    from voting_helpers import DURING, category, csrf, issue_codes, orals, set_clock

    from wsapp.models import ManualState

    set_clock(app, DURING)
    code = issue_codes(app, 1)[0]
    with app.app_context():
        first = orals()[0].id
    url, htmx = "/bugs-2023/vote/best-oral", {"HX-Request": "true"}
    token = csrf(client.get(f"/bugs-2023/vote?code={code}").text)
    data = {"csrf_token": token, "code": code, "paper": first}
    assert client.post(url, data=data, headers=htmx).status_code == 200
    with app.app_context():
        category().manual_state = ManualState.CLOSED
        db.session.commit()
    refused = client.post(url, data={"csrf_token": token, "paper": first}, headers=htmx)
    assert refused.status_code == 409 and "Voting is closed." in refused.text
