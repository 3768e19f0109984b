"""Each request issue 14 found answering 500 answers 4xx (or 200, ignoring the input), and the
error pages render without the database, the session or a URL adapter, with the request id."""

import re

import pytest
from accounts import csrf_token
from sqlalchemy import func, select
from werkzeug.test import EnvironBuilder, run_wsgi_app

from wsapp.extensions import db
from wsapp.models import AwardCategory

PUBLIC = ["/", "/archive", "/bugs-2023/", "/bugs-2023/schedule", "/bugs-2023/speakers"]
REQUEST_ID = re.compile(r"<code>([0-9a-f]{32}|[A-Za-z0-9._-]{8,128})</code>")


def raw(app, path: str, **environ) -> tuple[int, dict, str]:
    """The answer to a request as a server hands it over: header values are latin-1 text of
    the bytes received (werkzeug's test client would encode them as UTF-8 first)."""
    builder = EnvironBuilder(path)
    try:
        env = builder.get_environ()
        env.update(environ)
        body, status, headers = run_wsgi_app(app, env, buffered=True)
    finally:
        builder.close()
    return int(status.split()[0]), dict(headers), b"".join(body).decode()


@pytest.mark.parametrize("path", PUBLIC)
def test_a_lang_cookie_that_is_not_utf8_is_ignored(app, path):
    for state in ("miss", "hit"):  # the page cache parses the cookie before Flask, then serves
        status, headers, body = raw(app, path, HTTP_COOKIE="lang=\xe9; tz=\xff\xfe")
        assert status == 200, (state, body[:300])
        assert headers["X-Cache"] == state and headers["X-Request-ID"]
        assert '<html lang="en"' in body


@pytest.mark.parametrize("path", ["/bugs-2023%00/", "/bugs-2023/news/%00", "/bugs-2023/vote/%00"])
def test_a_nul_byte_in_a_public_path_is_a_404(client, path):
    response = client.get(path)
    assert response.status_code == 404 and "Page not found" in response.text


def test_a_nul_byte_in_an_organizer_path_is_a_404(login_as):
    assert login_as("admin").get("/manage/%00/").status_code == 404


@pytest.mark.parametrize("query", ["tz=%00", "lang=a%00", "code=%00%00", "next=/%00"])
def test_a_nul_byte_in_the_query_string_is_a_400_that_says_so(client, query):
    response = client.get(f"/bugs-2023/schedule?{query}")
    assert response.status_code == 400 and "NUL character" in response.text


def test_a_nul_byte_in_a_voting_category_name_is_refused_in_the_form(app, login_as):
    client = login_as("bugs")
    token = csrf_token(client, "/manage/bugs-2023/voting/")
    with app.app_context():
        before = db.session.scalar(select(func.count(AwardCategory.id)))
    response = client.post(
        "/manage/bugs-2023/voting/categories",
        data={"csrf_token": token, "name": "Best\x00talk", "slug": "best-talk"},
    )
    assert response.status_code == 422 and "Remove the NUL character." in response.text
    with app.app_context():
        assert db.session.scalar(select(func.count(AwardCategory.id))) == before


@pytest.mark.parametrize(
    "path, status",
    [
        ("/manage/bugs-2023/people/2147483648", 404),
        ("/manage/bugs-2023/schedule/9223372036854775808/history", 404),
        ("/manage/bugs-2023/history?before=2147483648", 200),
        ("/manage/bugs-2023/history?before=-2147483649", 200),
        ("/manage/bugs-2023/voting/codes.csv?first=2147483648", 200),
        ("/manage/bugs-2023/voting/codes/cards?last=-2147483649", 200),
        ("/manage/bugs-2023/voting/?first=99999999999999999999", 200),
        ("/bugs-2023/schedule/2147483648.ics", 404),
    ],
)
def test_integers_beyond_32_bits_are_a_404_or_ignored(login_as, path, status):
    assert login_as("bugs").get(path).status_code == status


@pytest.mark.parametrize(
    "path",
    [
        "/manage/bugs-2023/history/2147483648/restore",
        "/manage/bugs-2023/voting/categories/2147483648/state",
        "/manage/bugs-2023/voting/categories/2147483648/window",
        "/manage/bugs-2023/people/2147483648/delete",
        "/manage/bugs-2023/access/members/2147483648/remove",
    ],
)
def test_posts_with_ids_beyond_32_bits_are_a_404(login_as, path):
    client = login_as("bugs")
    token = csrf_token(client, "/manage/bugs-2023/voting/")
    assert client.post(path, data={"csrf_token": token, "state": "open"}).status_code == 404


@pytest.mark.parametrize("value", [str(2**31), str(-(2**31) - 1), "9" * 30])
def test_every_form_refuses_an_integer_beyond_32_bits_in_the_field(app, value):
    """The shared rule of wsapp.forms.base.Form, here on the ballot's paper (no range of its
    own): refused before any validator could query the database with it."""
    from werkzeug.datastructures import MultiDict

    from wsapp.forms.voting import VoteForm

    with app.test_request_context("/", method="POST"):
        form = VoteForm(formdata=MultiDict({"paper": value}), meta={"csrf": False})
        assert not form.validate()
        assert form.paper.data is None
        assert form.paper.errors[-1] == "Give a whole number between -2147483648 and 2147483647."


@pytest.mark.parametrize(
    "host", ["a" * 64 + ".example.org", "xn--.example", "localhost:99999", "[::1", "a b"]
)
def test_a_host_header_no_url_can_be_built_from_is_a_400_with_the_request_id(app, host):
    status, headers, body = raw(app, "/bugs-2023/", HTTP_HOST=host)
    assert status == 400 and "not a valid host name" in body
    assert REQUEST_ID.search(body).group(1) == headers["X-Request-ID"]
    assert "Traceback" not in body


def _logged_in_cookie(app, login_as) -> str:
    client = login_as("bugs")
    return client.get_cookie("session", domain=app.config["SERVER_NAME"]).value


@pytest.fixture
def database_down(make_app, database_url, tmp_path):
    """An app like the others (same secret key) whose database cannot be reached."""
    if database_url.startswith("sqlite"):
        folder = tmp_path / "gone"
        folder.mkdir()
        url = f"sqlite:///{folder / 'x.db'}"
        app = make_app(DATABASE_URL=url)
        folder.rmdir()  # the file can no longer be created: "unable to open database file"
    else:
        app = make_app(DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:1/gone")
    return app


@pytest.mark.parametrize("path", ["/bugs-2023/", "/manage/", "/manage/bugs-2023/schedule/"])
def test_while_the_database_is_unreachable_a_logged_in_organizer_gets_a_503_page(
    app, login_as, database_down, path
):
    cookie = _logged_in_cookie(app, login_as)
    status, headers, body = raw(database_down, path, HTTP_COOKIE=f"session={cookie}")
    assert status == 503 and headers["Retry-After"] == "30"
    assert "cannot reach its database" in body
    assert REQUEST_ID.search(body).group(1) == headers["X-Request-ID"]


def test_while_the_database_is_unreachable_a_visitor_gets_a_503_page(database_down):
    for path in PUBLIC:
        status, headers, body = raw(database_down, path)
        assert status == 503 and headers["X-Request-ID"] in body, path


@pytest.mark.parametrize("path", ["/", "/bugs-2023/", "/archive"])
def test_before_db_upgrade_pages_say_the_site_is_being_set_up(fresh_app, path):
    status, headers, body = raw(fresh_app(), path)
    assert status == 503 and headers["Retry-After"] == "30"
    assert "being set up or upgraded" in body and "Traceback" not in body


def test_an_error_page_renders_when_the_session_fails(make_app):
    """A failing session store (here: every access raises) still gets the plain error page."""
    from flask.globals import request_ctx

    app = make_app()

    class Broken(dict):
        def __getitem__(self, key):
            raise RuntimeError("session store down")

        get = __contains__ = __getitem__

    @app.get("/broken-session")
    def broken():
        request_ctx.session = Broken()
        raise RuntimeError("boom")

    response = app.test_client().get("/broken-session", headers={"X-Request-ID": "req-12345678"})
    assert response.status_code == 500 and "Something went wrong" in response.text
    assert response.headers["X-Request-ID"] == "req-12345678"
    assert "<code>req-12345678</code>" in response.text and "boom" not in response.text


@pytest.mark.parametrize(
    "method, path, status",
    [("GET", "/nope/", 404), ("PUT", "/bugs-2023/", 405), ("POST", "/logout", 400)],
)
def test_every_error_page_carries_its_request_id(client, method, path, status):
    response = client.open(path, method=method, headers={"X-Request-ID": "abc12345-req"})
    assert response.status_code == status
    assert response.headers["X-Request-ID"] == "abc12345-req"
    assert "<code>abc12345-req</code>" in response.text
