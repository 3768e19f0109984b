"""Images in the content format: the `images:` list round-trips and bad entries are refused."""

import io
import re

import imagefiles as files
import pytest
import yaml
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from wsapp.extensions import db
from wsapp.models import Image, ImageKind, Person, Role, RoleKind, Sponsor, Workshop
from wsapp.services import images
from wsapp.services.content.site import ContentError, dump_site, load_site


def upload(data: bytes) -> FileStorage:
    return FileStorage(io.BytesIO(data), filename="upload", content_type="image/png")


def bugs() -> Workshop:
    return db.session.scalar(select(Workshop).where(Workshop.slug == "bugs-2023"))


def first_speaker() -> Person:
    return db.session.scalar(
        select(Role)
        .where(Role.workshop_id == bugs().id, Role.kind == RoleKind.SPEAKER)
        .order_by(Role.sort_order)
    ).person


def test_content_format_round_trips_images(app, fresh_app):
    with app.app_context():
        photo = images.store_upload(upload(files.webp_photo()), ImageKind.PHOTO)
        logo = images.store_upload(upload(files.logo_png()), ImageKind.LOGO)
        first_speaker().photo = photo
        sponsor = db.session.scalar(select(Sponsor).where(Sponsor.workshop_id == bugs().id))
        sponsor.logo = logo
        db.session.commit()
        first = dump_site()
        keys = {entry["key"]: entry for entry in first["images"]}
        assert len(keys) == 2
        assert keys[f"photo-{photo.original_sha256[:16]}"]["file_2x"] == photo.file_2x
        dumped_person = next(p for p in first["people"] if p["photo"])
        assert keys[dumped_person["photo"]]["kind"] == "photo"
        before = db.session.scalar(select(func.count(Image.id)))
        load_site(yaml.safe_load(yaml.safe_dump(first, allow_unicode=True)))
        db.session.commit()
        assert dump_site() == first
        assert db.session.scalar(select(func.count(Image.id))) == before

    other = fresh_app()
    with other.app_context():
        db.create_all()
        load_site(first)
        db.session.commit()
        assert dump_site() == first
        assert db.session.scalar(select(func.count(Image.id))) == 2


def broken(change) -> dict:
    entry = {
        "key": "p1",
        "kind": "photo",
        "original_sha256": "ab" * 32,
        "width": 160,
        "height": 160,
        "file_1x": "cd" * 32 + ".webp",
        "bytes_1x": 900,
        "file_2x": "ef" * 32 + ".webp",
        "bytes_2x": 3000,
    }
    doc = {
        "format": "wsapp/1",
        "images": [entry],
        "people": [{"key": "x", "name": "X", "photo": "p1"}],
        "workshops": [],
    }
    change(doc, entry)
    return doc


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d, e: d["people"][0].update(photo="/img/x.jpg"), "unknown image key"),
        (lambda d, e: e.update(kind="logo"), "is a logo, not a photo"),
        (lambda d, e: e.update(file_1x="../../instance/secret_key"), "file_1x must be"),
        (lambda d, e: e.update(file_2x="ab" * 32 + ".svg"), "file_2x must be"),
        (lambda d, e: e.update(width=0), "width must be a positive"),
        (lambda d, e: e.update(kind="gif"), "kind is photo or logo"),
        (lambda d, e: e.pop("original_sha256"), "original_sha256"),
        (lambda d, e: d["images"].append(dict(e)), "used twice"),
    ],
    ids=["unknown", "kind", "traversal", "extension", "width", "bad-kind", "sha", "twice"],
)
def test_content_format_rejects_bad_images(app, change, message):
    with app.app_context():
        with pytest.raises(ContentError, match=re.escape(message)):
            load_site(broken(change))
        db.session.rollback()


def test_content_format_accepts_a_good_image_entry(app):
    with app.app_context():
        load_site(broken(lambda d, e: None))
        person = db.session.scalar(select(Person).where(Person.key == "x"))
        assert person.photo.file_1x == "cd" * 32 + ".webp"
        db.session.rollback()
