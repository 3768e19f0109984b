"""How the app is wired: the order of its response hooks and hooks installed once."""

from conftest import SQLITE_ONLY
from sqlalchemy import func, select

from wsapp import create_app
from wsapp.extensions import db
from wsapp.models import Change, Sponsor, Workshop


def _names(app) -> list[str]:
    """The response hooks in the order Flask runs them (last registered first)."""
    return [f"{f.__module__}.{f.__qualname__}" for f in reversed(app.after_request_funcs[None])]


def test_the_page_cache_stores_a_response_after_its_headers_and_cookies_are_set(app):
    order = _names(app)
    store = order.index("wsapp.caching._store")
    # Hooks that set cookies the cache key carries, or headers it keeps, run before it stores...
    for earlier in (
        "wsapp.timezones.display._remember",
        "wsapp.i18n._remember",
        "wsapp.security._headers",
        "wsapp.observability._finish",
    ):
        assert order.index(earlier) < store, order
    # ...and compression after it: a stored entry is compressed once, by the cache itself.
    assert order.index("flask_compress.flask_compress.Compress.after_request") > store, order
    assert order[-1] == "flask_compress.flask_compress.Compress.after_request"


def test_a_change_is_logged_once_however_many_apps_were_made(app, tmp_path):
    for n in range(3):
        create_app(
            {"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path}/{n}"}
        )
    with app.test_request_context():
        sponsor = db.session.scalars(select(Sponsor).order_by(Sponsor.id)).first()
        before = db.session.scalar(select(func.count(Change.id)))
        sponsor.name = "Renamed once"
        db.session.flush()
        assert db.session.scalar(select(func.count(Change.id))) == before + 1
        versions = db.session.scalar(
            select(Workshop.content_version).where(Workshop.id == sponsor.workshop_id)
        )
        sponsor.name = "Renamed twice"
        db.session.flush()
        after = db.session.scalar(
            select(Workshop.content_version).where(Workshop.id == sponsor.workshop_id)
        )
        assert after == versions + 1  # one bump per flush, not one per app


@SQLITE_ONLY
def test_url_builders_are_compiled_once_and_are_werkzeug_own(app, tmp_path):
    """The tests' apps share URL builders (tests/url_rules.py): each is the code werkzeug
    compiles for that very rule, and a second app reuses the first one's functions."""
    from url_rules import CachedBuilderRule
    from werkzeug.routing import Rule

    other = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path}/o"}
    )
    theirs = {(r.rule, r.endpoint, tuple(sorted(r.methods))): r for r in other.url_map.iter_rules()}
    rules = list(app.url_map.iter_rules())
    assert len(rules) > 100
    for rule in rules:
        assert type(rule) is CachedBuilderRule
        twin = theirs[(rule.rule, rule.endpoint, tuple(sorted(rule.methods)))]
        for built, twin_built, unknown in (
            (rule._build, twin._build, False),
            (rule._build_unknown, twin._build_unknown, True),
        ):
            assert built.__self__ is rule and twin_built.__self__ is twin
            assert built.__func__ is twin_built.__func__, rule.rule
            assert built.__func__.__code__ == Rule._compile_builder(rule, unknown).__code__, rule
    with app.test_request_context():
        from flask import url_for

        assert url_for("home.index", slug="bugs-2023", x="1 2") == "/bugs-2023/?x=1+2"
