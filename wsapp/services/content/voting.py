"""The `voting:` part of a workshop in the content format: its mode and award categories.

Ballots, codes and votes are not content (they belong in a backup, not in a content file). A
workshop whose `voting` is missing or null keeps its voting setup as it is; a given `voting`
replaces the categories (matched by slug, so their votes stay attached). Because votes point at
papers, the papers of a workshop that has votes cannot be replaced by a content load.
"""

from sqlalchemy import delete, exists, select

from wsapp.extensions import db
from wsapp.models import (
    AwardCategory,
    ManualState,
    Paper,
    Presentation,
    Vote,
    VotingMode,
    VotingSettings,
    Workshop,
)
from wsapp.services.content.values import ContentError, instant, iso
from wsapp.services.voting.votes import categories, settings_for


def guard_papers(workshop: Workshop) -> None:
    """Refuse to replace papers that votes point at (the votes would be lost)."""
    if workshop.id is None:
        return
    has_votes = db.session.scalar(
        select(exists().where(Vote.paper_id == Paper.id, Paper.workshop_id == workshop.id))
    )
    if has_votes:
        raise ContentError(
            f"workshop {workshop.slug}: attendees have voted for its papers, so a content load "
            "cannot replace them; edit the papers in the organizer area instead"
        )


def load_voting(workshop: Workshop, row: dict | None, where: str) -> None:
    if row is None:
        return
    here = f"{where} voting"
    try:
        settings_for(workshop).mode = VotingMode(row.get("mode") or VotingMode.CODES)
    except ValueError as exc:
        raise ContentError(f"{here}: mode is codes or open") from exc
    existing = {c.slug: c for c in categories(workshop)}
    wanted = set()
    for order, entry in enumerate(row.get("categories") or []):
        _load_category(workshop, existing, entry, order, f"{here} categories[{order}]")
        wanted.add(entry["slug"])
    gone = [c.id for slug, c in existing.items() if slug not in wanted]
    if gone and db.session.scalar(select(exists().where(Vote.category_id.in_(gone)))):
        raise ContentError(f"{here}: a category left out of the file has votes")
    if gone:
        db.session.execute(delete(AwardCategory).where(AwardCategory.id.in_(gone)))


def _load_category(workshop, existing, entry: dict, order: int, here: str) -> None:
    if not entry.get("slug") or not entry.get("name"):
        raise ContentError(f"{here}: 'slug' and 'name' are required")
    try:
        presentation = Presentation(entry["presentation"]) if entry.get("presentation") else None
        state = ManualState(entry.get("state") or ManualState.AUTO)
    except ValueError as exc:
        raise ContentError(
            f"{here}: presentation is oral, poster or null; state is auto, open or closed"
        ) from exc
    opens = instant(entry.get("opens"), here)
    closes = instant(entry.get("closes"), here)
    if opens and closes and closes <= opens:
        raise ContentError(f"{here}: 'closes' must be after 'opens'")
    category = existing.get(entry["slug"])
    if category is None:
        category = AwardCategory(workshop_id=workshop.id, slug=entry["slug"])
        db.session.add(category)
    category.name = entry["name"]
    category.presentation = presentation
    category.opens_dt, category.closes_dt = opens, closes
    category.manual_state = state
    category.results_published = bool(entry.get("results_published", False))
    category.sort_order = order


def dump_voting(workshop: Workshop) -> dict | None:
    cats = categories(workshop)
    mode = db.session.scalar(
        select(VotingSettings.mode).where(VotingSettings.workshop_id == workshop.id)
    )
    if not cats and mode is None:
        return None
    tz = workshop.timezone
    return {
        "mode": (mode or VotingMode.CODES).value,
        "categories": [
            {
                "slug": c.slug,
                "name": c.name,
                "presentation": c.presentation.value if c.presentation else None,
                "opens": iso(c.opens_dt, tz),
                "closes": iso(c.closes_dt, tz),
                "state": c.manual_state.value,
                "results_published": c.results_published,
            }
            for c in cats
        ],
    }
