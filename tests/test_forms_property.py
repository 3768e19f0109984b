"""Random and hostile input to every organizer form: never a 500; refused input changes nothing."""

import io
import os

import imagefiles as files
import pytest
from bs4 import BeautifulSoup
from formdata import form_fields
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pages import WORKSHOP_PAGES
from PIL import Image as PILImage
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from wsapp.blueprints.manage.kinds import KINDS
from wsapp.extensions import db
from wsapp.models import Change, Image, Person, Workshop

HOSTILE = [
    "",
    " ",
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "' OR 1=1 --",
    "\x00",
    "a\x00b",
    "9" * 40,
    "-1",
    "0",
    "2147483648",
    "1e309",
    "NaN",
    "2024-03-10T02:30",
    "2024-11-03T01:30",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "2023-02-30",
    "💥" * 300,
    "x" * 6000,
    "{{ 7*7 }}",
    "../../etc/passwd",
    "https://",
    "http://a.b/" + "c" * 600,
    "  Topic\n    deeper\n\tTab",
    "Mars/Olympus",
    "Etc/GMT+12",
    "UTC",
    "y",
    "on",
    "oral",
    "speaker",
    "invited_talk",
    "\r\n\r\n",
    "\u202e\u200b",
    "a" * 201,
]
VALUES = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=300))


def jpeg_declaring(width: int, height: int) -> bytes:
    """A small JPEG whose frame header claims width x height pixels."""
    data = bytearray(files.encoded(PILImage.new("RGB", (16, 16), "red"), "JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = height.to_bytes(2, "big") + width.to_bytes(2, "big")
    return bytes(data)


# Uploads for the file fields: hostile files, random bytes, and a few that are fine.
HOSTILE_FILES = [
    b"",
    files.svg(),
    files.gif(),
    files.animated_webp(),
    files.truncated_png(),
    files.png_declaring(100_000, 100_000),
    files.png_declaring(2**32 - 1, 2**32 - 1),
    files.png_declaring(1, 0),
    jpeg_declaring(65535, 65535),
    jpeg_declaring(0, 0),
    b"\x89PNG\r\n\x1a\n" + b"\xff" * 64,
    b"\xff\xd8\xff" + b"\x00" * 64,
    b"RIFF\xff\xff\xff\xffWEBPVP8X" + b"\xff" * 32,
    files.encoded(PILImage.new("RGB", (3, 500), "blue"), "PNG"),
    files.encoded(PILImage.new("LA", (40, 20)), "PNG"),
    files.encoded(PILImage.new("RGB", (64, 48), "green"), "WEBP"),
]
FILENAMES = st.one_of(
    st.sampled_from(
        [
            "photo.jpg",
            "logo.svg",
            "../../etc/passwd",
            "a\x00b.png",
            "💥" * 80,
            "x" * 600,
            "C:\\fakepath\\a.png",
        ]
    ),
    st.text(min_size=1, max_size=40),
)
UPLOADS = st.tuples(st.one_of(st.sampled_from(HOSTILE_FILES), st.binary(max_size=2048)), FILENAMES)
SETTINGS = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Examples per form: PostgreSQL is the stricter store (NUL characters, 32-bit integers) and the
# production one; SQLite gets fewer.
EXAMPLES = {"postgresql": 16, "sqlite": 8}


def _first_id(app, kind) -> int:
    with app.app_context():
        return db.session.scalar(
            select(kind.model.id)
            .join(Workshop, kind.model.workshop_id == Workshop.id)
            .where(Workshop.slug == "bugs-2023")
            .order_by(kind.model.id)
        )


def _state(app) -> tuple:
    """Row counts of everything the forms touch, and of the change log."""
    with app.app_context():
        counts = [
            db.session.scalar(select(func.count()).select_from(k.model)) for k in KINDS.values()
        ]
        media = app.config["MEDIA_DIR"]
        return (
            *counts,
            db.session.scalar(select(func.count(Change.id))),
            db.session.scalar(select(func.count(Person.id))),
            db.session.scalar(select(func.count(Image.id))),
            len(os.listdir(media)) if os.path.isdir(media) else 0,
        )


def _post(client, url: str, data: dict, uploads: dict):
    """POST the fields and, as files, the uploads (multipart when there are any)."""
    sent = {
        **data,
        **{name: (io.BytesIO(content), filename) for name, (content, filename) in uploads.items()},
    }
    response = client.post(url, data=sent)
    response.request.environ["wsgi.input"].close()  # a spooled multipart body
    return response


def _form_urls(app) -> list[tuple[str, str, str]]:
    """(id, form page, validate endpoint) for every form of the organizer area."""
    urls = [
        ("settings", "/manage/bugs-2023/settings", "/manage/bugs-2023/settings/validate"),
        ("cfp", "/manage/bugs-2023/cfp", "/manage/bugs-2023/cfp/validate"),
        ("new-workshop", "/manage/new", None),
    ]
    for key in KINDS:
        base = f"/manage/bugs-2023/{key}"
        urls.append((f"{key}-new", f"{base}/new", f"{base}/validate"))
        urls.append((f"{key}-edit", f"{base}/{{id}}", f"{base}/{{id}}/validate"))
    return urls


FORMS = [u[0] for u in _form_urls(None)]


@pytest.mark.parametrize("form_id", FORMS)
def test_random_input_never_breaks_a_form(app, login_as, database_url, form_id):
    client = login_as("admin")
    _, page_url, validate_url = next(u for u in _form_urls(app) if u[0] == form_id)
    if "{id}" in page_url:
        item_id = _first_id(app, KINDS[form_id.removesuffix("-edit")])
        page_url, validate_url = page_url.format(id=item_id), validate_url.format(id=item_id)
    # Renaming the workshop (the admin's slug field) would move the page away from the test.
    page = client.get(page_url).text
    names = [
        n
        for n in form_fields(page)
        if n not in {"csrf_token", "version", "person_version"}
        and not (form_id == "settings" and n == "slug")
    ]
    file_names = [
        i["name"]
        for i in BeautifulSoup(page, "html.parser").select("form.edit-form input[type=file]")
    ]
    names += [f"{n}-remove" for n in file_names]  # the "Remove" box, shown once there is one
    uploads = st.dictionaries(st.sampled_from(file_names), UPLOADS) if file_names else st.just({})

    @settings(SETTINGS, max_examples=EXAMPLES[make_url(database_url).get_backend_name()])
    @given(
        changes=st.dictionaries(st.sampled_from(names), VALUES, min_size=1),
        field=st.sampled_from(names),
        uploads=uploads,
    )
    def check(changes, field, uploads):
        data = {**form_fields(client.get(page_url).text), **changes}
        before = _state(app)
        response = _post(client, page_url, data, uploads)
        assert response.status_code in (303, 422), response.status_code
        if response.status_code == 422:
            assert 'class="errors"' in response.text or "form-error" in response.text
            assert _state(app) == before
        else:  # accepted: the organizer and public pages still render
            assert client.get(response.headers["Location"]).status_code == 200
            for public in WORKSHOP_PAGES:
                assert client.get(public).status_code in (200, 404)  # 404: unpublished
        if validate_url:
            check_field = _post(client, validate_url, {**data, "_field": field}, uploads)
            assert check_field.status_code in (200, 204)

    if file_names:
        # Every file field gets a file in at least one run, whatever the random draw: a few
        # random examples may all come without uploads (an empty dictionary is a likely draw).
        fine = files.encoded(PILImage.new("RGB", (64, 48), "green"), "WEBP")
        every_file = {name: (fine, "photo.webp") for name in file_names}
        check = example(changes={names[0]: "x"}, field=names[0], uploads=every_file)(check)
    check()
