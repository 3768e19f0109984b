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
    Paper,
    Vote,
    VotingMode,
    VotingSettings,
    Workshop,
)
from wsapp.services.content import mapper
from wsapp.services.content.mapper import Context
from wsapp.services.content.values import ContentError
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


def check_voting(row, tz: str, where: str) -> None:
    """The `voting:` part read onto categories that are never stored (no query runs)."""
    if row is None:
        return
    here = f"{where} voting"
    if not isinstance(row, dict):
        raise ContentError(f"{here}: expected a mapping with 'mode' and 'categories'")
    _mode(row, here)
    for order, entry in enumerate(_categories(row, here)):
        mapper.read(AwardCategory(), entry, Context(tz=tz), f"{here} categories[{order}]")


def _mode(row: dict, here: str) -> VotingMode:
    try:
        return VotingMode(row.get("mode") or VotingMode.CODES)
    except ValueError:
        raise ContentError(f"{here}: mode is codes or open") from None


def _categories(row: dict, here: str) -> list:
    entries = row.get("categories") or []
    if not isinstance(entries, list):
        raise ContentError(f"{here}: 'categories' must be a list")
    return entries


def load_voting(workshop: Workshop, row: dict | None, where: str) -> None:
    if row is None:
        return
    here = f"{where} voting"
    settings_for(workshop).mode = _mode(row, here)
    existing = {c.slug: c for c in categories(workshop)}
    wanted = set()
    for order, entry in enumerate(_categories(row, here)):
        _load_category(workshop, existing, entry, order, f"{here} categories[{order}]")
        wanted.add(entry["slug"])
    gone = [c.id for slug, c in existing.items() if slug not in wanted]
    if gone and db.session.scalar(select(exists().where(Vote.category_id.in_(gone)))):
        raise ContentError(f"{here}: a category left out of the file has votes")
    if gone:
        db.session.execute(delete(AwardCategory).where(AwardCategory.id.in_(gone)))


def _load_category(workshop, existing, entry, order: int, here: str) -> None:
    slug = entry.get("slug") if isinstance(entry, dict) else None
    category = existing.get(slug)
    if category is None:
        category = AwardCategory(workshop_id=workshop.id)
        db.session.add(category)
    mapper.read(category, entry, Context(tz=workshop.timezone), here)
    category.sort_order = order


def dump_voting(workshop: Workshop) -> dict | None:
    cats = categories(workshop)
    mode = db.session.scalar(
        select(VotingSettings.mode).where(VotingSettings.workshop_id == workshop.id)
    )
    if not cats and mode is None:
        return None
    return {
        "mode": (mode or VotingMode.CODES).value,
        "categories": [mapper.write(c, Context(tz=workshop.timezone)) for c in cats],
    }
