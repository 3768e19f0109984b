"""Fixtures: the app on SQLite, and on PostgreSQL too when WSAPP_TEST_DATABASE_URL is set.

The schema and the demo content are created once per backend; each test runs inside a
transaction that is rolled back afterwards (every commit in the app becomes a SAVEPOINT), so
tests are isolated and fast. Tests that need really committed data across processes build their
own database with `fresh_app`. Browser tests are served from a copy of a demo SQLite file
(`live_server`): what a browser shows does not depend on the backend, so they run once.

`make test` runs the suite in two processes (pytest-xdist, whole files to each): each has its
own PostgreSQL database beside the one named (`test_gw0`, `test_gw1`) and its own Redis number.
"""

import os
import shutil
import threading
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from flask import Flask
from sqlalchemy import MetaData, create_engine, event, func, make_url, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool
from url_rules import CachedBuilderRule

from wsapp import create_app
from wsapp.extensions import db
from wsapp.services.content import demo

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # gw0, gw1, ... under `pytest -n`

# Each test's app compiles its URL builders once per process, not once per app (url_rules.py).
Flask.url_rule_class = CachedBuilderRule


def _worker_database(url: str | None) -> str | None:
    """This worker's own database beside `url` (created on first use), or `url` itself."""
    if not url or not WORKER:
        return url
    name = f"{make_url(url).database}_{WORKER}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with engine.connect() as conn:
            if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError:
        return url  # unreachable: the tests that need it say so
    finally:
        engine.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def _worker_redis(url: str) -> str:
    """This worker's own Redis database number: the one named, plus the worker's index."""
    if not WORKER:
        return url
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0) + int(WORKER.removeprefix("gw"))
    return urlunsplit(parts._replace(path=f"/{number % 16}"))


PG_URL = _worker_database(os.environ.get("WSAPP_TEST_DATABASE_URL"))
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


# The files that take longest (--durations on PostgreSQL), handed out first. Under `--dist
# loadfile` xdist gives each worker whole files, by default those with the most tests first:
# the long files with few tests (the release build, the quality gates) came last, with the
# other worker idle. Only the order changes; a file not named here runs after these.
SLOWEST_FIRST = (
    "test_deploy.py",
    "browser/test_quality_gates.py",
    "test_forms_property.py",
    "test_jekyll_corpus.py",
    "test_manage_editing.py",
    "test_freeze.py",
    "test_multiserver.py",
    "test_fuzz_routes.py",
)
TESTS = Path(__file__).resolve().parent


def pytest_configure(config):
    if hasattr(config.option, "loadscopereorder"):  # pytest-xdist: keep the order made below
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(items):
    """SLOWEST_FIRST's files first, then the others by number of tests (xdist's own order).

    The sort is stable and its key is the file's: within a file the order stays pytest's.
    """
    counts = Counter(item.path for item in items)

    def rank(item):
        name = item.path.relative_to(TESTS).as_posix()
        first = SLOWEST_FIRST.index(name) if name in SLOWEST_FIRST else len(SLOWEST_FIRST)
        return first, -counts[item.path], name

    items.sort(key=rank)


# For a test whose subject does not depend on the database (parsing a zone, validating frozen
# HTML): it runs once, on SQLite, instead of once per backend.
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


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


def reset_database(url: str) -> None:
    """Empty the database at `url`, first ending every other session on it (PostgreSQL).

    A session left by earlier work (a pooled connection, a server thread still answering, a
    server subprocess that is going away) can hold locks that DROP SCHEMA waits for, or wait for
    locks the drop already holds: PostgreSQL then aborts one of the two as a deadlock.
    """
    engine = create_engine(url, poolclass=NullPool)
    try:
        if engine.dialect.name == "postgresql":
            with engine.connect() as conn:
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity"
                        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                )
        drop_everything(engine)
    finally:
        engine.dispose()


def dispose(app) -> None:
    """Close the app's sessions and every pooled connection of its engine."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    app.extensions["wsapp_vote_express"].statement.dispose()
    watch = app.extensions.get("wsapp_version_watch")
    if watch is not None:
        watch.stop()
    getattr(app.extensions["wsapp_page_cache"], "stop", lambda: None)()


def end_connections(app, which: str) -> int:
    """End the database's other connections that match `which` (SQL on pg_stat_activity), as a
    restart of PostgreSQL ends them; returns how many."""
    with app.app_context():
        ended = db.session.scalar(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                f" WHERE datname = current_database() AND pid <> pg_backend_pid() AND {which}"
            )
        )
        db.session.commit()
    return ended


def load_demo() -> None:
    demo.load_demo()
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


def _row_counts(url: str) -> dict[str, int]:
    """Every table's number of rows: what a test that really committed would have changed."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return {
                table.name: conn.scalar(select(func.count()).select_from(table))
                for table in db.metadata.sorted_tables
            }
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def shared_databases(tmp_path_factory):
    """`shared_databases(param)`: that backend's test database, built on first use only.

    pytest ends a parametrized session fixture whenever the next test wants the other
    parameter, and under `--dist loadfile` that is twice a file (its SQLite tests, then its
    PostgreSQL ones): `database_url` takes the database from here instead of building it anew.
    Nothing may commit into it (tests run in a rolled-back transaction, see `app`): each time a
    backend comes back and at the end, its tables must still hold the rows they had when built.
    """
    built: dict[str, tuple[str, dict[str, int]]] = {}

    def unchanged(param: str) -> None:
        url, counts = built[param]
        now = _row_counts(url)
        changed = sorted(name for name in counts if now[name] != counts[name])
        assert not changed, f"a test committed rows into the shared {param} database: {changed}"

    def database(param: str) -> str:
        if param in built:
            unchanged(param)
            return built[param][0]
        url = param
        if url == "sqlite":
            url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")
        reset_database(url)
        app = create_app(test_config(url))
        with app.app_context():
            db.create_all()
            load_demo()
        dispose(app)
        built[param] = (url, _row_counts(url))
        return url

    yield database
    for param, (url, _counts) in built.items():
        try:
            unchanged(param)
        finally:
            reset_database(url)


@pytest.fixture(scope="session", params=_backends())
def database_url(request, shared_databases):
    """A database with the schema and the demo content, shared by the tests of one backend."""
    return shared_databases(request.param)


@pytest.fixture
def app(database_url, tmp_path):
    """The app, its database work wrapped in a transaction that is rolled back after the test.

    Mail is sent inside the commit (MAIL_BACKGROUND off): the worker thread would share this
    test's one connection. Tests on committed databases (fresh_app, live_server) send it from
    the worker, as production does.
    """
    app = create_app(
        test_config(database_url, MEDIA_DIR=str(tmp_path / "media"), MAIL_BACKGROUND=False)
    )
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
        dispose(app)


@pytest.fixture(scope="session")
def redis_server() -> str:
    """The URL of a Redis database for tests, or a skip with the reason."""
    url = _worker_redis(os.environ.get("WSAPP_TEST_REDIS_URL", "redis://127.0.0.1:6379/14"))
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=0.5)
        client.ping()
    except redis.RedisError:
        if os.environ.get("WSAPP_REQUIRE_REDIS"):
            raise RuntimeError(
                f"WSAPP_REQUIRE_REDIS is set but Redis at {url} is unreachable"
            ) from None
        pytest.skip(f"no Redis at {url} (set WSAPP_TEST_REDIS_URL)")
    finally:
        client.close()
    return url


@pytest.fixture
def redis_url(redis_server):
    """The test Redis database, flushed before and after the test."""
    import redis

    client = redis.Redis.from_url(redis_server, socket_connect_timeout=0.5)
    client.flushdb()
    yield redis_server
    client.flushdb()
    client.close()


@pytest.fixture(scope="session")
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free local port for the whole session."""
    from mailsink import MailSink

    sink = MailSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def smtp_sink(smtp_server):
    """The SMTP server, emptied before and after the test."""
    smtp_server.reset()
    yield smtp_server
    smtp_server.reset()


MAIL_FROM = "Workshops <noreply@wsapp.test>"


@pytest.fixture
def mail_on(app, smtp_sink):
    """The test app with mail going to the SMTP sink; returns the sink."""
    app.config.update(MAIL_URL=smtp_sink.url, MAIL_FROM=MAIL_FROM)
    return smtp_sink


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def fresh_app(database_url, tmp_path):
    """An app on an empty, really committed database of the same backend (not rolled back).

    On PostgreSQL every call empties one scratch database: the apps made before in the same
    test are disposed first, and any other session still on it is ended (see reset_database).
    """
    apps = []

    def factory(**config):
        url = database_url
        if url.startswith("sqlite"):
            url = "sqlite:///" + str(tmp_path / f"fresh{len(apps)}.db")
        else:
            url = _scratch_postgres_database(url)
            for earlier in apps:
                dispose(earlier)
            reset_database(url)
        config.setdefault("MEDIA_DIR", str(tmp_path / f"media{len(apps)}"))
        app = create_app(test_config(url, **config))
        apps.append(app)
        return app

    yield factory
    for app in apps:
        dispose(app)
    if apps and not database_url.startswith("sqlite"):
        reset_database(apps[-1].config["DATABASE_URL"])


def scratch_database(database_url: str) -> str:
    """The URL of an empty PostgreSQL database beside the test one (see reset_database)."""
    url = _scratch_postgres_database(database_url)
    reset_database(url)
    return url


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
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class LiveServer:
    """The app served by werkzeug in a background thread on a free port.

    stop() waits for the requests in progress (a page still loading or polling when its test
    ends) and answers any request that still arrives with a 503 without running the app: once
    a test is over, nothing it started touches its database or its engine.
    """

    def __init__(self, app):
        from werkzeug.serving import make_server

        self.app = app
        self._state = threading.Condition()
        self._busy = 0
        self._stopped = False
        self.server = make_server("127.0.0.1", 0, self._serve, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def _serve(self, environ, start_response):
        with self._state:
            if self._stopped:
                start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
                return [b"the test server has stopped\n"]
            self._busy += 1
        try:
            response = self.app(environ, start_response)
            try:
                return [b"".join(response)]  # the whole body, while the request counts as busy
            finally:
                if hasattr(response, "close"):
                    response.close()
        finally:
            with self._state:
                self._busy -= 1
                self._state.notify_all()

    def stop(self) -> None:
        with self._state:
            self._stopped = True
            idle = self._state.wait_for(lambda: self._busy == 0, timeout=30)
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
        if not idle:
            raise RuntimeError("the live server still had requests in progress after 30 s")


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory) -> Path:
    """A SQLite file with the schema and the demo content, built once; live servers copy it."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    app = create_app(test_config(f"sqlite:///{path}"))
    with app.app_context():
        db.create_all()
        load_demo()
    dispose(app)
    return path


@pytest.fixture
def live_server(demo_database, tmp_path):
    """The demo served from its own copy of a committed SQLite database.

    Browser tests check what a browser shows and does: that does not depend on the database
    backend (every server-side behaviour they reach is tested on both backends without a
    browser), so they run once.
    """
    path = tmp_path / "live.db"
    shutil.copyfile(demo_database, path)
    config = test_config(f"sqlite:///{path}", SERVER_NAME=None, MEDIA_DIR=str(tmp_path / "media"))
    app = create_app(config)
    server = LiveServer(app)
    yield server
    server.stop()
    dispose(app)


@pytest.fixture(scope="session")
def quality_site(tmp_path_factory):
    """The dressed-up demo of tests/quality.py, served in a thread; built once for the session.

    The quality gates and the page-weight tests only read it (a log-in session aside).
    """
    from quality import QualitySite

    site = QualitySite(tmp_path_factory.mktemp("quality"))
    yield site
    site.stop()


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
def new_context(browser):
    """`new_context(**options)`: a browser context that is closed after the test, pass or fail.

    Ask for it after `live_server`, so the pages are gone before the server stops.
    """
    contexts = []

    def factory(**options):
        context = browser.new_context(**options)
        contexts.append(context)
        return context

    yield factory
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """A fresh browser context and page; console errors fail the test."""
    page = new_context().new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.console_errors = errors
    yield page
    page.context.close()
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
