"""Read and write the `wsapp/1` content format (docs/content-format.md).

Loading is idempotent: workshops match by slug and people by key, and each workshop's records
are replaced by what the file says. Which records a workshop has, under which names and with
which fields, comes from each record kind's declaration (models/record.py).
"""

from sqlalchemy import delete, insert, inspect, select, union

from wsapp import rules
from wsapp.extensions import db
from wsapp.models import Image, Paper, Person, Series, Workshop
from wsapp.models.record import In, records
from wsapp.services.content import mapper
from wsapp.services.content import voting as content_voting
from wsapp.services.content.images import ImageRefError, check_images, dump_images, load_images
from wsapp.services.content.mapper import Context
from wsapp.services.content.values import ContentError

FORMAT = "wsapp/1"


def load_site(data: dict) -> list[Workshop]:
    """Create or update every person and workshop the data describes; returns the workshops.

    The whole document is checked first (check_site): a refused value stops the load before its
    first query.
    """
    check_site(data)
    try:
        images = load_images(data.get("images") or [])
    except ImageRefError as exc:
        raise ContentError(str(exc)) from None
    people = _load_people(_list(data, "people", "the file"), images)
    series = _load_series(_list(data, "series", "the file"))
    workshops = [
        _load_workshop(row, people, series, images, f"workshops[{i}]")
        for i, row in enumerate(_list(data, "workshops", "the file"))
    ]
    featured = [w for w in workshops if w.is_featured]
    if featured:
        db.session.execute(
            Workshop.__table__.update()
            .where(Workshop.id.not_in([w.id for w in featured]))
            .values(is_featured=False)
        )
    return workshops


def check_site(data) -> None:
    """Read the document as load_site does, onto records that never reach the session: the first
    value the forms' rules refuse raises ContentError with its record and field. No query runs."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ContentError(f"not a {FORMAT} document (missing 'format: {FORMAT}')")
    try:
        images = check_images(data.get("images") or [])
    except ImageRefError as exc:
        raise ContentError(str(exc)) from None
    context, people = Context(images=images, dry=True), {}
    for i, row in enumerate(_list(data, "people", "the file")):
        key = _person_key(row, i)
        person = Person(key=key)
        mapper.read(person, row, context, f"people[{i}] ({key})")
        people[key] = person
    series = {}
    for i, row in enumerate(_list(data, "series", "the file")):
        one = Series()
        mapper.read(one, row, Context(dry=True), f"series[{i}]")
        series[one.slug] = one
    for i, row in enumerate(_list(data, "workshops", "the file")):
        where = _workshop_place(row, i)
        workshop = Workshop()
        mapper.read(workshop, row, Context(images=images, series=series, dry=True), where)
        context = Context(tz=workshop.timezone, people=people, images=images, dry=True)
        for _ in _records(row, context, where, workshop_id=None):
            pass
        content_voting.check_voting(row.get("voting"), workshop.timezone, where)


def web_address_fields(data: dict):
    """(mapping, key, place) of every web address field in a document, as the record kinds
    declare their fields (an importer leaves out the addresses the rules refuse)."""

    def entries(parent, key):
        rows = parent.get(key) if isinstance(parent, dict) else None
        return [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []

    def addresses(model, entry, where):
        for spec in model.__record__.fields:
            if spec.name.endswith("url"):
                *parents, last = spec.key.split(".")
                mapping = entry
                for part in parents:
                    mapping = mapping.get(part) if isinstance(mapping, dict) else None
                if isinstance(mapping, dict) and last in mapping:
                    yield mapping, last, f"{where} {spec.key}"

    for i, person in enumerate(entries(data, "people")):
        yield from addresses(Person, person, f"people[{i}]")
    for workshop in entries(data, "workshops"):
        where = f"workshop {workshop.get('slug')}"
        yield from addresses(Workshop, workshop, where)
        for model in records():
            record = model.__record__
            if record.content == "one" and isinstance(workshop.get(record.key), dict):
                yield from addresses(model, workshop[record.key], f"{where} {record.key}")
            elif record.content == "list":
                for list_name, _ in _lists(record):
                    for i, entry in enumerate(entries(workshop, list_name)):
                        yield from addresses(model, entry, f"{where} {list_name}[{i}]")


def _list(row: dict, key: str, where: str) -> list:
    value = row.get(key) or []
    if not isinstance(value, list):
        raise ContentError(f"{where}: '{key}' must be a list")
    return value


def _person_key(row, i: int) -> str:
    key = row.get("key") if isinstance(row, dict) else None
    if not key or not isinstance(key, str):
        raise ContentError(f"people[{i}]: 'key' and 'name' are required")
    return key


def _workshop_place(row, i: int) -> str:
    """Where a workshop's problems are said to be: "workshop bugs-2023"."""
    if not isinstance(row, dict):
        raise ContentError(f"workshops[{i}]: expected a mapping of fields, got {row!r}")
    slug = row.get("slug")
    if not slug or not row.get("title"):
        raise ContentError(f"workshops[{i}]: each workshop needs 'slug' and 'title'")
    if not isinstance(slug, str) or not rules.is_slug(slug):
        raise ContentError(f"workshops[{i}] slug: {slug!r} is not an address name")
    return f"workshop {slug}"


def _load_people(rows: list, images: dict[str, Image]) -> dict[str, Person]:
    context, people = Context(images=images), {}
    for i, row in enumerate(rows):
        key = _person_key(row, i)
        person = db.session.scalar(select(Person).where(Person.key == key))
        if person is None:
            person = Person(key=key)
            db.session.add(person)
        mapper.read(person, row, context, f"people[{i}] ({key})")
        people[key] = person
    db.session.flush()
    return people


def _load_series(rows: list) -> dict[str, Series]:
    """Each series the file lists, matched by slug (created or updated)."""
    found = {}
    for i, row in enumerate(rows):
        slug = row.get("slug") if isinstance(row, dict) else None
        series = db.session.scalar(select(Series).where(Series.slug == slug))
        if series is None:
            series = Series(slug=slug)
            db.session.add(series)
        mapper.read(series, row, Context(), f"series[{i}] ({slug})")
        found[series.slug] = series
    db.session.flush()
    return found


def _load_workshop(row, people, series, images, where: str) -> Workshop:
    slug = row["slug"]
    where = f"workshop {slug}"
    workshop = db.session.scalar(select(Workshop).where(Workshop.slug == slug))
    if workshop is None:
        workshop = Workshop(slug=slug)
        db.session.add(workshop)
    mapper.read(workshop, row, Context(images=images, series=series), where)
    db.session.flush()
    content_voting.guard_papers(workshop)
    _clear_records(workshop)
    context = Context(tz=workshop.timezone, people=people, images=images)
    for obj in _records(row, context, where, workshop.id):
        db.session.add(obj)
    db.session.flush()
    _link(context)
    content_voting.load_voting(workshop, row.get("voting"), where)
    db.session.flush()
    return workshop


def _records(row: dict, context: Context, where: str, workshop_id: int | None):
    """Each record the workshop's entry describes, made and read (not added to the session)."""
    for model in records():
        record = model.__record__
        if record.content == "list":
            for list_name, values in _lists(record):
                for order, entry in enumerate(_list(row, list_name, where)):
                    obj = model(workshop_id=workshop_id, **values)
                    _read(obj, entry, context, f"{where} {list_name}[{order}]", order)
                    yield obj
        elif record.content == "one" and row.get(record.key) is not None:
            obj = model(workshop_id=workshop_id)
            _read(obj, row[record.key], context, f"{where} {record.key}")
            yield obj


def _lists(record) -> list[tuple[str, dict]]:
    """The file's list names for a record kind, with the values each list implies."""
    if record.split_by is None:
        return [(record.key, {})]
    attr, lists = record.split_by
    return [(name, {attr: value}) for name, value in lists.items()]


def _read(obj, entry, context: Context, where: str, order: int | None = None) -> None:
    with db.session.no_autoflush:  # the record joins the session below, once it is read
        mapper.read(obj, entry, context, where)
    if order is not None and hasattr(obj, "sort_order"):
        obj.sort_order = order
    if isinstance(obj, Paper):
        context.papers[entry.get("key") or f"paper-{order}"] = obj


def _link(context: Context) -> None:
    """Ordered many-to-many links (a schedule item's presenters), written in one statement each."""
    for obj, attr, people in context.links:
        relation = inspect(type(obj)).relationships[attr]
        own = relation.synchronize_pairs[0][1]
        other = relation.secondary_synchronize_pairs[0][1]
        rows = [
            {own.key: obj.id, other.key: person.id, "sort_order": i}
            for i, person in enumerate(people)
        ]
        if rows:
            db.session.execute(insert(relation.secondary), rows)


def _clear_records(workshop: Workshop) -> None:
    for model in records():
        if model.__record__.content in ("list", "one"):
            db.session.execute(delete(model).where(model.workshop_id == workshop.id))
    db.session.expire_all()


def dump_site() -> dict:
    """Every person and workshop in the `wsapp/1` format; load_site(dump_site()) changes nothing."""
    people = db.session.scalars(select(Person).order_by(Person.key)).all()
    workshops = db.session.scalars(select(Workshop).order_by(Workshop.slug)).all()
    series = db.session.scalars(select(Series).order_by(Series.slug)).all()
    return {
        "format": FORMAT,
        "images": dump_images(_referenced_images()),
        "people": [mapper.write(p, Context()) for p in people],
        "series": [mapper.write(s, Context()) for s in series],
        "workshops": [_dump_workshop(w) for w in workshops],
    }


def _referenced_images() -> list[Image]:
    """Every image a record's photo or logo field shows."""
    columns = [
        getattr(model, column.key)
        for model in records()
        for spec in model.__record__.fields
        if spec.kind is In.IMAGE
        for column in inspect(model).relationships[spec.name].local_columns
    ]
    used = union(*(select(column) for column in columns)).subquery()
    return db.session.scalars(select(Image).where(Image.id.in_(select(used.c[0])))).all()


def _records_of(model, workshop: Workshop) -> list:
    order = model.__record__.order_by()
    return db.session.scalars(
        select(model).where(model.workshop_id == workshop.id).order_by(*order, model.id)
    ).all()


def _dump_workshop(workshop: Workshop) -> dict:
    papers = _records_of(Paper, workshop)
    context = Context(
        tz=workshop.timezone, paper_keys={p.id: f"paper-{i}" for i, p in enumerate(papers)}
    )
    data = mapper.write(workshop, context)
    for model in records():
        record = model.__record__
        if record.content == "list":
            rows = _records_of(model, workshop)
            for list_name, values in _lists(record):
                data[list_name] = [
                    mapper.write(obj, context)
                    for obj in rows
                    if all(getattr(obj, k) == v for k, v in values.items())
                ]
        elif record.content == "one":
            found = _records_of(model, workshop)
            data[record.key] = mapper.write(found[0], context) if found else None
    data["voting"] = content_voting.dump_voting(workshop)
    return data
