"""Helpers shared by the voting tests."""

import datetime as dt
import re

from sqlalchemy import func, select

from wsapp.extensions import db
from wsapp.models import AwardCategory, Paper, Presentation, Vote, VotingMode, Workshop
from wsapp.services.voting import admin as voting_admin
from wsapp.services.voting import codes as ballot_codes
from wsapp.services.voting import votes as voting

# The demo's best-oral window: 11:00 to 17:15 CST on 2023-12-15.
OPENS = dt.datetime(2023, 12, 15, 17, 0, tzinfo=dt.UTC)
CLOSES = dt.datetime(2023, 12, 15, 23, 15, tzinfo=dt.UTC)
DURING = dt.datetime(2023, 12, 15, 20, 0, tzinfo=dt.UTC)
TICK = dt.timedelta(microseconds=1)


def workshop(slug: str = "bugs-2023") -> Workshop:
    return db.session.scalar(select(Workshop).where(Workshop.slug == slug))


def category(slug: str = "best-oral", ws: str = "bugs-2023") -> AwardCategory:
    return voting.category(workshop(ws), slug)


def orals(ws: str = "bugs-2023") -> list[Paper]:
    return [p for p in voting.papers(workshop(ws)) if p.presentation == Presentation.ORAL]


def set_clock(app, instant: dt.datetime) -> None:
    app.config["NOW"] = instant


def issue_codes(app, n: int, slug: str = "bugs-2023") -> list[str]:
    with app.app_context():
        codes = [c.code for c in ballot_codes.generate_codes(workshop(slug), n)]
        db.session.commit()
    return codes


def set_mode(app, mode: VotingMode, slug: str = "bugs-2023") -> None:
    with app.app_context():
        voting_admin.set_mode(workshop(slug), mode)
        db.session.commit()


def csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'"X-CSRFToken": "([^"]+)"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


def alert(html: str) -> str:
    match = re.search(r'role="alert">([^<]+)<', html)
    return match.group(1) if match else ""


def vote_count(category_slug: str = "best-oral") -> dict[int, int]:
    cat = category(category_slug)
    rows = db.session.execute(
        select(Vote.paper_id, func.count(Vote.id))
        .where(Vote.category_id == cat.id)
        .group_by(Vote.paper_id)
    ).all()
    return dict(rows)
