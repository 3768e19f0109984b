"""Read and write the `wsapp/1` content format (docs/content-format.md).

Loading is idempotent: workshops match by slug and people by key, and each workshop's child
records are replaced by what the file says.
"""

import datetime as dt

from sqlalchemy import delete, insert, select, union

from wsapp.extensions import db
from wsapp.models import (
    AOE,
    Announcement,
    CallForPapers,
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
from wsapp.models.program import presenters as presenters_table
from wsapp.services.content import voting as content_voting
from wsapp.services.content.checks import check_site
from wsapp.services.content.images import (
    ImageRefError,
    dump_images,
    image_key,
    image_ref,
    load_images,
)
from wsapp.services.content.values import ContentError, day, instant, iso

FORMAT = "wsapp/1"
ROLE_LISTS = {
    "speakers": RoleKind.SPEAKER,
    "panelists": RoleKind.PANELIST,
    "organizers": RoleKind.ORGANIZER,
    "moderators": RoleKind.MODERATOR,
}
CHILDREN = (Role, ScheduleItem, Paper, ImportantDate, Sponsor, Institution, NewsPost, Announcement)
CFP_FIELDS = [c.key for c in CallForPapers.__table__.columns if c.key not in {"id", "workshop_id"}]


def load_site(data: dict) -> list[Workshop]:
    """Create or update every person and workshop the data describes; returns the workshops."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ContentError(f"not a {FORMAT} document (missing 'format: {FORMAT}')")
    check_site(data)  # the forms' rules, before anything is written
    try:
        images = load_images(data.get("images") or [])
    except ImageRefError as exc:
        raise ContentError(str(exc)) from None
    people = _load_people(data.get("people") or [], images)
    workshops = [_load_workshop(w, people, images) for w in data.get("workshops") or []]
    featured = [w for w in workshops if w.is_featured]
    if featured:
        db.session.execute(
            Workshop.__table__.update()
            .where(Workshop.id.not_in([w.id for w in featured]))
            .values(is_featured=False)
        )
    return workshops


def _image(images: dict[str, Image], key, kind: ImageKind, where: str) -> Image | None:
    try:
        return image_ref(images, key, kind, where)
    except ImageRefError as exc:
        raise ContentError(str(exc)) from None


def _load_people(rows: list[dict], images: dict[str, Image]) -> dict[str, Person]:
    people: dict[str, Person] = {}
    for i, row in enumerate(rows):
        key = row.get("key")
        if not key or not row.get("name"):
            raise ContentError(f"people[{i}]: 'key' and 'name' are required")
        person = db.session.scalar(select(Person).where(Person.key == key))
        if person is None:
            person = Person(key=key)
            db.session.add(person)
        person.name = row["name"]
        person.homepage_url = row.get("homepage")
        person.photo = _image(images, row.get("photo"), ImageKind.PHOTO, f"people[{i}] photo")
        people[key] = person
    db.session.flush()
    return people


def _person(people: dict[str, Person], key: str | None, where: str) -> Person | None:
    if key is None:
        return None
    if key not in people:
        raise ContentError(f"{where}: unknown person key {key!r}")
    return people[key]


def _load_workshop(row: dict, people: dict[str, Person], images: dict[str, Image]) -> Workshop:
    slug = row.get("slug")
    if not slug or not row.get("title"):
        raise ContentError("each workshop needs 'slug' and 'title'")
    where = f"workshop {slug}"
    workshop = db.session.scalar(select(Workshop).where(Workshop.slug == slug))
    if workshop is None:
        workshop = Workshop(slug=slug)
        db.session.add(workshop)
    conference = row.get("conference") or {}
    workshop.title = row["title"]
    workshop.short_name = row.get("short_name")
    workshop.tagline_md = row.get("tagline_md") or ""
    workshop.description_md = row.get("description_md") or ""
    workshop.conference_name = conference.get("name") or ""
    workshop.conference_year = conference.get("year")
    workshop.conference_url = conference.get("url")
    workshop.conference_link_text = conference.get("link_text")
    for field in ("city", "country", "venue", "room"):
        setattr(workshop, field, row.get(field) or "")
    workshop.timezone = row.get("timezone") or "UTC"
    workshop.start_date = day(row.get("start_date"), where)
    workshop.end_date = day(row.get("end_date"), where) or workshop.start_date
    workshop.contact_email = row.get("contact_email")
    workshop.website_url = row.get("website_url")
    workshop.default_locale = row.get("default_locale") or "en"
    workshop.is_published = bool(row.get("published", False))
    workshop.is_featured = bool(row.get("featured", False))
    db.session.flush()
    content_voting.guard_papers(workshop)
    _clear_children(workshop)
    _load_roles(workshop, row, people)
    papers = _load_papers(workshop, row.get("papers") or [], where)
    _load_schedule(workshop, row.get("schedule") or [], people, papers, where)
    _load_cfp(workshop, row.get("cfp"))
    _load_dates(workshop, row.get("dates") or [], where)
    _load_simple(workshop, row, where, images)
    content_voting.load_voting(workshop, row.get("voting"), where)
    db.session.flush()
    return workshop


def _clear_children(workshop: Workshop) -> None:
    for model in CHILDREN:
        db.session.execute(delete(model).where(model.workshop_id == workshop.id))
    db.session.execute(delete(CallForPapers).where(CallForPapers.workshop_id == workshop.id))
    db.session.expire_all()


def _load_roles(workshop: Workshop, row: dict, people: dict[str, Person]) -> None:
    for list_name, kind in ROLE_LISTS.items():
        for order, entry in enumerate(row.get(list_name) or []):
            where = f"workshop {workshop.slug} {list_name}[{order}]"
            db.session.add(
                Role(
                    workshop_id=workshop.id,
                    person=_person(people, entry.get("person"), where),
                    kind=kind,
                    position=entry.get("position") or "",
                    affiliation=entry.get("affiliation") or "",
                    sort_order=order,
                )
            )


def _load_papers(workshop: Workshop, rows: list[dict], where: str) -> dict[str, Paper]:
    papers: dict[str, Paper] = {}
    for order, entry in enumerate(rows):
        try:
            presentation = Presentation(entry.get("presentation", "poster"))
        except ValueError as exc:
            raise ContentError(f"{where} papers[{order}]: presentation is oral or poster") from exc
        paper = Paper(
            workshop_id=workshop.id,
            title=entry["title"],
            authors=entry.get("authors") or "",
            presentation=presentation,
            paper_url=entry.get("paper_url"),
            openreview_url=entry.get("openreview_url"),
            code_url=entry.get("code_url"),
            sort_order=order,
        )
        db.session.add(paper)
        papers[entry.get("key") or f"paper-{order}"] = paper
    db.session.flush()
    return papers


def _load_schedule(workshop, rows, people, papers, where) -> None:
    links = []
    for order, entry in enumerate(rows):
        here = f"{where} schedule[{order}]"
        try:
            kind = ItemKind(entry.get("kind", "other"))
        except ValueError as exc:
            raise ContentError(f"{here}: unknown kind {entry.get('kind')!r}") from exc
        start, end = instant(entry.get("start"), here), instant(entry.get("end"), here)
        if start is None or end is None or end < start:
            raise ContentError(f"{here}: 'start' and 'end' are required and end >= start")
        paper_key = entry.get("paper")
        if paper_key is not None and paper_key not in papers:
            raise ContentError(f"{here}: unknown paper key {paper_key!r}")
        item = ScheduleItem(
            workshop_id=workshop.id,
            start_dt=start,
            end_dt=end,
            kind=kind,
            number=entry.get("number"),
            title=entry.get("title"),
            abstract_md=entry.get("abstract_md") or "",
            presenters_text=entry.get("presenters_text") or "",
            paper=papers.get(paper_key) if paper_key else None,
            moderator=_person(people, entry.get("moderator"), here),
            block=entry.get("block") or 0,
            sort_order=order,
        )
        db.session.add(item)
        links.append((item, [_person(people, k, here) for k in entry.get("presenters") or []]))
    db.session.flush()
    rows_to_insert = [
        {"item_id": item.id, "person_id": person.id, "sort_order": i}
        for item, persons in links
        for i, person in enumerate(persons)
    ]
    if rows_to_insert:
        db.session.execute(insert(presenters_table), rows_to_insert)


def _load_cfp(workshop: Workshop, row: dict | None) -> None:
    if row is None:
        return
    cfp = CallForPapers(workshop_id=workshop.id)
    for field in CFP_FIELDS:
        if field in row:
            setattr(cfp, field, row[field])
    db.session.add(cfp)


def _load_dates(workshop: Workshop, rows: list[dict], where: str) -> None:
    for order, entry in enumerate(rows):
        here = f"{where} dates[{order}]"
        date = ImportantDate(
            workshop_id=workshop.id,
            label=entry["label"],
            due_dt=instant(entry.get("due"), here),
            due_date=day(entry.get("date"), here),
            timezone=entry.get("timezone") or AOE,
            note=entry.get("note") or "",
            is_submission_deadline=bool(entry.get("submission_deadline", False)),
            sort_order=order,
        )
        if date.due_dt is None and date.due_date is None:
            raise ContentError(f"{here}: give 'due' (a date-time) or 'date'")
        for i, old in enumerate(entry.get("earlier") or []):
            date.earlier.append(
                MovedDeadline(
                    due_dt=instant(old.get("due"), f"{here} earlier[{i}]"),
                    due_date=day(old.get("date"), f"{here} earlier[{i}]"),
                    timezone=old.get("timezone") or date.timezone,
                    moved_dt=instant(old.get("moved"), here)
                    or dt.datetime(2000, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=i),
                )
            )
        db.session.add(date)


def _load_simple(workshop: Workshop, row: dict, where: str, images: dict[str, Image]) -> None:
    for model, list_name in ((Sponsor, "sponsors"), (Institution, "institutions")):
        for order, entry in enumerate(row.get(list_name) or []):
            here = f"{where} {list_name}[{order}] logo"
            db.session.add(
                model(workshop_id=workshop.id, sort_order=order, **_pick(entry, images, here))
            )
    for i, entry in enumerate(row.get("news") or []):
        here = f"{where} news[{i}]"
        db.session.add(
            NewsPost(
                workshop_id=workshop.id,
                slug=entry["slug"],
                title=entry["title"],
                summary_md=entry.get("summary_md") or "",
                body_md=entry.get("body_md") or "",
                published_dt=instant(entry.get("published"), here),
            )
        )
    for i, entry in enumerate(row.get("announcements") or []):
        here = f"{where} announcements[{i}]"
        db.session.add(
            Announcement(
                workshop_id=workshop.id,
                text_md=entry["text_md"],
                link_url=entry.get("link_url"),
                link_text=entry.get("link_text") or "",
                starts_dt=instant(entry.get("starts"), here),
                ends_dt=instant(entry.get("ends"), here),
            )
        )


def _pick(entry: dict, images: dict[str, Image], where: str) -> dict:
    logo = _image(images, entry.get("logo"), ImageKind.LOGO, where)
    return {"name": entry["name"], "url": entry.get("url"), "logo": logo}


def dump_site() -> dict:
    """Every person and workshop in the `wsapp/1` format; load_site(dump_site()) changes nothing."""
    people = db.session.scalars(select(Person).order_by(Person.key)).all()
    workshops = db.session.scalars(select(Workshop).order_by(Workshop.slug)).all()
    return {
        "format": FORMAT,
        "images": dump_images(_referenced_images()),
        "people": [
            {"key": p.key, "name": p.name, "homepage": p.homepage_url, "photo": image_key(p.photo)}
            for p in people
        ],
        "workshops": [_dump_workshop(w) for w in workshops],
    }


def _referenced_images() -> list[Image]:
    used = union(
        select(Person.photo_id), select(Sponsor.logo_id), select(Institution.logo_id)
    ).subquery()
    return db.session.scalars(select(Image).where(Image.id.in_(select(used.c[0])))).all()


def _children(model, workshop: Workshop, *order):
    return db.session.scalars(
        select(model).where(model.workshop_id == workshop.id).order_by(*order, model.id)
    ).all()


def _dump_workshop(w: Workshop) -> dict:
    tz = w.timezone
    roles = _children(Role, w, Role.sort_order)
    papers = _children(Paper, w, Paper.sort_order)
    paper_keys = {p.id: f"paper-{i}" for i, p in enumerate(papers)}
    cfp = db.session.scalar(select(CallForPapers).where(CallForPapers.workshop_id == w.id))
    data = {
        "slug": w.slug,
        "title": w.title,
        "short_name": w.short_name,
        "tagline_md": w.tagline_md,
        "description_md": w.description_md,
        "conference": {
            "name": w.conference_name,
            "year": w.conference_year,
            "url": w.conference_url,
            "link_text": w.conference_link_text,
        },
        "city": w.city,
        "country": w.country,
        "venue": w.venue,
        "room": w.room,
        "timezone": tz,
        "start_date": w.start_date.isoformat() if w.start_date else None,
        "end_date": w.end_date.isoformat() if w.end_date else None,
        "contact_email": w.contact_email,
        "website_url": w.website_url,
        "default_locale": w.default_locale,
        "published": w.is_published,
        "featured": w.is_featured,
    }
    for list_name, kind in ROLE_LISTS.items():
        data[list_name] = [
            {"person": r.person.key, "position": r.position, "affiliation": r.affiliation}
            for r in roles
            if r.kind == kind
        ]
    data["papers"] = [
        {
            "key": paper_keys[p.id],
            "title": p.title,
            "authors": p.authors,
            "presentation": p.presentation.value,
            "paper_url": p.paper_url,
            "openreview_url": p.openreview_url,
            "code_url": p.code_url,
        }
        for p in papers
    ]
    data["schedule"] = [
        {
            "start": iso(i.start_dt, tz),
            "end": iso(i.end_dt, tz),
            "kind": i.kind.value,
            "number": i.number,
            "title": i.title,
            "presenters": [p.key for p in i.presenters],
            "presenters_text": i.presenters_text,
            "paper": paper_keys.get(i.paper_id),
            "moderator": i.moderator.key if i.moderator else None,
            "block": i.block,
            "abstract_md": i.abstract_md,
        }
        for i in _children(ScheduleItem, w, ScheduleItem.sort_order, ScheduleItem.start_dt)
    ]
    data["cfp"] = {f: getattr(cfp, f) for f in CFP_FIELDS} if cfp else None
    data["dates"] = [_dump_date(d) for d in _children(ImportantDate, w, ImportantDate.sort_order)]
    data["sponsors"] = [_dump_logo(s) for s in _children(Sponsor, w, Sponsor.sort_order)]
    data["institutions"] = [
        _dump_logo(s) for s in _children(Institution, w, Institution.sort_order)
    ]
    data["news"] = [
        {
            "slug": n.slug,
            "title": n.title,
            "published": iso(n.published_dt, tz),
            "summary_md": n.summary_md,
            "body_md": n.body_md,
        }
        for n in _children(NewsPost, w, NewsPost.published_dt)
    ]
    data["announcements"] = [
        {
            "text_md": a.text_md,
            "link_url": a.link_url,
            "link_text": a.link_text,
            "starts": iso(a.starts_dt, tz),
            "ends": iso(a.ends_dt, tz),
        }
        for a in _children(Announcement, w)
    ]
    data["voting"] = content_voting.dump_voting(w)
    return data


def _dump_date(d: ImportantDate) -> dict:
    row = {
        "label": d.label,
        "due": iso(d.due_dt, d.timezone),
        "date": d.due_date.isoformat() if d.due_date else None,
        "timezone": d.timezone,
        "note": d.note,
        "submission_deadline": d.is_submission_deadline,
        "earlier": [
            {
                "due": iso(m.due_dt, m.timezone),
                "date": m.due_date.isoformat() if m.due_date else None,
                "timezone": m.timezone,
                "moved": iso(m.moved_dt, "UTC"),
            }
            for m in d.earlier
        ],
    }
    return row


def _dump_logo(entry) -> dict:
    return {"name": entry.name, "url": entry.url, "logo": image_key(entry.logo)}
