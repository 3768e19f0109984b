"""A public page's query count does not grow with its content."""

import datetime as dt

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
