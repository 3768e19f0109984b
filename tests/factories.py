"""Factories: a test builds the records it needs (Indico style) instead of leaning on the demo.

Each `make_*` adds a valid record with defaults any keyword overrides, flushes it (so it has an
id) and commits nothing; call them inside an app context. Names and slugs are numbered, so
records of one test never collide.
"""

import datetime as dt
import itertools

from accounts import make_user

from wsapp.extensions import db
from wsapp.models import (
    Announcement,
    AwardCategory,
    CallForPapers,
    ImportantDate,
    Institution,
    ItemKind,
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
from wsapp.timezones.formats import venue_instant

_numbers = itertools.count(1)


def _add(obj):
    db.session.add(obj)
    db.session.flush()
    return obj


def make_workshop(**kw) -> Workshop:
    n = next(_numbers)
    values = {
        "slug": f"ws-{n}",
        "title": f"Workshop {n}",
        "timezone": "America/Chicago",
        "city": "Chicago",
        "start_date": dt.date(2030, 6, 1),
        "end_date": dt.date(2030, 6, 1),
        "is_published": True,
        **kw,
    }
    return _add(Workshop(**values))


def at(workshop: Workshop, hour: int, minute: int = 0, day: int = 0) -> dt.datetime:
    """The UTC instant of a wall-clock time at the workshop's venue, `day` days after it starts."""
    start = workshop.start_date + dt.timedelta(days=day)
    return venue_instant(start, dt.time(hour, minute), workshop.timezone)


def make_person(**kw) -> Person:
    n = next(_numbers)
    return _add(Person(**{"key": f"person-{n}", "name": f"Person {n}", **kw}))


def make_role(workshop: Workshop, person: Person | None = None, **kw) -> Role:
    values = {"kind": RoleKind.SPEAKER, "affiliation": "University", "sort_order": 0, **kw}
    return _add(Role(workshop_id=workshop.id, person=person or make_person(), **values))


def make_paper(workshop: Workshop, **kw) -> Paper:
    n = next(_numbers)
    values = {"title": f"Paper {n}", "authors": "A. Author, B. Author", **kw}
    values.setdefault("presentation", Presentation.ORAL)
    return _add(Paper(workshop_id=workshop.id, **values))


def make_item(workshop: Workshop, presenters=(), **kw) -> ScheduleItem:
    start = kw.pop("start_dt", None) or at(workshop, 9)
    values = {
        "kind": ItemKind.INVITED_TALK,
        "title": f"Talk {next(_numbers)}",
        "start_dt": start,
        "end_dt": start + dt.timedelta(minutes=30),
        **kw,
    }
    item = _add(ScheduleItem(workshop_id=workshop.id, **values))
    if presenters:
        item.set_presenters(list(presenters))
    return item


def make_date(workshop: Workshop, **kw) -> ImportantDate:
    values = {
        "label": f"Deadline {next(_numbers)}",
        "due_dt": dt.datetime(2030, 3, 1, 11, 59, tzinfo=dt.UTC),
        **kw,
    }
    return _add(ImportantDate(workshop_id=workshop.id, **values))


def make_cfp(workshop: Workshop, **kw) -> CallForPapers:
    values = {"invitation_md": "Send us your papers.", "topics": [], "review_criteria": [], **kw}
    return _add(CallForPapers(workshop_id=workshop.id, **values))


def make_sponsor(workshop: Workshop, **kw) -> Sponsor:
    values = {"name": f"Sponsor {next(_numbers)}", "url": "https://sponsor.example.org", **kw}
    return _add(Sponsor(workshop_id=workshop.id, **values))


def make_institution(workshop: Workshop, **kw) -> Institution:
    values = {"name": f"Institute {next(_numbers)}", "url": "https://inst.example.org", **kw}
    return _add(Institution(workshop_id=workshop.id, **values))


def make_news(workshop: Workshop, **kw) -> NewsPost:
    n = next(_numbers)
    values = {
        "slug": f"post-{n}",
        "title": f"News {n}",
        "published_dt": dt.datetime(2030, 1, 1, 12, tzinfo=dt.UTC),
        **kw,
    }
    return _add(NewsPost(workshop_id=workshop.id, **values))


def make_announcement(workshop: Workshop, **kw) -> Announcement:
    return _add(Announcement(workshop_id=workshop.id, **{"text_md": "Welcome!", **kw}))


def make_category(workshop: Workshop, **kw) -> AwardCategory:
    n = next(_numbers)
    values = {"slug": f"best-{n}", "name": f"Best {n}", "presentation": Presentation.ORAL, **kw}
    return _add(AwardCategory(workshop_id=workshop.id, **values))


def make_organizer(workshop: Workshop, email: str | None = None) -> str:
    """An organizer of this workshop (committed, to log in); returns the e-mail address."""
    email = email or f"organizer{next(_numbers)}@example.org"
    make_user(email, workshops=[workshop.slug])
    return email


# One record of every kind the organizer area edits, by its Record key.
MAKERS = {
    "people": make_role,
    "papers": make_paper,
    "schedule": make_item,
    "dates": make_date,
    "sponsors": make_sponsor,
    "institutions": make_institution,
    "news": make_news,
    "announcements": make_announcement,
}
