"""Images on the site: serving, the public pages, the upload field and the 413 page."""

import io
import os
from contextlib import contextmanager
from pathlib import Path

import imagefiles as files
import pytest
from bs4 import BeautifulSoup
from flask.testing import EnvironBuilder
from flask_wtf import FlaskForm
from PIL import Image as PILImage
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from wsapp.extensions import db
from wsapp.forms.uploads import ImageUploadField
from wsapp.models import Image, ImageKind, Institution, Person, Role, RoleKind, Sponsor, Workshop
from wsapp.services import images

KB = 1024


def upload(data: bytes, filename: str = "upload.jpg") -> FileStorage:
    return FileStorage(io.BytesIO(data), filename=filename, content_type="image/jpeg")


def workshop(slug: str = "bugs-2023") -> Workshop:
    return db.session.scalar(select(Workshop).where(Workshop.slug == slug))


def speakers(slug: str = "bugs-2023") -> list[Role]:
    return db.session.scalars(
        select(Role)
        .where(Role.workshop_id == workshop(slug).id, Role.kind == RoleKind.SPEAKER)
        .order_by(Role.sort_order)
    ).all()


def worst_case_photo() -> bytes:
    noise = PILImage.merge("RGB", [PILImage.effect_noise((640, 640), 100) for _ in range(3)])
    return files.encoded(noise, "PNG")


def test_speakers_page_serves_each_photo_within_40_kb_at_2x(app, client):
    uploads = [files.phone_photo(), files.webp_photo(), worst_case_photo()]
    with app.app_context():
        roles = speakers()[: len(uploads)]
        for role, data in zip(roles, uploads, strict=True):
            role.photo = images.store_upload(upload(data), ImageKind.PHOTO)
        names = {role.name for role in roles}
        placeholders = len(speakers()) - len(roles)
        db.session.commit()

    page = client.get("/bugs-2023/speakers")
    assert page.status_code == 200
    soup = BeautifulSoup(page.data, "html.parser")
    photos = soup.select("li.person img.avatar")  # some speakers are panelists too
    assert {img.find_next_sibling("h3").get_text(strip=True) for img in photos} == names
    for img in photos:
        assert img["alt"] == ""  # the name beside it says who it is
        assert (img["width"], img["height"]) == ("160", "160")
        assert img["loading"] == "lazy" and img["decoding"] == "async"
        candidates = dict(reversed(c.split()) for c in img["srcset"].split(", "))
        assert candidates["1x"] == img["src"]
        for density, expected in (("1x", (160, 160)), ("2x", (320, 320))):
            response = client.get(candidates[density])
            assert response.status_code == 200
            assert response.mimetype == "image/webp"
            assert PILImage.open(io.BytesIO(response.data)).size == expected
        assert len(client.get(candidates["2x"]).data) <= 40 * KB
    assert len(soup.select("#speakers .avatar-placeholder")) == placeholders


def test_logos_render_with_their_names_as_alt(app, client):
    with app.app_context():
        logo = images.store_upload(upload(files.logo_png(800, 300)), ImageKind.LOGO)
        sponsor = db.session.scalar(
            select(Sponsor).where(Sponsor.workshop_id == workshop().id).order_by(Sponsor.sort_order)
        )
        institution = db.session.scalar(
            select(Institution).where(Institution.workshop_id == workshop().id)
        )
        sponsor.logo = institution.logo = logo
        expected = {sponsor.name, institution.name}
        sponsor_name = sponsor.name
        db.session.commit()

    soup = BeautifulSoup(client.get("/bugs-2023/organizers").data, "html.parser")
    logos = soup.select(".logos img")
    assert {img["alt"] for img in logos} == expected
    for img in logos:
        assert (img["width"], img["height"]) == ("128", "48")
        assert img["loading"] == "lazy" and "2x" in img["srcset"]
    assert soup.select(".logos .logo-name")  # sponsors without a logo keep their name
    home = BeautifulSoup(client.get("/bugs-2023/").data, "html.parser")
    assert sponsor_name in {img["alt"] for img in home.select("#sponsors img")}


def test_media_headers_and_conditional_requests(app, client):
    with app.app_context():
        image = images.store_upload(upload(files.webp_photo()), ImageKind.PHOTO)
        db.session.commit()
        name, size = image.file_2x, image.bytes_2x
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert response.content_type == "image/webp"
    assert len(response.data) == size
    cache = response.cache_control
    assert cache.public and cache.max_age == 31536000 and cache.immutable
    assert response.headers["ETag"] == f'"{name.removesuffix(".webp")}"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    again = client.get(f"/media/{name}", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


TRAVERSALS = [
    "/media/" + "0" * 64 + ".webp",  # well-formed, but no such file
    "/media/../instance/secret_key",
    "/media/..%2Finstance%2Fsecret_key",
    "/media/%2e%2e/%2e%2e/wsapp/config.py",
    "/media/..%5C..%5Cinstance%5Csecret_key",
    "/media/" + "a" * 60 + "/../secret_key",
    "/media/" + "A" * 64 + ".webp",
    "/media/" + "a" * 64 + ".png",
    "/media/.upload-abc.tmp",
    "/media/notes.txt",
    "/media/",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_media_refuses_anything_but_a_rendition_name(app, client, path):
    folder = Path(app.config["MEDIA_DIR"])
    folder.mkdir(parents=True)
    (folder / "notes.txt").write_text("private")
    (folder / ".upload-abc.tmp").write_text("half written")
    (folder / ("A" * 64 + ".webp")).write_text("not ours")
    (folder / ("a" * 64 + ".png")).write_text("not ours")
    response = client.get(path)
    assert response.status_code == 404
    assert b"private" not in response.data and b"not ours" not in response.data
    secret = Path(app.instance_path, "secret_key")
    if secret.exists():
        assert secret.read_bytes().strip() not in response.data


class PersonPhotoForm(FlaskForm):
    photo = ImageUploadField("Photo", kind=ImageKind.PHOTO)


@contextmanager
def form_post(app, data: bytes | None, filename: str = "me.jpg"):
    """A POST request context carrying `data` as the photo field (the form parses it)."""
    fields = {} if data is None else {"photo": (io.BytesIO(data), filename)}
    builder = EnvironBuilder(
        app, "/", method="POST", data=fields, content_type="multipart/form-data"
    )
    environ = builder.get_environ()
    try:
        with app.request_context(environ):
            yield
    finally:
        builder.close()
        environ["wsgi.input"].close()  # a large body is spooled to a temporary file


def test_field_stores_upload_through_populate_obj(app):
    app.config["WTF_CSRF_ENABLED"] = False
    with form_post(app, files.phone_photo()):
        person = speakers()[0].person
        assert person.photo is None
        form = PersonPhotoForm(obj=person)
        assert form.validate(), form.errors
        form.populate_obj(person)
        db.session.flush()
        assert person.photo.kind is ImageKind.PHOTO and person.photo.bytes_2x <= 40 * KB
        assert 'accept="image/jpeg,image/png,image/webp"' in str(form.photo)
        assert 'type="file"' in str(form.photo)


def test_field_without_a_file_keeps_the_current_image(app):
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        current = images.store_upload(upload(files.webp_photo()), ImageKind.PHOTO)
        person = speakers()[0].person
        person.photo = current
        db.session.commit()
        person_id = person.id
    with form_post(app, None):
        person = db.session.get(Person, person_id)
        form = PersonPhotoForm(obj=person)
        assert form.photo.data is None  # the stored Image is not mistaken for an upload
        assert form.validate()
        assert form.photo.store() is None
        form.populate_obj(person)
        assert person.photo is current or person.photo.id == current.id


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (files.svg(), "SVG files are not accepted"),
        (b"GIF89a" + b"\x00" * 64, "GIF files are not accepted"),
        (b"plain text\n", "not a JPEG, PNG or WebP image"),
        (files.png_declaring(100_000, 100_000), "megapixels"),
    ],
    ids=["svg", "gif", "text", "bomb"],
)
def test_field_turns_refusals_into_field_errors(app, data, message):
    app.config["WTF_CSRF_ENABLED"] = False
    with form_post(app, data):
        before = db.session.scalar(select(func.count(Image.id)))
        form = PersonPhotoForm()
        assert not form.validate()
        assert any(message in error for error in form.photo.errors), form.photo.errors
        assert form.photo.store() is None
        assert db.session.scalar(select(func.count(Image.id))) == before
    assert not os.path.isdir(app.config["MEDIA_DIR"])


def test_request_over_the_size_limit_gets_a_clear_413(app, client):
    app.config.update(WTF_CSRF_ENABLED=False, MAX_IMAGE_BYTES=100 * KB, MAX_CONTENT_LENGTH=120 * KB)

    @app.post("/upload-probe")
    def upload_probe():
        form = PersonPhotoForm()
        if not form.validate():
            return {"errors": form.photo.errors}, 422
        return {"file": form.photo.store().file_1x}

    big = files.encoded(files.upright_picture(500, 500, grain=250), "PNG")
    assert len(big) > 120 * KB
    response = client.post("/upload-probe", data={"photo": (io.BytesIO(big), "big.png")})
    assert response.status_code == 413
    assert b"The upload is too large: images may be at most 100 KB" in response.data
    between = big[: 110 * KB]  # passes the request limit, not the image limit
    response = client.post("/upload-probe", data={"photo": (io.BytesIO(between), "b.png")})
    assert response.status_code == 422
    assert "larger than 100 KB" in response.json["errors"][0]
    assert not os.path.isdir(app.config["MEDIA_DIR"])
