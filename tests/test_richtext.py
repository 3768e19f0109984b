"""Rich text: the seeds' Markdown renders; XSS payloads in every rich-text field are inert."""

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from wsapp.extensions import db
from wsapp.models import Announcement, CallForPapers, NewsPost, Paper, ScheduleItem, Workshop
from wsapp.services.richtext import render_inline, render_markdown

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<iframe src="https://evil.example/"></iframe>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<div hx-get="/evil" hx-trigger="load">htmx</div>',
    '<a href="https://ok.example/" hx-post="/x" data-hx-post="/y" data-foo="1">ok</a>',
    '<form action="/x"><button formaction="javascript:alert(1)">b</button></form>',
    "<object data=x></object><embed src=x>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<style>body{display:none}</style>",
    '"><script>alert(1)</script>',
    "<ScRiPt>alert(1)</sCrIpT>",
    "![x](javascript:alert(1))",
    '<a href="data:text/html,<script>alert(1)</script>">d</a>',
    '<a href="vbscript:msgbox(1)">v</a>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
]

DANGEROUS_TAGS = {
    "script",
    "img",
    "svg",
    "iframe",
    "style",
    "object",
    "embed",
    "form",
    "button",
    "base",
    "meta",
    "link",
    "math",
    "details",
    "noscript",
    "mglyph",
}


def assert_inert(html: str) -> None:
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        # The sanitizer drops class attributes, so a tag with one comes from our own templates.
        ours = "class" in tag.attrs
        if not ours:
            assert tag.name not in DANGEROUS_TAGS, f"<{tag.name}> survived in {html!r}"
        for attr, value in tag.attrs.items():
            assert not attr.startswith("on"), f"event handler {attr} survived"
            assert ours or not attr.startswith(("hx-", "data-")), f"{attr} survived"
            assert attr != "style", "style attribute survived"
            if attr in {"href", "src", "action", "formaction"}:
                assert value.strip().lower().startswith(("http:", "https:", "mailto:", "#", "/")), (
                    f"{attr}={value!r} survived"
                )


@pytest.mark.parametrize("payload", PAYLOADS)
def test_renderers_neutralize(payload):
    assert_inert(str(render_markdown(payload)))
    assert_inert(str(render_inline(payload)))


def test_seed_markup_survives():
    html = str(
        render_markdown(
            "<strong>Bold</strong> <em>e</em> <s>old</s> [a](https://x.org)\n\n* one\n  * two"
        )
    )
    assert "<strong>Bold</strong>" in html and "<s>old</s>" in html and "<em>e</em>" in html
    assert '<a href="https://x.org"' in html and "<ul>" in html


def test_bare_urls_become_links():
    assert '<a href="https://neurips2023-bugs.github.io/"' in str(
        render_markdown("https://neurips2023-bugs.github.io/")
    )


RICH_FIELDS = [
    (Workshop, "tagline_md", "/bugs-2023/"),
    (Workshop, "description_md", "/bugs-2023/"),
    (CallForPapers, "invitation_md", "/bugs-2023/cfp"),
    (CallForPapers, "topics_intro_md", "/bugs-2023/cfp"),
    (CallForPapers, "review_intro_md", "/bugs-2023/cfp"),
    (CallForPapers, "policies_md", "/bugs-2023/cfp"),
    (CallForPapers, "instructions_md", "/bugs-2023/cfp"),
    (CallForPapers, "reviewers_md", "/bugs-2023/cfp"),
    (NewsPost, "summary_md", "/bugs-2023/news/neurips-workshop-backdoors-in-deep-learning"),
    (NewsPost, "body_md", "/bugs-2023/news/neurips-workshop-backdoors-in-deep-learning"),
    (Announcement, "text_md", "/bugs-2023/"),
    (ScheduleItem, "abstract_md", "/bugs-2023/schedule"),
    (Paper, "abstract_md", "/bugs-2023/papers/1"),  # the first paper the demo loads
]


def _every_md_column():
    found = set()
    for model in db.Model.registry.mappers:
        for column in model.columns:
            if column.key.endswith("_md"):
                found.add((model.class_.__name__, column.key))
    return found


def test_every_rich_text_field_is_covered():
    assert {(m.__name__, f) for m, f, _ in RICH_FIELDS} >= _every_md_column()


@pytest.mark.parametrize(
    ("model", "field", "path"), RICH_FIELDS, ids=lambda v: getattr(v, "__name__", v)
)
def test_payloads_in_every_field_render_inert(app, client, model, field, path):
    with app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.slug == "bugs-2023"))
        record = (
            workshop
            if model is Workshop
            else db.session.scalar(
                select(model).where(model.workshop_id == workshop.id).order_by(model.id)
            )
        )
        if model is Announcement:
            record.starts_dt = record.ends_dt = None
        setattr(record, field, "\n\n".join(PAYLOADS))
        db.session.commit()
    html = client.get(path).text
    main = BeautifulSoup(html, "html.parser").find("main")
    assert_inert(str(main))
    assert "alert(1)" not in str(main.find_all(href=True))
