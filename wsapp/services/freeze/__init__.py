"""A static copy of the public site: `flask --app wsapp freeze OUTDIR`.

Pages are found by crawling (so exports added to the app later are copied too), written as
directory/index.html files with relative links, so the copy works from any folder (file://)
and on GitHub Pages. What a static copy cannot do points at the live server (--base-url).
"""

import re
from contextlib import nullcontext
from dataclasses import dataclass, field
from html import escape, unescape
from pathlib import Path

from flask import Flask
from flask_babel import gettext as _

from wsapp.services import queries
from wsapp.services.freeze.crawl import Page, Site
from wsapp.services.freeze.markup import Resolver, rewrite_css, rewrite_html
from wsapp.services.freeze.urls import (
    HTML_TYPES,
    internal,
    live_url,
    public_url,
    relative,
    with_fragment,
)

TEXT_TYPES = ("application/json", "application/xml", "text/xml", "text/calendar", "text/plain")
URL_BLOCK = re.compile(r"\s*<url>\s*<loc>\s*([^<]+?)\s*</loc>.*?</url>", re.S)


class FreezeError(ValueError):
    """The copy cannot be made as asked; the message says why."""


@dataclass
class FreezeReport:
    files: dict[str, int] = field(default_factory=dict)  # written file -> bytes
    live: set[str] = field(default_factory=set)  # links left to the live server
    dropped: set[str] = field(default_factory=set)  # links whose query string was dropped
    forms: list[str] = field(default_factory=list)  # pages whose forms were removed
    broken: list[tuple[str, str, int]] = field(default_factory=list)  # page, link, status
    unlinked: list[str] = field(default_factory=list)  # url_map pages nothing links to
    warnings: list[str] = field(default_factory=list)


class _Links(Resolver):
    """The answers for one page being written."""

    def __init__(self, site: Site, page: Page, base: str | None, mirror: str | None, report):
        self.site, self.page, self.base, self.mirror, self.report = site, page, base, mirror, report
        self.page_url = site.origin + page.fetched

    def link(self, url: str) -> str | None:
        parts = internal(url, self.page_url, self.site.origin)
        if parts is None:
            return url
        target = self.site.target(parts.path)
        if target is not None and target.file:
            link = relative(target.file, self.page.file)
            if parts.query and target.mimetype in HTML_TYPES:
                self.report.dropped.add(url)  # ?tz=...: a static page has one view
            elif parts.query:
                link += "?" + parts.query  # a file's version (?v=...) still busts caches
            return with_fragment(link, parts)
        if target is not None and target.status >= 400 and target.status not in (401, 403):
            self.report.broken.append((self.page.path, url, target.status))
        else:
            self.report.live.add(parts.path)
        return live_url(self.base, parts) if self.base else None

    def absolute(self, url: str, page_itself: bool) -> str | None:
        parts = internal(url, self.page_url, self.site.origin)
        if parts is None:
            return url
        if self.base:
            return live_url(self.base, parts._replace(fragment=""))
        target = self.site.target(parts.path)
        if self.mirror and target is not None and target.file:
            return public_url(self.mirror, target.file)
        return None

    def form(self, method: str, action: str) -> str | None:
        self.report.forms.append(f"{self.page.path} ({method.upper()} {action or 'itself'})")
        return None

    def form_note(self) -> str:
        if not self.base:
            return ""
        href = escape(self.base.rstrip("/") + self.page.fetched)
        text = escape(_("This form works on the live site."))
        return f'<p class="frozen-note"><a href="{href}">{text}</a></p>'


def freeze_site(app: Flask, outdir: Path, slug: str | None = None, base_url: str | None = None,
                mirror_url: str | None = None, track=None) -> FreezeReport:  # fmt: skip
    """Crawl the public site (or one workshop) and write it to outdir; returns what was done."""
    track = track or (lambda items, label: nullcontext(items))
    with app.app_context():
        slugs = [w.slug for w in queries.published_workshops()]
    if slug is not None and slug not in slugs:
        raise FreezeError(f"no published workshop {slug!r} (published: {', '.join(slugs)})")
    chosen = [slug] if slug else slugs
    live = set(app.config.get("FREEZE_LIVE_BLUEPRINTS") or ())
    site, report = Site(app, slug, live), FreezeReport()
    before = {key: app.config.get(key) for key in ("FREEZING", "FREEZE_BASE_URL")}
    app.config.update(FREEZING=True, FREEZE_BASE_URL=base_url)  # templates check these
    try:
        start = ["/", "/archive", "/sitemap.xml", "/robots.txt"] + [f"/{s}/" for s in chosen]
        site.crawl(start, site.workshop_paths(chosen))
    finally:
        app.config.update(before)
    report.unlinked = sorted(p for p in site.unlinked if site.pages[p].file)
    pages = [page for page in site.pages.values() if page.file]
    with app.test_request_context(), track(pages, "Writing files") as bar:
        for page in bar:
            body = _output(site, page, base_url, mirror_url, report)
            if body is not None:
                path = outdir / page.file
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(body)
                report.files[page.file] = len(body)
    (outdir / ".nojekyll").write_bytes(b"")  # GitHub Pages: serve the files as they are
    if not (base_url or mirror_url):
        report.warnings.append("no --base-url or --mirror-url: canonical links were left out "
                               "and exports keep this server's address")  # fmt: skip
    return report


def _output(site: Site, page: Page, base, mirror, report: FreezeReport) -> bytes | None:
    links = _Links(site, page, base, mirror, report)
    if page.mimetype in HTML_TYPES:
        return rewrite_html(page.body.decode("utf-8"), links).encode("utf-8")
    if page.mimetype == "text/css":
        return rewrite_css(page.body.decode("utf-8"), links.link).encode("utf-8")
    if page.path == "/sitemap.xml":
        if not mirror:
            report.warnings.append("sitemap.xml left out: a sitemap needs the copy's own "
                                   "address (pass --mirror-url)")  # fmt: skip
            return None
        return _sitemap(page.body.decode("utf-8"), site, mirror).encode("utf-8")
    if page.path == "/robots.txt":
        sitemap = f"Sitemap: {public_url(mirror, 'sitemap.xml')}" if mirror else ""
        text = re.sub(r"(?m)^Sitemap:.*$", sitemap, page.body.decode("utf-8"))
        return (text.rstrip("\n") + "\n").encode("utf-8")
    if page.mimetype.startswith("text/") or page.mimetype in TEXT_TYPES:
        public = base or mirror
        text = page.body.decode("utf-8")
        return (
            text.replace(site.origin + "/", public.rstrip("/") + "/") if public else text
        ).encode()
    return page.body


def _sitemap(text: str, site: Site, mirror: str) -> str:
    """Only the frozen pages, at their addresses in the copy."""

    def entry(m: re.Match) -> str:
        parts = internal(unescape(m[1]), site.origin + "/", site.origin)
        target = site.target(parts.path) if parts else None
        if target is None or not target.file:
            return ""
        return f"\n  <url><loc>{escape(public_url(mirror, target.file))}</loc></url>"

    return URL_BLOCK.sub(entry, text)
