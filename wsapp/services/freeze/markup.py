"""Rewriting URLs in HTML and CSS while leaving every other byte as the app rendered it.

The HTML pass edits start tags only (their URL attributes, htmx attributes) and can drop an
element whole (a form, a canonical link); text, whitespace and attribute order stay as they were.
"""

import re
from html import escape
from html.parser import HTMLParser

URL_ATTRIBUTES = {
    "href": {"a", "area", "link"},
    "src": {"img", "script", "iframe", "source", "audio", "video", "track", "embed", "input"},
    "srcset": {"img", "source"},
    "poster": {"video"},
    "data": {"object"},
    "formaction": {"button", "input"},
}
PAGE_ITSELF = {"og:url", "twitter:url"}
ABSOLUTE_META = {"og:image", "og:image:url", "twitter:image", "og:audio", "og:video"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")


class Resolver:
    """What the rewriter asks about each URL; the freeze decides the answers."""

    def link(self, url: str) -> str | None:
        """The new value of a link or source (None: drop the attribute)."""
        return url

    def absolute(self, url: str, page_itself: bool) -> str | None:
        """An absolute URL for canonical and og: tags (None: drop the tag)."""
        return url

    def form(self, method: str, action: str) -> str | None:
        """The form's new action, or None to replace the form with `form_note()`."""
        return action

    def form_note(self) -> str:
        return ""


class _Editor(HTMLParser):
    def __init__(self, text: str, resolver: Resolver):
        super().__init__(convert_charrefs=True)
        self.text, self.resolver = text, resolver
        self.lines = [0] + [m.end() for m in re.finditer("\n", text)]
        self.edits: list[tuple[int, int, str]] = []
        self.dropping: tuple[int, str] | None = None

    def _position(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag, attrs):
        self._tag(tag, attrs, self.get_starttag_text())

    def handle_startendtag(self, tag, attrs):
        self._tag(tag, attrs, self.get_starttag_text())

    def handle_endtag(self, tag):
        if tag == "form" and self.dropping is not None:
            start, note = self.dropping
            end = self.text.find(">", self._position()) + 1
            self.edits.append((start, end, note))
            self.dropping = None

    def _tag(self, tag: str, attrs: list, raw: str) -> None:
        if self.dropping is not None:
            return
        start = self._position()
        original, values = list(attrs), dict(attrs)
        if tag == "form":
            action = self.resolver.form((values.get("method") or "get").lower(),
                                        values.get("action") or "")  # fmt: skip
            if action is None:
                self.dropping = (start, self.resolver.form_note())
                return
            attrs = [(k, action if k == "action" else v) for k, v in attrs]
        if _is_self_reference(tag, values):
            key = "href" if tag == "link" else "content"
            new = self.resolver.absolute(values.get(key) or "", True)
            if new is None:
                self._drop(start, start + len(raw))
                return
            attrs = [(k, new if k == key else v) for k, v in attrs]
        elif tag == "meta" and (values.get("property") or values.get("name")) in ABSOLUTE_META:
            new = self.resolver.absolute(values.get("content") or "", False)
            if new is None:
                self._drop(start, start + len(raw))
                return
            attrs = [(k, new if k == "content" else v) for k, v in attrs]
        changed = [(k, v) for k, v in (self._attribute(tag, k, v) for k, v in attrs) if k]
        if changed != original:
            self.edits.append((start, start + len(raw), _serialize(tag, changed, raw)))

    def _drop(self, start: int, end: int) -> None:
        """Remove a tag, and its line too when nothing else is on it."""
        line_start = self.text.rfind("\n", 0, start) + 1
        line_end = self.text.find("\n", end)
        line_end = len(self.text) if line_end < 0 else line_end + 1
        if not (self.text[line_start:start] + self.text[end:line_end]).strip():
            start, end = line_start, line_end
        self.edits.append((start, end, ""))

    def _attribute(self, tag: str, name: str, value: str | None):
        if name.startswith(("hx-", "data-hx-")):
            return None, None  # htmx requests cannot be answered by a static copy
        if value is None or tag not in URL_ATTRIBUTES.get(name, ()):
            return name, value
        if name == "srcset":
            return name, _srcset(value, self.resolver)
        new = self.resolver.link(value)
        return (name, new) if new is not None else (None, None)

    def result(self) -> str:
        self.close()
        if self.dropping is not None:  # a form left open: drop to the end
            self.edits.append((self.dropping[0], len(self.text), self.dropping[1]))
        out, position = [], 0
        for start, end, replacement in sorted(self.edits):
            if start < position:
                continue  # inside an element already dropped
            out += [self.text[position:start], replacement]
            position = end
        out.append(self.text[position:])
        return "".join(out)


def _is_self_reference(tag: str, values: dict) -> bool:
    if tag == "link":
        return "canonical" in (values.get("rel") or "").lower().split()
    return tag == "meta" and (values.get("property") or values.get("name")) in PAGE_ITSELF


def _srcset(value: str, resolver: Resolver) -> str:
    candidates = []
    for candidate in value.split(","):
        url, _, descriptor = candidate.strip().partition(" ")
        new = resolver.link(url) if url else None
        if new is not None:
            candidates.append(f"{new} {descriptor}".strip())
    return ", ".join(candidates)


def _serialize(tag: str, attrs: list, raw: str) -> str:
    parts = [tag] + [k if v is None else f'{k}="{escape(v, quote=True)}"' for k, v in attrs]
    return "<" + " ".join(parts) + ("/>" if raw.rstrip().endswith("/>") else ">")


def rewrite_html(text: str, resolver: Resolver) -> str:
    """The page with its URLs answered by `resolver`, htmx attributes and dropped forms removed."""
    editor = _Editor(text, resolver)
    editor.feed(text)
    return editor.result()


def rewrite_css(text: str, link) -> str:
    """url(...) and @import in a stylesheet, each passed through link(url)."""

    def replace(m: re.Match) -> str:
        url = m[2] or m[4]
        new = link(url.strip())
        if new is None or new == url:
            return m[0]
        return m[0].replace(url, new, 1)

    return CSS_URL.sub(replace, text)
