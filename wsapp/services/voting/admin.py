"""Organizer actions on voting: categories, windows, manual open/close, mode, publishing.

The organizer pages call these; they add and flush, and the view commits once.
"""

import datetime as dt

from wsapp.extensions import db
from wsapp.models import AwardCategory, ManualState, Presentation, VotingMode, Workshop
from wsapp.services.voting.votes import DEFAULT_CATEGORIES, categories, category, settings_for


def ensure_default_categories(workshop: Workshop) -> list[AwardCategory]:
    """Create "Best oral" and "Best poster" if missing (closed until organizers set a window)."""
    existing = {c.slug for c in categories(workshop)}
    for order, (slug, name, presentation) in enumerate(DEFAULT_CATEGORIES):
        if slug not in existing:
            db.session.add(
                AwardCategory(
                    workshop_id=workshop.id,
                    slug=slug,
                    name=name,
                    presentation=presentation,
                    sort_order=order,
                )
            )
    db.session.flush()
    return categories(workshop)


def set_mode(workshop: Workshop, mode: VotingMode) -> None:
    settings_for(workshop).mode = VotingMode(mode)


def add_category(
    workshop: Workshop, slug: str, name: str, presentation: Presentation | None
) -> AwardCategory:
    if category(workshop, slug) is not None:
        raise ValueError(f"a category {slug!r} exists already")
    order = max((c.sort_order for c in categories(workshop)), default=-1) + 1
    cat = AwardCategory(
        workshop_id=workshop.id, slug=slug, name=name, presentation=presentation, sort_order=order
    )
    db.session.add(cat)
    db.session.flush()
    return cat


def set_window(
    category: AwardCategory, opens_dt: dt.datetime | None, closes_dt: dt.datetime | None
) -> None:
    """Set the window (aware datetimes; see timefmt.venue_instant for wall-clock input)."""
    for value in (opens_dt, closes_dt):
        if value is not None and value.tzinfo is None:
            raise ValueError("voting windows need timezone-aware instants")
    if opens_dt and closes_dt and closes_dt <= opens_dt:
        raise ValueError("the window must close after it opens")
    category.opens_dt, category.closes_dt = opens_dt, closes_dt


def set_manual_state(category: AwardCategory, state: ManualState) -> None:
    category.manual_state = ManualState(state)


def publish_results(category: AwardCategory, published: bool = True) -> None:
    category.results_published = published
