"""Loading what a public page shows, in a fixed number of queries whatever the content size."""

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from wsapp.extensions import db
from wsapp.models import (
    Announcement,
    CallForPapers,
    Cast,
    ImportantDate,
    Institution,
    ItemKind,
    NewsPost,
    Role,
    RoleKind,
    ScheduleItem,
    Sponsor,
    Workshop,
)


def published_workshop(slug: str) -> Workshop | None:
    return db.session.scalar(
        select(Workshop).where(Workshop.slug == slug, Workshop.is_published.is_(True))
    )


def workshop(slug: str) -> Workshop | None:
    """A workshop by slug, published or draft (callers decide who may see a draft)."""
    return db.session.scalar(select(Workshop).where(Workshop.slug == slug))


def featured_workshop() -> Workshop | None:
    """The edition "/" shows: the featured one, else the newest published."""
    return db.session.scalar(
        select(Workshop)
        .where(Workshop.is_published.is_(True))
        .order_by(Workshop.is_featured.desc(), Workshop.start_date.desc().nulls_last())
        .limit(1)
    )


def published_workshops() -> list[Workshop]:
    return db.session.scalars(
        select(Workshop)
        .where(Workshop.is_published.is_(True))
        .order_by(Workshop.start_date.desc().nulls_last(), Workshop.title)
    ).all()


def roles(workshop: Workshop, *kinds: RoleKind) -> dict[RoleKind, list[Role]]:
    rows = db.session.scalars(
        select(Role)
        .where(Role.workshop_id == workshop.id, Role.kind.in_(kinds))
        .order_by(Role.sort_order, Role.id)
    ).all()
    grouped: dict[RoleKind, list[Role]] = {kind: [] for kind in kinds}
    for role in rows:
        grouped[role.kind].append(role)
    return grouped


def schedule_items(workshop: Workshop) -> list[ScheduleItem]:
    """The schedule, each item knowing how the workshop shows its people (`ScheduleItem.cast`)."""
    items = db.session.scalars(
        select(ScheduleItem)
        .where(ScheduleItem.workshop_id == workshop.id)
        .options(
            joinedload(ScheduleItem.paper),
            joinedload(ScheduleItem.moderator),
            selectinload(ScheduleItem.presenters),
        )
        .order_by(ScheduleItem.start_dt, ScheduleItem.sort_order, ScheduleItem.id)
    ).all()
    if items:
        shown = cast(workshop)
        panels = [item.id for item in items if item.kind == ItemKind.PANEL]
        shown.sole_panel = panels[0] if len(panels) == 1 else None
        for item in items:
            item.cast = shown
    return items


def cast(workshop: Workshop) -> Cast:
    """Every person of the workshop as it shows them."""
    return Cast(
        db.session.scalars(
            select(Role).where(Role.workshop_id == workshop.id).order_by(Role.sort_order, Role.id)
        ).all()
    )


def important_dates(workshop: Workshop) -> list[ImportantDate]:
    return db.session.scalars(
        select(ImportantDate)
        .where(ImportantDate.workshop_id == workshop.id)
        .order_by(ImportantDate.sort_order, ImportantDate.id)
    ).all()


def call_for_papers(workshop: Workshop) -> CallForPapers | None:
    return db.session.scalar(select(CallForPapers).where(CallForPapers.workshop_id == workshop.id))


def sponsors(workshop: Workshop) -> list[Sponsor]:
    return _ordered(Sponsor, workshop)


def institutions(workshop: Workshop) -> list[Institution]:
    return _ordered(Institution, workshop)


def _ordered(model, workshop: Workshop) -> list:
    return db.session.scalars(
        select(model).where(model.workshop_id == workshop.id).order_by(model.sort_order, model.id)
    ).all()


def news_posts(workshop: Workshop, limit: int | None = None) -> list[NewsPost]:
    query = (
        select(NewsPost)
        .where(NewsPost.workshop_id == workshop.id)
        .order_by(NewsPost.published_dt.desc(), NewsPost.id.desc())
    )
    if limit:
        query = query.limit(limit)
    return db.session.scalars(query).all()


def news_post(workshop: Workshop, slug: str) -> NewsPost | None:
    return db.session.scalar(
        select(NewsPost).where(NewsPost.workshop_id == workshop.id, NewsPost.slug == slug)
    )


def active_announcements(workshop: Workshop, now: dt.datetime) -> list[Announcement]:
    return db.session.scalars(
        select(Announcement)
        .where(
            Announcement.workshop_id == workshop.id,
            (Announcement.starts_dt.is_(None)) | (Announcement.starts_dt <= now),
            (Announcement.ends_dt.is_(None)) | (Announcement.ends_dt > now),
        )
        .order_by(Announcement.id)
    ).all()
