"""URLs of the static copy: which are the site's own, which file each becomes, relative links."""

import mimetypes
import posixpath
from urllib.parse import SplitResult, urljoin, urlsplit

SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "blob:", "about:")
HTML_TYPES = ("text/html", "application/xhtml+xml")


def internal(url: str, page_url: str, origin: str) -> SplitResult | None:
    """The URL as a path on this site (resolved against the page), or None if it leaves it."""
    url = url.strip()
    if not url or url.startswith("#") or url.lower().startswith(SKIPPED_SCHEMES):
        return None
    absolute = urlsplit(urljoin(page_url, url))
    home = urlsplit(origin)
    if absolute.scheme not in ("http", "https") or absolute.netloc != home.netloc:
        return None
    return absolute._replace(path=absolute.path or "/")


def output_file(path: str, mimetype: str) -> str:
    """Where a URL path is written: pages as directory/index.html, other files by their name.

    "/" -> "index.html", "/a/" and "/a" (HTML) -> "a/index.html", "/static/x.css" -> itself;
    a non-HTML response without an extension gets one from its type ("/feed" -> "feed.xml").
    """
    clean = posixpath.normpath("/" + path.lstrip("/")).lstrip("/")
    if clean in ("", "."):
        return "index.html"
    if mimetype in HTML_TYPES:
        if clean.endswith((".html", ".htm")):
            return clean
        return posixpath.join(clean, "index.html")
    if not posixpath.splitext(clean)[1]:
        return clean + (mimetypes.guess_extension(mimetype) or ".bin")
    return clean


def relative(target_file: str, from_file: str) -> str:
    """A link from one written file to another ("../static/css/site.css")."""
    start = posixpath.dirname(from_file) or "."
    return posixpath.relpath(target_file, start)


def public_url(base: str, file: str) -> str:
    """The address a written file has when the copy is served from `base` (dirs end in /)."""
    if file == "index.html":
        file = ""
    elif file.endswith("/index.html"):
        file = file[: -len("index.html")]
    return base.rstrip("/") + "/" + file


def with_fragment(link: str, parts: SplitResult) -> str:
    return f"{link}#{parts.fragment}" if parts.fragment else link


def live_url(base: str, parts: SplitResult) -> str:
    """The same URL on the live server."""
    query = f"?{parts.query}" if parts.query else ""
    return with_fragment(base.rstrip("/") + parts.path + query, parts)
