"""A workshop's editions: its series, its other editions, and the next edition made from one.

The next edition copies what carries over from one year to the next into NEW records of its own
(no record is written by both editions: people stay shared, each role is the edition's own copy,
docs/organizers.md), leaves what belongs to one year, and is one entry in its history.
"""

import copy
import dataclasses
import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect, select

from wsapp import rules
from wsapp.extensions import db
from wsapp.models import (
    AwardCategory,
    CallForPapers,
    Change,
    ImportantDate,
    Institution,
    Role,
    RoleKind,
    Series,
    Sponsor,
    VotingSettings,
    Workshop,
    WorkshopOrganizer,
)
from wsapp.services import history

# The workshop's own columns that carry over (the rest belongs to one year, or is bookkeeping).
CARRIED = (
    "title",
    "short_name",
    "tagline_md",
    "description_md",
    "conference_name",
    "timezone",
    "default_locale",
    "contact_email",
    "scholar_tags",
)
# Bookkeeping no copy takes: identity, owner, optimistic locking.
NEVER_COPIED = frozenset({"id", "workshop_id", "version"})
# An award category's window and results belong to the year that voted.
WINDOW = frozenset({"opens_dt", "closes_dt", "manual_state", "results_published"})
# What stays with the old edition, in the words of the report.
LEFT = (
    _l("schedule"),
    _l("papers"),
    _l("speakers, panelists and moderators"),
    _l("important dates"),
    _l("the workshop's days, city, venue and room"),
    _l("news and announcements"),
    _l("ballots, ballot codes and votes"),
    _l("award voting windows and results"),
)


class EditionError(ValueError):
    """The next edition cannot be made as asked; the message says why."""


@dataclasses.dataclass
class Report:
    """What the copy took and what it left."""

    workshop: Workshop
    copied: list[tuple[object, int | None]]  # (what, how many records; None: the workshop's own)
    left: tuple = LEFT
    suggested_dates: list[tuple[str, dt.date]] = dataclasses.field(default_factory=list)
    new_series: bool = False


def year_of(workshop: Workshop) -> int | None:
    """The edition's year: its conference's, else its first day's."""
    if workshop.conference_year:
        return workshop.conference_year
    return workshop.start_date.year if workshop.start_date else None


def suggested_slug(workshop: Workshop, year: int) -> str:
    """ "bugs-2023" -> "bugs-2024"; a slug without the year gets it added."""
    old = year_of(workshop)
    if old and str(old) in workshop.slug:
        return workshop.slug.replace(str(old), str(year))
    return f"{workshop.slug}-{year}"


def editions(workshop: Workshop, shows_draft=None) -> list[Workshop]:
    """The editions of the workshop's series, oldest first: the published ones, the workshop
    itself, and the drafts `shows_draft(edition)` lets the viewer see; [] without a series."""
    if workshop.series_id is None:
        return []
    found = db.session.scalars(
        select(Workshop).where(Workshop.series_id == workshop.series_id)
    ).all()
    shown = [
        w
        for w in found
        if w.is_published or w.id == workshop.id or (shows_draft is not None and shows_draft(w))
    ]
    return sorted(shown, key=lambda w: (year_of(w) or 0, w.start_date or dt.date.min, w.slug))


def edition_label(workshop: Workshop) -> str:
    """What the editions links show: the year, else the short name or title."""
    year = year_of(workshop)
    return str(year) if year else workshop.short_name or workshop.title


def grouped(workshops: list[Workshop]) -> list[tuple[Series | None, list[Workshop]]]:
    """The archive's groups: each series with its editions (in the given order), in the order
    their first edition comes; a workshop without a series is a group of its own."""
    groups: list[tuple[Series | None, list[Workshop]]] = []
    by_series: dict[int, list[Workshop]] = {}
    for workshop in workshops:
        if workshop.series_id is None:
            groups.append((None, [workshop]))
        elif workshop.series_id in by_series:
            by_series[workshop.series_id].append(workshop)
        else:
            by_series[workshop.series_id] = [workshop]
            groups.append((workshop.series, by_series[workshop.series_id]))
    return groups


def next_edition(old: Workshop, slug: str, year: int, user_id: int | None = None) -> Report:
    """Make the unpublished next edition of `old` (added and flushed, not committed)."""
    _check(slug, year)
    new_series = old.series is None
    old_before = history.snapshot(old)
    if new_series:
        old.series = _series_for(old)
    new = Workshop(slug=slug, is_published=False, is_featured=False, series=old.series)
    for name in CARRIED:
        setattr(new, name, getattr(old, name))
    new.conference_year = year if old.conference_year else None
    db.session.add(new)
    db.session.flush()
    copied: list[tuple[object, int | None]] = [
        (
            _l(
                "title, short name, tagline, description, conference, time zone, language, settings"
            ),
            None,
        )
    ]
    copied += _copy_records(old, new)
    db.session.flush()
    _record(old, new, old_before if new_series else None, user_id, copied)
    return Report(
        workshop=new,
        copied=copied,
        suggested_dates=_shifted_dates(old, year),
        new_series=new_series,
    )


def _check(slug: str, year: int) -> None:
    low, high = rules.YEARS
    if not isinstance(year, int) or not low <= year <= high:
        raise EditionError(_l("Give a year between %(low)d and %(high)d.", low=low, high=high))
    if not rules.is_slug(slug) or len(slug) > 80:
        raise EditionError(_l("The address name is lower-case letters, digits and dashes."))
    taken = db.session.scalar(select(Workshop.id).where(Workshop.slug == slug))
    if taken or slug in rules.RESERVED_SLUGS:
        raise EditionError(_l("This address name is taken."))


def _series_for(workshop: Workshop) -> Series:
    """A new series named after the workshop ("bugs-2023" -> series "bugs")."""
    year = year_of(workshop)
    base = workshop.slug.replace(f"-{year}", "").replace(str(year), "") if year else workshop.slug
    base = base.strip("-") or rules.slugify(workshop.short_name or workshop.title, "series")
    slug, n = base, 1
    while db.session.scalar(select(Series.id).where(Series.slug == slug)):
        n += 1
        slug = f"{base}-{n}"
    series = Series(slug=slug, name=workshop.title, short_name=workshop.short_name)
    db.session.add(series)
    return series


def _copy(obj, workshop_id: int, skip=frozenset()):
    """A new record of the same kind with the same values, owned by `workshop_id`."""
    model = type(obj)
    values = {
        attr.key: copy.deepcopy(getattr(obj, attr.key))
        for attr in inspect(model).column_attrs
        if attr.key not in NEVER_COPIED | skip
    }
    return model(workshop_id=workshop_id, **values)


def _rows(model, workshop: Workshop, *where) -> list:
    query = select(model).where(model.workshop_id == workshop.id, *where)
    return db.session.scalars(query.order_by(model.id)).all()


def _copy_records(old: Workshop, new: Workshop) -> list[tuple[object, int]]:
    parts = [
        (_l("call for papers (topics, review, policies)"), _rows(CallForPapers, old), ()),
        (_l("organizers"), _rows(Role, old, Role.kind == RoleKind.ORGANIZER), ()),
        (_l("sponsors"), _rows(Sponsor, old), ()),
        (_l("institutions"), _rows(Institution, old), ()),
        (_l("award categories (without their windows)"), _rows(AwardCategory, old), WINDOW),
        (_l("voting mode"), _rows(VotingSettings, old), {"last_code_serial"}),
        (_l("organizers' access"), _rows(WorkshopOrganizer, old), {"created_dt"}),
    ]
    copied = []
    for label, rows, skip in parts:
        for row in rows:
            db.session.add(_copy(row, new.id, frozenset(skip)))
        copied.append((label, len(rows)))
    return copied


def _shifted_dates(old: Workshop, year: int) -> list[tuple[str, dt.date]]:
    """The old edition's dates moved to the new year: offered, never stored."""
    was = year_of(old)
    if not was:
        return []
    years = year - was
    dates = [(str(_l("First day")), old.start_date)] if old.start_date else []
    for date in _rows(ImportantDate, old):
        if date.due_date or date.due_dt:
            dates.append((date.label, date.due_date or date.due_dt.date()))
    return [(label, _plus_years(day, years)) for label, day in dates]


def _plus_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _record(old, new, old_before, user_id, copied) -> None:
    """The copy as one entry in the new edition's history (and, if the old edition just joined
    a new series, one in the old one's)."""
    parts = ", ".join(f"{label} ({count})" for label, count in copied[1:] if count)
    summary = str(_l("Next edition of %(old)s: copied %(parts)s", old=old.slug, parts=parts))
    _history(user_id, new, "create", summary, None)
    if old_before is not None:
        joined = str(_l("Joined the series %(name)s", name=old.series.name))
        _history(user_id, old, "update", joined, old_before)


def _history(user_id, workshop: Workshop, action: str, summary: str, before) -> None:
    """One entry of a workshop's own history: `before` and its state now."""
    db.session.add(
        Change(
            user_id=user_id,
            workshop_id=workshop.id,
            entity=Workshop.__tablename__,
            entity_id=workshop.id,
            action=action,
            summary=summary[:300],
            before=before,
            after=history.snapshot(workshop),
        )
    )
