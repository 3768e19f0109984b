"""Fixtures: the app on SQLite, and on PostgreSQL too when WSAPP_TEST_DATABASE_URL is set.

The schema and the demo content are created once per backend; each test runs inside a
transaction that is rolled back afterwards (every commit in the app becomes a SAVEPOINT), so
tests are isolated and fast. Tests that need really committed data across processes build their
own database with `fresh_app`.
"""

import os
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from sqlalchemy import MetaData, create_engine, event, text

from wsapp import create_app
from wsapp.cli import DEMO_FILE
from wsapp.extensions import db
from wsapp.services.content_io import load_site

PG_URL = os.environ.get("WSAPP_TEST_DATABASE_URL")
FIXTURES = Path(__file__).parent / "fixtures"


def _backends():
    params = [pytest.param("sqlite", id="sqlite")]
    if PG_URL:
        params.append(pytest.param(PG_URL, id="postgresql"))
    elif os.environ.get("WSAPP_REQUIRE_POSTGRES"):
        raise RuntimeError("WSAPP_REQUIRE_POSTGRES is set but WSAPP_TEST_DATABASE_URL is not")
    else:
        params.append(
            pytest.param(
                None,
                id="postgresql",
                marks=pytest.mark.skip(reason="WSAPP_TEST_DATABASE_URL not set"),
            )
        )
    return params


def test_config(database_url: str, **extra) -> dict:
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret",
        "SERVER_NAME": "wsapp.test",
        **extra,
    }


def drop_everything(engine) -> None:
    """Empty the database, whatever an earlier (perhaps interrupted) run left in it."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        return
    with engine.begin() as conn:
        existing = MetaData()
        existing.reflect(conn)
        existing.drop_all(conn)


def load_demo() -> None:
    load_site(yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8")))
    db.session.commit()


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """The .mo catalogs (not in git): compiled here when `make` has not done it, or is older."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    folder = Path(__file__).resolve().parent.parent / "wsapp" / "translations"
    for po in folder.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalog = read_po(source)
            with mo.open("wb") as target:
                write_mo(target, catalog)


@pytest.fixture(scope="session", params=_backends())
def database_url(request, tmp_path_factory):
    """A database with the schema and the demo content, shared by the tests of one backend."""
    url = request.param
    if url == "sqlite":
        url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")
    app = create_app(test_config(url))
    with app.app_context():
        drop_everything(db.engine)
        db.create_all()
        load_demo()
        db.session.remove()
    yield url
    with app.app_context():
        drop_everything(db.engine)
        db.engine.dispose()


@pytest.fixture
def app(database_url, tmp_path):
    """The app, its database work wrapped in a transaction that is rolled back after the test."""
    app = create_app(test_config(database_url, MEDIA_DIR=str(tmp_path / "media")))
    with app.app_context():
        engine = db.engine
    connection = engine.connect()
    outer = connection.begin()
    engines = db._app_engines[app]
    engines[None] = connection
    db.session.session_factory.configure(join_transaction_mode="create_savepoint")
    yield app
    with app.app_context():
        db.session.remove()
    outer.rollback()
    connection.close()
    engines[None] = engine
    engine.dispose()


@pytest.fixture
def make_app(database_url, tmp_path):
    """Another app on the shared test database with extra config; its engine is disposed after."""
    apps = []

    def factory(**config):
        config.setdefault("MEDIA_DIR", str(tmp_path / "media"))
        app = create_app(test_config(database_url, **config))
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def redis_url():
    """A Redis database for tests (flushed before and after), or a skip with the reason."""
    url = os.environ.get("WSAPP_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=0.5)
        client.ping()
    except redis.RedisError:
        if os.environ.get("WSAPP_REQUIRE_REDIS"):
            raise RuntimeError(f"WSAPP_REQUIRE_REDIS is set but Redis at {url} is unreachable")
        pytest.skip(f"no Redis at {url} (set WSAPP_TEST_REDIS_URL)")
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def fresh_app(database_url, tmp_path):
    """An app on an empty, really committed database of the same backend (not rolled back)."""
    apps = []

    def factory(**config):
        url = database_url
        if url.startswith("sqlite"):
            url = "sqlite:///" + str(tmp_path / f"fresh{len(apps)}.db")
        else:
            url = _scratch_postgres_database(url)
        config.setdefault("MEDIA_DIR", str(tmp_path / f"media{len(apps)}"))
        app = create_app(test_config(url, **config))
        with app.app_context():
            drop_everything(db.engine)
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.session.remove()
            drop_everything(db.engine)
            db.engine.dispose()


def _scratch_postgres_database(url: str) -> str:
    """A second PostgreSQL database beside the test one, created on first use."""
    name = url.rsplit("/", 1)[1] + "_scratch"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.rsplit("/", 1)[0] + "/" + name


class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """`with count_queries() as counter:` counts the SQL statements run inside the block."""

    @contextmanager
    def counting():
        counter = QueryCounter()
        with app.app_context():
            engine = db.engines[None].engine
        event.listen(engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", counter)

    return counting


# Browser tests: a real server in a thread and Debian's Chromium driven by Playwright.

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


class LiveServer:
    """The app served by werkzeug in a background thread on a free port."""

    def __init__(self, app):
        import threading

        from werkzeug.serving import make_server

        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture
def live_server(fresh_app):
    """A served app on a committed database with the demo content."""
    app = fresh_app(SERVER_NAME=None)
    with app.app_context():
        db.create_all()
        load_demo()
        db.session.remove()
    server = LiveServer(app)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("WSAPP_REQUIRE_BROWSER"):
            raise RuntimeError(f"WSAPP_REQUIRE_BROWSER is set but {CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser context and page; console errors fail the test."""
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.console_errors = errors
    yield page
    context.close()
    assert not errors, f"browser console errors: {errors}"


# Accounts: users for the organizer area and a logged-in client.

ORGANIZERS = {
    "admin": {"email": "admin@example.org", "admin": True},
    "bugs": {"email": "bugs@example.org", "workshops": ["bugs-2023"]},
    "synthetic": {"email": "synthetic@example.org", "workshops": ["synthetic-2024"]},
}


@pytest.fixture
def users(app):
    """An admin and one organizer per demo workshop: {"admin": id, "bugs": id, "synthetic": id}."""
    from accounts import make_user

    with app.app_context():
        return {name: make_user(**spec) for name, spec in ORGANIZERS.items()}


@pytest.fixture
def login_as(app, client, users):
    """`login_as("bugs")` logs the test client in as that user and returns the client."""
    from accounts import login

    def log_in(name: str, on=None):
        target = on or client
        response = login(target, ORGANIZERS[name]["email"])
        assert response.status_code == 303, response.text
        return target

    return log_in
