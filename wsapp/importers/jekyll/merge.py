"""Re-import: what the page cannot know is taken from the workshop already in the database.

load_site replaces a workshop's records with what the document says; before that, this fills
the document with what the page does not state, so organizers' own edits survive: publication
flags, fields the page has no place for, news posts and announcements the page did not create,
people's homepages and photos (the person's, and each role's where the workshop set its own),
logos.
"""

from sqlalchemy import select

from wsapp.extensions import db
from wsapp.importers.jekyll import images
from wsapp.models import (
    Announcement,
    Institution,
    NewsPost,
    Person,
    Role,
    Sponsor,
    Workshop,
)
from wsapp.timezones.formats import to_zone

KEEP_IF_EMPTY = ("short_name", "city", "country", "venue", "room", "contact_email", "website_url")


def with_existing(content: dict, publish: bool | None) -> bool:
    """Complete the document from the database; returns True if the workshop already exists."""
    stated = {p["key"]: (p.get("homepage"), p.get("photo")) for p in content["people"]}
    _people(content)
    workshop = content["workshops"][0]
    existing = db.session.scalar(select(Workshop).where(Workshop.slug == workshop["slug"]))
    if existing is None:
        return False
    if publish is None:
        workshop["published"] = existing.is_published
    workshop["featured"] = existing.is_featured
    for name in KEEP_IF_EMPTY:
        if not workshop.get(name):
            workshop[name] = getattr(existing, name)
    conference = workshop["conference"]
    if not conference.get("url"):
        conference["url"] = existing.conference_url
        conference["link_text"] = conference.get("link_text") or existing.conference_link_text
    tz = existing.timezone
    imported = {post["slug"] for post in workshop["news"]} | {p["title"] for p in workshop["news"]}
    workshop["news"] += [
        {"slug": p.slug, "title": p.title, "published": to_zone(p.published_dt, tz).isoformat(),
         "summary_md": p.summary_md, "body_md": p.body_md}
        for p in _rows(NewsPost, existing) if p.slug not in imported and p.title not in imported
    ]  # fmt: skip
    texts = {a["text_md"] for a in workshop["announcements"]}
    workshop["announcements"] += [
        {"text_md": a.text_md, "link_url": a.link_url, "link_text": a.link_text,
         "starts": to_zone(a.starts_dt, tz).isoformat() if a.starts_dt else None,
         "ends": to_zone(a.ends_dt, tz).isoformat() if a.ends_dt else None}
        for a in _rows(Announcement, existing) if a.text_md not in texts
    ]  # fmt: skip
    _roles(workshop, existing, content, stated)
    for model, name in ((Sponsor, "sponsors"), (Institution, "institutions")):
        logos = {row.url: row.logo for row in _rows(model, existing) if row.logo}
        for entry in workshop[name]:
            entry["logo"] = entry["logo"] or _reference(logos.get(entry["url"]), content)
    return True


def _people(content: dict) -> None:
    people = content["people"]
    keys = [person["key"] for person in people]
    rows = {p.key: p for p in db.session.scalars(select(Person).where(Person.key.in_(keys)))}
    for person in people:
        row = rows.get(person["key"])
        if row is not None:
            person["homepage"] = person["homepage"] or row.homepage_url
            person["photo"] = person["photo"] or _reference(row.photo, content)


def _roles(workshop: dict, existing: Workshop, content: dict, stated: dict) -> None:
    """A role the page lists again keeps the homepage and photo the workshop gave it, where
    the page states none."""
    kept = {(r.person.key, r.kind.value): r for r in _rows(Role, existing)}
    for list_name, kind in Role.__record__.split_by[1].items():
        for entry in workshop.get(list_name) or []:
            role = kept.get((entry["person"], kind.value))
            homepage, photo = stated.get(entry["person"], (None, None))
            if role is None:
                continue
            if role.homepage_url and not homepage:
                entry["homepage"] = role.homepage_url
            if role.photo is not None and not photo:
                entry["photo"] = _reference(role.photo, content)


def _reference(value, content: dict):
    """A stored photo or logo as the document refers to it."""
    if value is None or isinstance(value, str):
        return value  # a build that keeps image references as text
    pipe = images.pipeline()  # an Image record: refer to it by key, listed under `images:`
    images.add_entries(content, pipe, [value])
    return pipe.key(value)


def _rows(model, workshop: Workshop) -> list:
    return db.session.scalars(
        select(model).where(model.workshop_id == workshop.id).order_by(model.id)
    ).all()
