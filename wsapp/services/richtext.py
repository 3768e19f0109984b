"""Markdown to safe HTML: markdown-it-py renders, nh3 keeps only an allowlist."""

import html as htmllib
import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "sub",
    "sup",
    "u",
    "ul",
}
ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}

_md = MarkdownIt("commonmark", {"html": True, "linkify": True, "typographer": False}).enable(
    ["linkify", "strikethrough", "table"]
)


def _heading_shift(html: str, top: int | None = None) -> str:
    # Page content sits under the page's own h1/h2, so author headings start at h3.
    if top is None:
        for level in (2, 1):
            html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
        return html
    # Under a page's h1 alone: the author's highest heading becomes h{top}, the rest follow it.
    levels = [int(m) for m in re.findall(r"<h([1-6])>", html)]
    shift = top - min(levels) if levels else 0
    return re.sub(
        r"<(/?)h([1-6])>", lambda m: f"<{m[1]}h{min(6, max(top, int(m[2]) + shift))}>", html
    )


@lru_cache(maxsize=2048)
def _render(text: str, top: int | None = None) -> str:
    html = _heading_shift(_md.render(text), top)
    return nh3.clean(
        html,
        tags=TAGS | ({f"h{top}"} if top else set()),
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def render_markdown(text: str | None, top: int | None = None) -> Markup:
    """Block-level Markdown (paragraphs, lists) as sanitized HTML; top=2 for text that sits
    right under the page's h1 (its highest heading becomes an h2)."""
    return Markup(_render(text or "", top))


def render_inline(text: str | None) -> Markup:
    """One line of Markdown without the wrapping paragraph."""
    html = _render(text or "").strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


def plain_text(text: str | None) -> str:
    """The text content, for <title> and meta descriptions."""
    return htmllib.unescape(nh3.clean(_render(text or ""), tags=set())).strip()
