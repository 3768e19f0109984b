"""Every route of the URL map under hostile input: never a 5xx, never a logged error.

A sweep first sends every rule each of its methods, so no route is left out by chance: each
path argument made hostile in turn (a NUL, ids beyond 32 bits), then real arguments (so the
view runs) with hostile query, cookies, headers and form fields, from an anonymous visitor, an
organizer and the site admin, with a malformed Host and with a method the rule does not take.
Then hypothesis draws requests over the whole URL map: path arguments with NUL bytes, huge and
negative integers and random text; query strings, some not even percent-decodable; cookies that
are not UTF-8; odd Host headers; long and malformed headers; random form fields and bodies,
with and without a valid CSRF token. Requests go to the WSGI app as a server hands them over
(header values are latin-1 text of the bytes received), as deployed: no SERVER_NAME.

A request fails the test when it answers 5xx or when the app logs a warning or an error while
answering it (an error page that had to fall back to the plain one, a page-cache failure).
The budget (EXAMPLES) keeps the suite well under its 10 minutes; the test prints how many
requests it sent, how long they took and what they answered.
"""

import importlib
import inspect
import logging
import pkgutil
import re
import time
import traceback
from urllib.parse import quote, urlencode

import pytest
from accounts import csrf_token, login
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.engine import make_url
from werkzeug.routing import IntegerConverter
from werkzeug.test import EnvironBuilder, run_wsgi_app
from wtforms.fields.core import UnboundField

import wsapp.forms
from wsapp.blueprints.manage.kinds import KINDS
from wsapp.extensions import db
from wsapp.models import AwardCategory, Change, NewsPost, User, Workshop

# Requests hypothesis draws per backend, on top of the sweep: PostgreSQL is the stricter store
# (NUL characters, 32-bit integers) and the production one.
EXAMPLES = {"postgresql": 700, "sqlite": 500}
METHODS = ["GET", "POST", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"]

HOSTILE_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "bugs-2023\x00",
    "%",
    "%00",
    "..",
    "../../etc/passwd",
    "-1",
    "0",
    "2147483647",
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    "9" * 40,
    "1e309",
    "NaN",
    "💥" * 50,
    "x" * 3000,
    "<script>alert(1)</script>",
    '"><svg/onload=alert(1)>',
    "' OR 1=1 --",
    "{{ 7*7 }}",
    "\r\nSet-Cookie: a=b",
    "\u202e\u200b",
    "Mars/Olympus",
    "Europe/Zurich",
    "venue",
    "zh",
    "fr-CA",
    "javascript:alert(1)",
    'http://localhost"><svg/onload=alert(1)>',
    "//evil.example",
]
BIG_INTS = [0, 1, 2, 3, 2**31 - 1, 2**31, 2**32, 2**63 - 1, 2**63, 2**64, 10**30]
TEXT = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=60),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
PARAMS = ["tz", "lang", "code", "next", "before", "first", "last", "v", "page", "_field", "x"]
# Hosts werkzeug cannot bind a URL adapter to, or cannot build a URL from.
BAD_HOSTS = ["a" * 64 + ".example.org", "xn--.example", "localhost:99999"]
HOSTS = [
    "wsapp.test",
    "a" * 64 + ".example.org",
    "a" * 300,
    "",
    "localhost:99999",
    "example.org:abc",
    "[::1]",
    "[::1",
    "é.example",
    "xn--.example",
    "a..b",
    ".",
    "ex ample.org",
    "127.0.0.1:0",
]
# Cookie headers as a server hands them over: bytes decoded as latin-1 (not UTF-8).
COOKIES = st.one_of(
    st.sampled_from(
        [
            "lang=\xe9",
            "tz=\xff\xfe",
            "lang=%00; tz=%00",
            "lang=zh; tz=Mars/Olympus",
            "session=\xe9\xe9",
            "session=eyJfdXNlcl9pZCI6IjEifQ.bad.signature",
            "remember_token=1|" + "f" * 128,
            "ballot=" + "x" * 4000,
            "tz=" + "Europe/Zurich" * 300,
            '=; ;;; lang="\\\\\\"',
        ]
    ),
    st.text(st.characters(min_codepoint=0, max_codepoint=255), max_size=80),
)
HEADER_NAMES = [
    "User-Agent",
    "Accept-Language",
    "Accept-Encoding",
    "X-Request-ID",
    "HX-Request",
    "HX-Target",
    "HX-Boosted",
    "HX-History-Restore-Request",
    "HX-Current-URL",
    "If-None-Match",
    "If-Modified-Since",
    "Range",
    "Referer",
    "X-CSRFToken",
    "X-Forwarded-For",
    "X-Forwarded-Host",
]
HEADER_VALUES = st.one_of(
    st.sampled_from(["true", "*", "zh-Hans;q=0.9, *;q=0.1", "br;q=2, gzip;q=-1", "bytes=0-"]),
    st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=100),
    st.sampled_from(["x" * 8000, ", ".join(["fr;q=0.5"] * 800), "W/" * 2000]),
)
CONTENT_TYPES = [
    None,
    "application/x-www-form-urlencoded",
    "multipart/form-data",  # no boundary
    "multipart/form-data; boundary=zzz",
    "application/json",
    "text/plain; charset=\xe9",
]


def _field_names() -> list[str]:
    """The names of every field of every form of the app, plus those views read themselves."""
    names = {"csrf_token", "_field", "direction", "x"}
    for info in pkgutil.iter_modules(wsapp.forms.__path__):
        module = importlib.import_module(f"wsapp.forms.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, FlaskForm):
                names |= {n for n in dir(cls) if isinstance(getattr(cls, n), UnboundField)}
    return sorted(names)


class Fuzzer:
    """Builds and sends one request from drawn parts; counts what it sent."""

    def __init__(self, app, sessions: dict, tokens: dict):
        self.app, self.sessions, self.tokens = app, sessions, tokens
        self.sent = 0
        self.statuses: dict[int, int] = {}
        with app.app_context():
            self.real = {
                "slug": list(db.session.scalars(select(Workshop.slug))),
                "category": list(db.session.scalars(select(AwardCategory.slug).distinct())),
                "post": list(db.session.scalars(select(NewsPost.slug))),
            }
            workshop = db.session.scalar(select(Workshop).where(Workshop.slug == "bugs-2023"))
            self.first = {
                key: db.session.scalar(
                    select(kind.model.id).where(kind.model.workshop_id == workshop.id).limit(1)
                )
                for key, kind in KINDS.items()
            }
            self.first["category_id"] = db.session.scalar(
                select(AwardCategory.id).where(AwardCategory.workshop_id == workshop.id).limit(1)
            )
            self.first["member_id"] = db.session.scalar(select(User.id).limit(1))
            # ids that exist, so requests get past the 404 into the views
            models = [k.model for k in KINDS.values()] + [AwardCategory, Change, User]
            self.ids = sorted(
                {i for model in models for i in db.session.scalars(select(model.id).limit(8))}
            )

    def real_values(self, rule) -> dict:
        """Path arguments that exist in the demo (bugs-2023), so the view itself runs."""
        values = {"slug": "bugs-2023", "filename": "css/site.css", "name": "0" * 64 + ".webp"}
        values["category"] = self.real["category"][0] if self.real["category"] else "best-oral"
        values["post"] = self.real["post"][0] if self.real["post"] else "x"
        segments = rule.rule.split("/")
        for name in rule._converters:
            if name == "item_id" and "<int:item_id>" in segments:
                kind = segments[segments.index("<int:item_id>") - 1]
                values[name] = self.first.get(kind) or 1
            elif name == "item_id":  # /<slug>/schedule/<item_id>.ics
                values[name] = self.first["schedule"] or 1
            elif name in self.first:
                values[name] = self.first[name] or 1
            elif name not in values:
                values[name] = 1 if name.endswith("_id") else "x"
        return values

    def path(self, rule, values: dict) -> str:
        def replace(match):
            name = match.group(2)
            value = values.get(name, "x")
            return quote(str(value), safe="")

        return re.sub(r"<(?:([a-z]+)(?:\([^)]*\))?:)?([a-z_]+)>", replace, rule.rule)

    def send(self, who: str, method: str, path: str, query, headers, cookie, body, content_type):
        """The status code of the app's answer to the request, sent as a WSGI server would.

        Werkzeug's test client is bypassed: its cookie jar replaces the Cookie header, and it
        cannot build a URL from a malformed Host header to match cookies against.
        """
        jar = [f"session={self.sessions[who]}"] if self.sessions.get(who) else []
        jar += [cookie] if cookie is not None else []
        url = path
        if query:
            url += "?" + (query if isinstance(query, str) else urlencode(query))
        host = headers.pop("Host", None)
        options = {"method": method, "headers": headers}
        if body is not None and method not in ("GET", "HEAD"):
            options["data"] = body
            if content_type:
                options["content_type"] = content_type
        builder = EnvironBuilder(url, **options)
        try:
            environ = builder.get_environ()
            if jar:
                environ["HTTP_COOKIE"] = "; ".join(jar)
            if host is not None:
                environ["HTTP_HOST"] = host
            # buffered: the whole body is read and the app's iterable closed
            _body, status, _headers = run_wsgi_app(self.app, environ, buffered=True)
        finally:
            builder.close()
        code = int(status.split(None, 1)[0])
        self.sent += 1
        self.statuses[code] = self.statuses.get(code, 0) + 1
        return code


@st.composite
def requests(draw, fuzzer: Fuzzer, rules, field_names):
    rule = draw(st.sampled_from(rules))
    methods = sorted(rule.methods - {"OPTIONS", "HEAD"})
    # mostly what the route takes, sometimes any method
    method = draw(st.sampled_from(methods * 4 + METHODS))
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            values[name] = draw(st.sampled_from(fuzzer.ids * 3 + BIG_INTS))
        elif fuzzer.real.get(name):
            values[name] = draw(st.one_of(st.sampled_from(fuzzer.real[name]), TEXT))
        else:
            values[name] = draw(TEXT)
    if draw(st.booleans()):
        query = draw(st.dictionaries(st.sampled_from(PARAMS), TEXT, max_size=4))
    else:
        query = draw(
            st.sampled_from(["", "%ZZ", "a=%C3%28", "tz=%FF%FE", "&&==&", "a=" + "b" * 5000])
        )
    headers = draw(st.dictionaries(st.sampled_from(HEADER_NAMES), HEADER_VALUES, max_size=3))
    if draw(st.integers(0, 7)) == 0:
        headers["Host"] = draw(st.sampled_from(HOSTS))
    cookie = draw(st.one_of(st.none(), st.none(), COOKIES))
    who = draw(st.sampled_from(sorted(fuzzer.sessions)))
    body, content_type = None, None
    if method not in ("GET", "HEAD"):
        fields = draw(st.dictionaries(st.sampled_from(field_names), TEXT, max_size=6))
        if draw(st.booleans()):
            fields["csrf_token"] = fuzzer.tokens[who]
        if draw(st.integers(0, 5)) == 0:
            body = draw(st.binary(max_size=300))
            content_type = draw(st.sampled_from(CONTENT_TYPES))
        else:
            body = fields
    path = fuzzer.path(rule, values)
    return who, method, path, query, headers, cookie, body, content_type


class ErrorLog(logging.Handler):
    """The app's warnings and errors (its logger, "wsapp", and its children)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def fuzz_app(app, users):
    """The app as deployed: no SERVER_NAME, exceptions handled by the app's error pages."""
    app.config.update(SERVER_NAME=None, PROPAGATE_EXCEPTIONS=False)
    errors = ErrorLog()
    app.logger.addHandler(errors)
    yield app, errors
    app.logger.removeHandler(errors)


def _sessions(app) -> tuple[dict, dict]:
    """The session cookie and CSRF token of an anonymous visitor, an organizer and the admin."""
    from conftest import ORGANIZERS

    sessions, tokens = {}, {}
    for name in ("anonymous", "admin", "bugs"):
        client = app.test_client()
        tokens[name] = csrf_token(client, "/login")
        if name != "anonymous":
            assert login(client, ORGANIZERS[name]["email"]).status_code == 303
            tokens[name] = csrf_token(client, "/manage/")
        sessions[name] = client.get_cookie("session").value
    return sessions, tokens


def _check(fuzzer: Fuzzer, errors: ErrorLog, status: int, request_parts) -> None:
    logged = [
        r.getMessage() + "\n" + "".join(traceback.format_exception(*r.exc_info))
        if r.exc_info
        else r.getMessage()
        for r in errors.records
    ]
    errors.records.clear()
    assert status < 500 and not logged, (status, request_parts, logged)


def _sweep(fuzzer: Fuzzer, rules, field_names: list[str], check) -> None:
    """Every rule with each of its methods, so none is left out by chance: each path argument
    made hostile in turn (a NUL, ids beyond 32 bits) with the others real; then all of them
    real (so the view runs) with hostile query, cookies, headers and form fields, from each
    identity; then with a Host no URL can be built from, and with a method it does not take."""
    hostile_form = {n: "a\x00" if i % 2 else str(2**31) for i, n in enumerate(field_names)}
    query = {"before": 2**31, "first": 2**63, "last": -(2**31) - 1, "code": "x" * 200}
    headers = {"HX-Request": "true", "Accept-Language": "zh;q=2, \xe9", "X-Request-ID": "\xff"}
    for rule in rules:
        methods = sorted(rule.methods)
        real = fuzzer.real_values(rule)
        variants = []
        for name, converter in rule._converters.items():
            bad = [2**31, 2**63] if isinstance(converter, IntegerConverter) else ["x\x00"]
            variants += [{**real, name: value} for value in bad]
        sends = [
            ("admin", method, values, {}, {}, None, {"csrf_token": fuzzer.tokens["admin"]})
            for values in variants
            for method in methods
        ]
        sends += [
            (who, method, real, query, headers, "lang=\xe9; tz=\xff\x00",
             {**hostile_form, "csrf_token": fuzzer.tokens[who]})
            for method in methods
            for who in ("anonymous", "bugs", "admin")
        ]  # fmt: skip
        other = next(m for m in METHODS if m not in rule.methods)
        sends += [("admin", methods[0], real, {}, {"Host": host}, None, None) for host in BAD_HOSTS]
        sends += [("anonymous", other, real, {}, {}, None, None)]
        for who, method, values, query_, headers_, cookie, form in sends:
            parts = (who, method, fuzzer.path(rule, values), query_, headers_, cookie, form, None)
            check((fuzzer.send(*parts[:4], dict(headers_), *parts[5:]), parts))


def test_every_route_answers_hostile_input_without_a_server_error(fuzz_app, database_url):
    app, errors = fuzz_app
    sessions, tokens = _sessions(app)
    fuzzer = Fuzzer(app, sessions, tokens)
    rules = [r for r in app.url_map.iter_rules()]
    field_names = _field_names()
    started, cpu = time.perf_counter(), time.process_time()

    _sweep(fuzzer, rules, field_names, lambda parts: _check(fuzzer, errors, *parts))
    swept = fuzzer.sent
    swept_statuses = dict(fuzzer.statuses)

    backend = make_url(database_url).get_backend_name()

    @settings(
        max_examples=EXAMPLES[backend],
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )
    @given(parts=requests(fuzzer, rules, field_names))
    def check(parts):
        who, method, path, query, headers, cookie, body, content_type = parts
        status = fuzzer.send(who, method, path, query, dict(headers), cookie, body, content_type)
        _check(fuzzer, errors, status, parts)

    check()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"\nfuzz on {backend}: {fuzzer.sent} requests ({swept} in the sweep) in {seconds:.1f} s"
        f" ({cpu:.1f} s CPU),"
        f" 0 answered 5xx; statuses {dict(sorted(fuzzer.statuses.items()))}"
        f" sweep {swept_statuses}"
    )
