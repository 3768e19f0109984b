"""The rules every entry point shares (wsapp/rules.py), on real links and hostile input."""

import re
import warnings
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import SQLITE_ONLY
from hypothesis import given
from hypothesis import strategies as st

from wsapp.rules import (
    MAX_INT,
    db_int,
    is_email,
    is_host_header,
    is_http_url,
    is_slug,
)

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = [*sorted((FIXTURES / "links").rglob("*")), *sorted(FIXTURES.glob("bugs-2023-*.md"))]


def real_links() -> list[str]:
    """Every absolute http(s) address in real workshop pages: href attributes, Markdown links
    and YAML `url:` values, as written."""
    found = set()
    for path in PAGES:
        if path.suffix not in (".md", ".yml"):
            continue
        text = path.read_text(encoding="utf-8")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # bs4 warns about Markdown that looks like a URL
            found |= {a["href"].strip() for a in BeautifulSoup(text, "html.parser")("a", href=True)}
        found |= set(re.findall(r"\]\(\s*(https?://[^)\s]+)", text))
        found |= set(re.findall(r"^\s*\w*url:\s*\"?(https?://[^\"\s]+)", text, re.M))
    return sorted(u for u in found if u.lower().startswith(("http://", "https://")))


def test_every_real_link_is_a_web_address():
    links = real_links()
    assert len(links) > 90
    assert [u for u in links if not is_http_url(u)] == []


@pytest.mark.parametrize(
    "value",
    [
        'http://localhost"><svg/onload=alert(1)>',
        "http://localhost/<script>",
        "javascript:alert(1)",
        "JAVASCRIPT://example.org/%0aalert(1)",
        "data:text/html,<b>x</b>",
        "//example.org/x",
        "https://",
        "https:///path",
        "https://exa mple.org",
        "https://example.org/a b",
        "https://example.org/\x00",
        "https://example.org:99999/",
        "https://example.org:port/",
        "https://-bad-.example.org",
        "https://example",
        "ftp://example.org",
        "https://example.org/'onmouseover='x",
        "https://" + "a" * 2000 + ".org",
    ],
)
def test_hostile_or_broken_addresses_are_refused(value):
    assert not is_http_url(value)


@pytest.mark.parametrize(
    "value",
    [
        "https://neurips.cc/virtual/2023/workshop/66550",
        "http://localhost:5000/bugs-2023/",
        "https://127.0.0.1/x",
        "https://[::1]:8443/",
        "https://bücher.example/straße?q=ä#frag",
        "https://openreview.net/group?id=NeurIPS.cc/2023/Workshop/BUGS",
        "https://example.org./",
        "https://fonts.googleapis.com/css?family=Roboto|Open+Sans",
    ],
)
def test_good_addresses_are_accepted(value):
    assert is_http_url(value)


def test_a_server_address_may_have_a_host_without_a_dot():
    assert is_http_url("http://wsapp:8000/", dotted=False) and not is_http_url("http://wsapp/")


@given(st.text(max_size=80))
def test_an_accepted_address_never_holds_what_ends_a_link(value):
    if is_http_url(value):
        assert not re.search(r"[\s<>\"'`\\\x00-\x1f]", value)
        assert value.lower().startswith(("http://", "https://"))


@pytest.mark.parametrize(
    "value, expected",
    [("1", 1), (" 42 ", 42), ("-2147483648", -(2**31)), (str(MAX_INT), MAX_INT)],
)
def test_db_int_takes_what_the_database_holds(value, expected):
    assert db_int(value) == expected


@pytest.mark.parametrize("value", ["2147483648", "-2147483649", "9" * 40, "1e3", "", "x", "0x1"])
def test_db_int_refuses_the_rest(value):
    with pytest.raises(ValueError):
        db_int(value)


@pytest.mark.parametrize(
    "value, ok",
    [
        ("wsapp.test", True),
        ("example.org:8000", True),
        ("[::1]:5000", True),
        ("xn--bcher-kva.example", True),
        ("a" * 64 + ".example.org", False),
        ("xn--.example", False),
        ("example.org:99999", False),
        ("[1.2.3]", False),
        ("ex ample.org", False),
        ("é.example", False),
        ("", False),
    ],
)
def test_host_headers(value, ok):
    assert is_host_header(value) is ok


def test_emails_and_slugs():
    assert is_email("chairs@example.org") and not is_email("not-an-email")
    assert not is_email("a@b.c\x00") and not is_email("x" * 250 + "@example.org")
    assert is_slug("bugs-2023") and not is_slug("Bugs 2023") and not is_slug("a--b")


@SQLITE_ONLY
def test_url_converters_refuse_control_characters_and_huge_ids(app):
    adapter = app.url_map.bind("wsapp.test")
    assert adapter.match("/bugs-2023/")[1] == {"slug": "bugs-2023"}
    assert adapter.match("/manage/bugs-2023/people/7")[1]["item_id"] == 7
    for path in ("/bugs\x00-2023/", "/bugs-2023\x1b/", "/manage/bugs-2023/people/2147483648"):
        with pytest.raises(Exception) as error:
            adapter.match(path)
        assert getattr(error.value, "code", None) in (404, 308), path
