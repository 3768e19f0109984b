"""Every record kind declares what history, the content format, the page cache and the organizer
area need of it (models/record.py); these checks name whatever a new kind forgot."""

from sqlalchemy import ForeignKey, Integer, String, inspect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from wsapp.extensions import db
from wsapp.forms import form_for
from wsapp.models.record import Field, In, Record, RecordMixin, by_key, by_table, records

# Columns no content file carries: identity, optimistic locking, position (the file's order).
BOOKKEEPING = {"id", "version", "workshop_id", "sort_order"}


def problems(models, url_map=None) -> list[str]:
    """What each model lacks, in words naming the model and the missing part."""
    found = []
    for model in models:
        name = model.__name__
        declared = vars(model)
        if "__record__" not in declared:
            if "__part_of__" not in declared and declared.get("__affects_pages__", True):
                found.append(
                    f"{name}: declare __record__ (models/record.py), __part_of__ = <its record>,"
                    " or __affects_pages__ = False"
                )
            continue
        record: Record = model.__record__
        if not issubclass(model, RecordMixin):
            found.append(f"{name}: inherit RecordMixin for the hooks history and lists call")
        found += [f"{name}: {p}" for p in _content_problems(model, record)]
        if record.history and not model.__table__.dialect_kwargs.get("sqlite_autoincrement"):
            found.append(f"{name}: add never_reuse_ids() to __table_args__ (its history needs it)")
        if record.manage:
            try:
                form_for(model)
            except LookupError:
                found.append(f"{name}: no edit form declares `model = {name}` (forms/)")
        if record.manage and not record.page:
            found.append(f"{name}: give Record(page=...), the public page showing it")
        for endpoint in (record.page, record.list_page):
            if endpoint and url_map is not None and endpoint not in url_map:
                found.append(f"{name}: its page {endpoint!r} is not a route")
    return found


def _content_problems(model, record: Record) -> list[str]:
    if record.content == "voting" or not record.fields and record.content not in ("list", "one"):
        return []
    if not record.fields:
        return ["declare its content-file fields (Record(fields=...))"]
    mapper = inspect(model)
    covered = set(BOOKKEEPING) | set(record.not_in_file)
    if record.split_by:
        covered.add(record.split_by[0])  # the list a record is in says it
    for field in record.fields:
        if field.kind is In.CUSTOM or field.kind is In.KEY:
            continue
        if field.name in mapper.relationships:
            covered |= {c.key for c in mapper.relationships[field.name].local_columns}
        elif field.name in mapper.columns:
            covered.add(field.name)
        else:
            return [f"field {field.key!r} names no column or relation {field.name!r}"]
    missing = sorted(c.key for c in mapper.columns if c.key not in covered)
    if missing:
        return [f"columns {missing} are in no content-file field (or Record.not_in_file)"]
    return []


def test_every_model_declares_what_the_features_need(app):
    with app.app_context():
        models = [m.class_ for m in db.Model.registry.mappers]
        assert problems(models, {r.endpoint for r in app.url_map.iter_rules()}) == []


def test_the_features_derive_their_lists_from_the_declarations(app):
    with app.app_context():
        from wsapp.blueprints.manage.kinds import KINDS
        from wsapp.services import history

        assert set(KINDS) == set(by_key())
        assert set(by_table()) == {m.__tablename__ for m in records() if m.__record__.history}
        assert {"photo_id", "logo_id"} <= history.image_columns()
        assert [m.__record__.position for m in records()] == sorted(
            m.__record__.position for m in records()
        )


class _Scratch(DeclarativeBase):
    """A registry of its own, so the forgetful kinds below never reach the app's metadata."""


class Photo(_Scratch):
    """A new kind that declares nothing: every feature would silently skip it."""

    __tablename__ = "photo"
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(Integer)
    caption: Mapped[str] = mapped_column(String(200))


class Gallery(RecordMixin, _Scratch):
    """A kind that declares itself but forgets a column, its form and a real page."""

    __tablename__ = "gallery"
    __record__ = Record(
        key="galleries",
        singular="gallery",
        plural="Galleries",
        position=999,
        fields=(),
        page="gallery.index",
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("photo.id"))
    title: Mapped[str] = mapped_column(String(200))


def test_a_kind_that_forgets_a_part_is_named_with_the_part(app):
    with app.app_context():
        found = problems([Photo, Gallery], url_map={"home.index"})
    assert any(p.startswith("Photo: declare __record__") for p in found), found
    assert "Gallery: declare its content-file fields (Record(fields=...))" in found
    assert "Gallery: no edit form declares `model = Gallery` (forms/)" in found
    assert "Gallery: its page 'gallery.index' is not a route" in found


class Poster(RecordMixin, _Scratch):
    """A kind whose fields leave a column out of the content file."""

    __tablename__ = "poster"
    __record__ = Record("posters", "poster", "Posters", 998, fields=(Field("title"),))
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    board: Mapped[int] = mapped_column(Integer)


def test_a_kind_missing_a_column_in_its_fields_is_named(app):
    with app.app_context():
        found = problems([Poster], url_map=set())
    assert "Poster: columns ['board'] are in no content-file field (or Record.not_in_file)" in found
