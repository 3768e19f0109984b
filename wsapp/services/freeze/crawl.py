"""Finding the pages of the public site by following links from its start pages.

Requests go through the app's test client with FREEZING set, so templates can leave out what
only a server can do. Whatever answers an anonymous GET with 200 is frozen; what needs a login,
accepts no GET, belongs to a live-only blueprint (FREEZE_LIVE_BLUEPRINTS, e.g. voting) or to
another workshop than the one chosen stays on the live server.
"""

import contextvars
import re
from collections import deque
from dataclasses import dataclass
from html import unescape

from flask import Flask
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from wsapp.services.freeze.markup import Resolver, rewrite_css, rewrite_html
from wsapp.services.freeze.urls import HTML_TYPES, internal, output_file

LOC = re.compile(r"<loc>\s*([^<]+?)\s*</loc>")
REDIRECTS = {301, 302, 303, 307, 308}


@dataclass
class Page:
    path: str  # the URL path links use
    fetched: str  # the path requested ("/" is the chosen workshop's home with --slug)
    status: int
    mimetype: str = ""
    body: bytes = b""
    file: str | None = None  # where it is written (200 only)
    location: str | None = None  # a redirect's internal target path


class _Collector(Resolver):
    def __init__(self, site: "Site", page_url: str):
        self.site, self.page_url = site, page_url

    def link(self, url: str) -> str | None:
        self.site.discover(url, self.page_url)
        return url

    def absolute(self, url: str, page_itself: bool) -> str | None:
        if not page_itself:
            self.site.discover(url, self.page_url)
        return url


class Site:
    """The crawl: every page reached, by path."""

    def __init__(self, app: Flask, slug: str | None, live_blueprints: set[str]):
        self.app, self.slug, self.live_blueprints = app, slug, live_blueprints
        host = app.config.get("SERVER_NAME") or "localhost"
        scheme = app.config.get("PREFERRED_URL_SCHEME", "http")
        self.origin = f"{scheme}://{host}"
        self.adapter = app.url_map.bind(host, url_scheme=scheme)
        self.client = app.test_client()
        self.pages: dict[str, Page] = {}
        self.queue: deque[str] = deque()
        self.unlinked: set[str] = set()

    def scope(self, path: str) -> str:
        """ "freeze", or "live" for what the static copy leaves to the live server."""
        try:
            endpoint, args = self.adapter.match(path, method="GET")
        except (RequestRedirect, NotFound):
            return "freeze"  # the request follows the redirect or reports the 404
        except MethodNotAllowed:
            return "live"
        blueprint = endpoint.rpartition(".")[0]
        if any(blueprint == n or blueprint.startswith(n + "_") for n in self.live_blueprints):
            return "live"
        if self.slug and args.get("slug") not in (None, self.slug):
            return "live"
        return "freeze"

    def discover(self, url: str, page_url: str) -> None:
        parts = internal(url, page_url, self.origin)
        if parts is None or parts.path in self.pages or parts.path in self.queue:
            return
        if self.scope(parts.path) == "freeze":
            self.queue.append(parts.path)

    def crawl(self, start: list[str], unlinked: list[str]) -> None:
        """Fetch the start pages and everything they link to; then the files (exports) only
        the url_map knows of. HTML nobody links to (htmx fragments, say) is left out."""
        self.queue.extend(start)
        self._drain()
        for path in unlinked:
            if path in self.pages or self.scope(path) != "freeze":
                continue
            page = self._fetch(path)
            if page.status == 200 and page.mimetype not in HTML_TYPES:
                self.pages[path] = page
                self.unlinked.add(path)
                self._links(page)
        self._drain()

    def _drain(self) -> None:
        while self.queue:
            path = self.queue.popleft()
            if path in self.pages:
                continue
            page = self._fetch(path)
            self.pages[path] = page
            if page.status == 200:
                self._links(page)
            elif page.location:
                self.discover(page.location, self.origin + path)

    def _fetch(self, path: str) -> Page:
        fetched = f"/{self.slug}/" if self.slug and path == "/" else path
        # In a context of its own, the request pushes its own app context, as on a server:
        # under the caller's (`flask freeze` runs in one) every page would share one `g`, and
        # the first workshop's display zone and language would follow into the next pages.
        response = contextvars.Context().run(self.client.get, fetched)
        try:
            page = Page(path, fetched, response.status_code, response.mimetype or "")
            if response.status_code == 200:
                page.body = response.get_data()
                page.file = output_file(path, page.mimetype)
            elif response.status_code in REDIRECTS and response.location:
                target = internal(response.location, self.origin + fetched, self.origin)
                page.location = target.path if target is not None else None
        finally:
            response.close()  # static files are streamed from an open file
        return page

    def _links(self, page: Page) -> None:
        page_url = self.origin + page.fetched
        if page.mimetype in HTML_TYPES:
            rewrite_html(page.body.decode("utf-8"), _Collector(self, page_url))
        elif page.mimetype == "text/css":
            rewrite_css(page.body.decode("utf-8"), lambda url: self.discover(url, page_url))
        elif page.path == "/sitemap.xml":
            for loc in LOC.findall(page.body.decode("utf-8")):
                self.discover(unescape(loc), page_url)

    def target(self, path: str) -> Page | None:
        """The page a path ends at, through redirects (None if never fetched)."""
        seen = set()
        page = self.pages.get(path)
        while page is not None and page.location and page.location not in seen:
            seen.add(page.location)
            page = self.pages.get(page.location)
        return page

    def workshop_paths(self, slugs: list[str]) -> list[str]:
        """Every GET rule of the url_map that takes only a workshop slug, for each slug."""
        paths = []
        for rule in self.app.url_map.iter_rules():
            if rule.arguments == {"slug"} and "GET" in (rule.methods or ()):
                paths += [self.adapter.build(rule.endpoint, {"slug": s}) for s in slugs]
        return paths
