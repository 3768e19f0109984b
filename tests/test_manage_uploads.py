"""Photos and logos uploaded in the organizer forms: on the site, refused, removed, restored."""

import io
import os

import imagefiles as files
import pytest
from accounts import csrf_token
from bs4 import BeautifulSoup
from formdata import form_fields, get_form, post_multipart
from PIL import Image as PILImage
from sqlalchemy import func, select

from wsapp.extensions import db
from wsapp.models import Change, Image, Institution, Person, Role, RoleKind, Sponsor, Workshop

KB = 1024
MARKERS = (files.EXIF_MARKER, files.GPS_MARKER, files.XMP_MARKER)


def _one(app, query):
    with app.app_context():
        return db.session.scalar(query)


def _first(model, slug: str = "bugs-2023"):
    return (
        select(model)
        .join(Workshop, model.workshop_id == Workshop.id)
        .where(Workshop.slug == slug)
        .order_by(model.sort_order, model.id)
        .limit(1)
    )


def _speaker(app) -> tuple[int, int, str]:
    """The first speaker of bugs-2023: (role id, person id, name)."""
    with app.app_context():
        role = db.session.scalar(_first(Role).where(Role.kind == RoleKind.SPEAKER))
        return role.id, role.person_id, role.person.name


def _upload(client, url: str, field: str, data: bytes | None, filename="upload.jpg", **changes):
    """Submit the form at `url` as a browser would, with `data` as the chosen file."""
    form = {**get_form(client, url), **changes}
    if data is not None:
        form[field] = (io.BytesIO(data), filename)
    return post_multipart(client, url, form)


def _state(app) -> tuple:
    """Images, changes and the media folder's files: what a refused upload must not touch."""
    folder = app.config["MEDIA_DIR"]
    with app.app_context():
        return (
            db.session.scalar(select(func.count(Image.id))),
            db.session.scalar(select(func.count(Change.id))),
            sorted(os.listdir(folder)) if os.path.isdir(folder) else [],
        )


def _card_photo(page_html: str, name: str):
    """The <img> of the person card with this name on a people page (None: the placeholder)."""
    soup = BeautifulSoup(page_html, "html.parser")
    for card in soup.select("li.person"):
        if card.select_one(".person-name").get_text(strip=True) == name:
            return card.select_one("img.avatar")
    raise AssertionError(f"no card for {name}")


def _srcset(img) -> dict[str, str]:
    return {density: url for url, density in (c.split() for c in img["srcset"].split(", "))}


def test_speaker_photo_ends_up_as_renditions_on_the_speakers_page(app, login_as):
    client = login_as("bugs")
    role_id, person_id, name = _speaker(app)
    url = f"/manage/bugs-2023/people/{role_id}"
    page = BeautifulSoup(client.get(url).text, "html.parser")
    assert page.select_one("form.edit-form")["enctype"] == "multipart/form-data"
    field = page.select_one("#field-photo")
    assert field.select_one("input#photo")["type"] == "file"
    assert field.select_one("input#photo")["accept"] == "image/jpeg,image/png,image/webp"
    assert "cropped to a centred square" in field.select_one(".hint").text
    assert not field.has_attr("hx-post")  # a swapped-in file input would lose the chosen file
    assert field.select_one("#photo-remove") is None  # nothing to remove yet

    response = _upload(client, url, "photo", files.phone_photo(), "IMG_0001.JPG")
    assert response.status_code == 303, response.text[:2000]

    img = _card_photo(client.get("/bugs-2023/speakers").text, name)
    assert (img["width"], img["height"]) == ("160", "160")
    assert img["loading"] == "lazy"
    srcset = _srcset(img)
    assert srcset["1x"] == img["src"]
    for density, size in (("1x", (160, 160)), ("2x", (320, 320))):
        served = client.get(srcset[density])
        assert served.status_code == 200 and served.mimetype == "image/webp"
        picture = PILImage.open(io.BytesIO(served.data))
        assert picture.format == "WEBP" and picture.size == size
        assert not any(marker.encode() in served.data for marker in MARKERS)
        assert b"Exif" not in served.data and b"GPS" not in served.data
    assert len(client.get(srcset["2x"]).data) <= 40 * KB

    change = _one(
        app,
        select(Change)
        .where(Change.entity == "role", Change.entity_id == role_id)
        .order_by(Change.id.desc()),
    )
    assert change.before["photo_id"] is None and change.after["photo_id"] is not None
    assert change.user_id is not None
    # the form now shows the photo, with the box to remove it
    page = BeautifulSoup(client.get(url).text, "html.parser")
    assert page.select_one("#field-photo .current-image img")["src"] == srcset["1x"]
    assert page.select_one("#photo-remove")["type"] == "checkbox"


def test_new_person_with_a_photo(app, login_as):
    client = login_as("bugs")
    url = "/manage/bugs-2023/people/new"
    response = _upload(
        client,
        url,
        "photo",
        files.webp_photo(),
        "me.webp",
        person_id="0",
        name="Ada Newcomer",
        kind="speaker",
    )
    assert response.status_code == 303, response.text[:2000]
    with app.app_context():
        person = db.session.scalar(select(Person).where(Person.name == "Ada Newcomer"))
        assert person.photo is not None and (person.photo.width, person.photo.height) == (160, 160)
    assert _card_photo(client.get("/bugs-2023/speakers").text, "Ada Newcomer") is not None


@pytest.mark.parametrize("kind, model", [("sponsors", Sponsor), ("institutions", Institution)])
def test_logo_upload_shows_on_the_organizers_page(app, login_as, kind, model):
    client = login_as("bugs")
    with app.app_context():
        record = db.session.scalar(_first(model))
        record_id, name = record.id, record.name
    url = f"/manage/bugs-2023/{kind}/{record_id}"
    response = _upload(client, url, "logo", files.logo_png(800, 300), "logo.png")
    assert response.status_code == 303, response.text[:2000]

    soup = BeautifulSoup(client.get("/bugs-2023/organizers").text, "html.parser")
    section = soup.select_one("#sponsors" if kind == "sponsors" else "#institutions")
    img = next(i for i in section.select(".logos img") if i["alt"] == name)
    assert (img["width"], img["height"]) == ("128", "48")
    assert img["loading"] == "lazy"
    served = client.get(_srcset(img)["2x"])
    assert PILImage.open(io.BytesIO(served.data)).size == (256, 96)
    assert PILImage.open(io.BytesIO(served.data)).mode == "RGBA"  # transparency kept
    change = _one(
        app,
        select(Change)
        .where(Change.entity == model.__tablename__, Change.entity_id == record_id)
        .order_by(Change.id.desc()),
    )
    assert change.before["logo_id"] is None and change.after["logo_id"] is not None
    page = BeautifulSoup(client.get(url).text, "html.parser")
    assert page.select_one("#field-logo .current-image img")["alt"] == "Current image: Logo"


REFUSALS = [
    (files.svg(), "logo.svg", "SVG files are not accepted"),
    (files.gif(), "logo.gif", "GIF files are not accepted"),
    (b"%PDF-1.7\n" + b"0" * 200, "logo.png", "PDF files are not accepted"),
    (b"just some text\n", "logo.png", "not a JPEG, PNG or WebP image"),
    (files.png_declaring(100_000, 100_000), "bomb.png", "more than 50 megapixels"),
    (files.truncated_jpeg(), "cut.jpg", "damaged or incomplete"),
    (files.animated_png(), "moving.png", "Animated images are not accepted"),
    (b"", "empty.png", "The file is empty"),
]


@pytest.mark.parametrize(
    "data, filename, message",
    REFUSALS,
    ids=["svg", "gif", "pdf", "text", "bomb", "damaged", "animated", "empty"],
)
def test_refused_logo_is_a_field_error_and_changes_nothing(app, login_as, data, filename, message):
    client = login_as("bugs")
    with app.app_context():
        sponsor = db.session.scalar(_first(Sponsor))
        sponsor_id, name = sponsor.id, sponsor.name
    url = f"/manage/bugs-2023/sponsors/{sponsor_id}"
    before = _state(app)
    response = _upload(client, url, "logo", data, filename, name="Renamed meanwhile")
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    assert message in soup.select_one("#field-logo .errors").text
    assert soup.select_one("#logo")["aria-invalid"] == "true"
    assert "Please correct the fields marked below" in response.text
    assert _state(app) == before  # no image record, no file, no history entry
    assert _one(app, select(Sponsor.name).where(Sponsor.id == sponsor_id)) == name


def test_oversize_photo_is_a_field_error(app, login_as):
    app.config["MAX_IMAGE_BYTES"] = 200 * KB  # the request limit stays larger
    client = login_as("bugs")
    role_id, person_id, _name = _speaker(app)
    before = _state(app)
    response = _upload(client, f"/manage/bugs-2023/people/{role_id}", "photo", files.phone_photo())
    assert response.status_code == 422
    error = BeautifulSoup(response.text, "html.parser").select_one("#field-photo .errors").text
    assert "larger than 200 KB" in error
    assert _state(app) == before
    assert _one(app, select(Role.photo_id).where(Role.id == role_id)) is None


def test_request_over_the_upload_limit_gets_a_clear_413(app, login_as):
    app.config.update(MAX_IMAGE_BYTES=200 * KB, MAX_CONTENT_LENGTH=300 * KB)
    client = login_as("bugs")
    role_id, person_id, _name = _speaker(app)
    before = _state(app)
    response = _upload(client, f"/manage/bugs-2023/people/{role_id}", "photo", files.phone_photo())
    assert response.status_code == 413
    assert "The upload is too large: images may be at most 200 KB" in response.text
    assert _state(app) == before
    assert _one(app, select(Role.photo_id).where(Role.id == role_id)) is None


def test_valid_upload_beside_an_invalid_field_is_not_stored(app, login_as):
    client = login_as("bugs")
    sponsor_id = _one(app, _first(Sponsor).with_only_columns(Sponsor.id))
    before = _state(app)
    response = _upload(
        client,
        f"/manage/bugs-2023/sponsors/{sponsor_id}",
        "logo",
        files.logo_png(),
        "logo.png",
        name="",
    )
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select_one("#field-name .errors")
    assert "choose it again" in soup.select_one("#field-logo .errors").text
    assert _state(app) == before


def test_remove_checkbox_clears_the_photo(app, login_as):
    client = login_as("bugs")
    role_id, person_id, name = _speaker(app)
    url = f"/manage/bugs-2023/people/{role_id}"
    assert _upload(client, url, "photo", files.webp_photo()).status_code == 303
    photo_id = _one(app, select(Role.photo_id).where(Role.id == role_id))
    assert photo_id is not None
    # no file chosen (a browser sends an empty part): the photo stays
    form = {**get_form(client, url), "position": "Chair", "photo": (io.BytesIO(b""), "")}
    assert post_multipart(client, url, form).status_code == 303
    assert _one(app, select(Role.photo_id).where(Role.id == role_id)) == photo_id

    # a new file and "Remove" together is a question, not an answer
    before = _state(app)
    response = _upload(client, url, "photo", files.logo_png(), **{"photo-remove": "y"})
    assert response.status_code == 422
    assert (
        "not both"
        in BeautifulSoup(response.text, "html.parser").select_one("#field-photo .errors").text
    )
    assert _state(app) == before

    response = _upload(client, url, "photo", None, **{"photo-remove": "y"})
    assert response.status_code == 303
    assert _one(app, select(Role.photo_id).where(Role.id == role_id)) is None
    assert _card_photo(client.get("/bugs-2023/speakers").text, name) is None
    change = _one(
        app,
        select(Change)
        .where(Change.entity == "role", Change.entity_id == role_id)
        .order_by(Change.id.desc()),
    )
    assert change.before["photo_id"] == photo_id and change.after["photo_id"] is None
    with app.app_context():
        assert db.session.get(Image, photo_id) is not None  # kept: history can bring it back


def test_restoring_an_earlier_version_brings_the_earlier_photo_back(app, login_as):
    client = login_as("bugs")
    role_id, person_id, name = _speaker(app)
    url = f"/manage/bugs-2023/people/{role_id}"
    assert _upload(client, url, "photo", files.webp_photo()).status_code == 303
    first = _srcset(_card_photo(client.get("/bugs-2023/speakers").text, name))
    assert _upload(client, url, "photo", files.phone_photo()).status_code == 303
    second = _srcset(_card_photo(client.get("/bugs-2023/speakers").text, name))
    assert first != second

    with app.app_context():
        changes = db.session.scalars(
            select(Change)
            .where(Change.entity == "role", Change.entity_id == role_id)
            .order_by(Change.id)
        ).all()
        assert [c.action for c in changes] == ["update", "update"]
        last_id = changes[-1].id
    # the role's history lists its photo changes, with the photos
    history = BeautifulSoup(client.get(f"{url}/history").text, "html.parser")
    diff = history.select_one(f"#change-{last_id} .diff")
    assert diff is not None and {i["src"] for i in diff.select("img")} == {
        first["1x"],
        second["1x"],
    }
    token = csrf_token(client, "/manage/")
    response = client.post(
        f"/manage/bugs-2023/history/{last_id}/restore", data={"csrf_token": token}
    )
    assert response.status_code == 303
    assert _srcset(_card_photo(client.get("/bugs-2023/speakers").text, name)) == first
    restored = _one(app, select(Change).order_by(Change.id.desc()))
    assert restored.action == "restore" and restored.entity == "role"


def test_stale_form_with_an_upload_is_refused_and_nothing_is_stored(app, login_as):
    first = login_as("bugs")
    second = login_as("admin", on=app.test_client())
    sponsor_id = _one(app, _first(Sponsor).with_only_columns(Sponsor.id))
    url = f"/manage/bugs-2023/sponsors/{sponsor_id}"
    mine, theirs = get_form(first, url), get_form(second, url)
    assert first.post(url, data={**mine, "name": "Saved first"}).status_code == 303
    before = _state(app)
    theirs["logo"] = (io.BytesIO(files.logo_png()), "logo.png")
    response = post_multipart(second, url, theirs)
    assert response.status_code == 409
    assert "Someone else saved a newer version" in response.text
    assert (
        "choose it again"
        in BeautifulSoup(response.text, "html.parser").select_one("#field-logo .errors").text
    )
    assert _state(app) == before
    kept = form_fields(response.text)
    kept["logo"] = (io.BytesIO(files.logo_png()), "logo.png")  # chosen again, knowingly
    assert post_multipart(second, url, kept).status_code == 303
    assert _one(app, select(Sponsor.logo_id).where(Sponsor.id == sponsor_id)) is not None


def test_photo_of_a_role_changed_meanwhile_is_refused(app, login_as):
    first = login_as("bugs")
    second = login_as("admin", on=app.test_client())
    role_id, person_id, name = _speaker(app)
    url = f"/manage/bugs-2023/people/{role_id}"
    theirs = get_form(second, url)
    assert _upload(first, url, "photo", files.webp_photo()).status_code == 303
    photo_id = _one(app, select(Role.photo_id).where(Role.id == role_id))
    theirs["photo"] = (io.BytesIO(files.logo_png()), "other.png")
    response = post_multipart(second, url, theirs)
    assert response.status_code == 409
    assert "Someone else saved this since you opened it" in response.text
    assert _one(app, select(Role.photo_id).where(Role.id == role_id)) == photo_id


def test_inline_validation_ignores_file_fields(app, login_as):
    client = login_as("bugs")
    sponsor_id = _one(app, _first(Sponsor).with_only_columns(Sponsor.id))
    validate = f"/manage/bugs-2023/sponsors/{sponsor_id}/validate"
    data = get_form(client, f"/manage/bugs-2023/sponsors/{sponsor_id}")
    before = _state(app)
    for field, upload in [
        ("logo", files.logo_png()),
        ("logo", files.svg()),
        ("name", files.truncated_jpeg()),
        ("url", b"\x00" * 64),
    ]:
        response = post_multipart(
            client,
            validate,
            {**data, "_field": field, "url": "nope", "logo": (io.BytesIO(upload), "x.png")},
            headers={"HX-Request": "true"},
        )
        if field == "logo":
            assert response.status_code == 204
        else:
            assert response.status_code == 200 and f'id="field-{field}"' in response.text
    # a file sent as plain text (an urlencoded htmx request) is no upload either
    response = client.post(validate, data={**data, "_field": "url", "logo": "C:\\fakepath\\a.png"})
    assert response.status_code == 200
    assert _state(app) == before
