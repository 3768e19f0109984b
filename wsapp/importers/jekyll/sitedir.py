"""A Jekyll site checkout: `_config.yml`, `_data/`, collections and pages, each page rendered.

Pages are Markdown or HTML files at the top or in `_pages/` (with or without front matter, as
GitHub Pages serves them). The home page is the one at `/` (a redirect is followed); pages that
name another edition than the home ("ITSC 2025" beside "WACV 2026") are left out. A page's
Liquid is run with `site` (the config, `site.data.*`, the collections) and `page`; an empty
page takes its layout from `_layouts/`. Collection documents with `published: false` are left
out, as Jekyll does.
"""

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from wsapp.importers.jekyll import profiles
from wsapp.importers.jekyll.liquid import LiquidError, Template
from wsapp.importers.jekyll.source import FRONT_MATTER, Source, demojibake, strip_comments

NOT_COLLECTIONS = {"_layouts", "_includes", "_data", "_site", "_sass", "_plugins", "_drafts",
                   "_posts", "_pages", "_bibliography", "_scripts"}  # fmt: skip
PAGE_SUFFIXES = {".md", ".markdown", ".html"}
REDIRECT = re.compile(
    r"""http-equiv=["']refresh["'][^>]*?url=(\{\{.*?\}\}|[^"'>]+)|redirect_to:\s*(\S+)""", re.I
)
EDITION = re.compile(r"\b([A-Z][A-Za-z]{2,})[\s_@)'-]*((?:19|20)\d\d)\b")
LIQUID_URL = re.compile(r"\{\{\s*['\"]([^'\"]+)['\"][^}]*\}\}")


class SiteError(ValueError):
    """The folder is not a Jekyll site the importer can read; the message says why."""


@dataclass
class Page:
    path: Path
    front: dict
    text: str  # the body as the file has it
    rendered: str = ""  # after Liquid

    @property
    def url(self) -> str:
        permalink = str(self.front.get("permalink") or "")
        if permalink:
            return "/" + permalink.strip("/").lower()
        stem = self.path.stem.lower()
        return "/" if stem in ("index", "readme") else f"/{stem}"


@dataclass
class Site:
    root: Path
    config: dict
    data: dict
    collections: dict[str, list[dict]]
    pages: list[Page]
    home: Page
    notes: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why)


def read_front(text: str) -> tuple[dict, str, int]:
    """Front matter as YAML values (lists and maps kept), the body, the body's first line."""
    m = FRONT_MATTER.match(text)
    if not m:
        return {}, text, 1
    try:
        front = yaml.safe_load(m[1])
    except yaml.YAMLError:
        front = None
    if not isinstance(front, dict):
        from wsapp.importers.jekyll.source import parse_front_matter

        front = parse_front_matter(m[1])
    return {str(k): v for k, v in front.items()}, text[m.end() :], m[0].count("\n") + 1


def _text(path: Path) -> str:
    raw = path.read_text(encoding="utf-8-sig", errors="replace").replace("\r\n", "\n")
    return "\n".join(demojibake(line) for line in raw.splitlines()) + "\n"


def read_site(root: Path, home_page: Path | None = None) -> Site:
    """Everything the pages can refer to, and the pages that belong to the home's edition
    (`home_page`, a page of the site, is read as the home page instead of the one at /)."""
    notes: list[str] = []
    config = _load_yaml(root / "_config.yml", notes) if (root / "_config.yml").is_file() else {}
    data = _data(root / "_data", notes)
    collections = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name.startswith("_")):
        if folder.name in NOT_COLLECTIONS:
            continue
        docs, unpublished = _collection(folder)
        collections[folder.name[1:]] = docs
        if unpublished:
            notes.append(f"{unpublished} documents of {folder.name}/ have published: false "
                         "(Jekyll does not show them): not imported")  # fmt: skip
    pages = [Page(p, *read_front(_text(p))[:2]) for p in _page_files(root, config)]
    pages = [p for p in pages if not profiles.is_content_of_profiles(p, pages)]
    if not pages:
        raise SiteError(f"{root}: no pages (.md or .html) at the top or in _pages/")
    home = _home(pages, notes)
    if home_page is not None:
        wanted = (root / home_page).resolve() if not home_page.is_absolute() else home_page
        home = next((p for p in pages if p.path.resolve() == wanted.resolve()), None)
        if home is None:
            raise SiteError(f"--home {home_page}: not a page of {root}")
    site = Site(root, config, data, collections, [], home, notes)
    edition = _edition(home) or _config_edition(config)
    for page in sorted(pages, key=lambda p: (p is not home, _nav_order(p), str(p.path))):
        if page is not home and _is_redirect(page):
            site.skipped.append((_name(root, page), "a redirect page"))
            continue
        other = _edition(page)
        if edition and other and other != edition:
            site.skipped.append((_name(root, page), f"about {other[0]} {other[1]}, not the home "
                                 f"page's {edition[0]} {edition[1]}"))  # fmt: skip
            continue
        site.pages.append(page)
    return site


def render(site: Site, page: Page, note) -> Source:
    """The page after Liquid, as a Source the section reader takes (comments stripped)."""
    variables = {"site": _site_variables(site), "page": page.front, "paginator": {},
                 "jekyll": {"environment": "production"}, "content": ""}  # fmt: skip
    text = page.text + profiles.cards(page, lambda path: read_front(_text(path))[1])
    layout = site.root / "_layouts" / f"{page.front.get('layout')}.html"
    if not text.strip() and layout.is_file():
        text = read_front(_text(layout))[1]
        note(f"{_name(site.root, page)} has no text of its own: its layout {layout.name} is read")
    includes = site.root / "_includes"
    try:
        rendered = Template(text).render(variables, includes if includes.is_dir() else None, note)
    except LiquidError as exc:
        note(f"{_name(site.root, page)}: Liquid not run ({exc}); its tags are left out")
        rendered = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", "", text, flags=re.S)
    page.rendered = rendered
    first_line = read_front(_text(page.path))[2]
    body, comments = strip_comments(rendered, first_line)
    front = {k: "" if v is None else str(v) for k, v in page.front.items()}
    return Source(page.path, front, body, first_line, comments)


def _site_variables(site: Site) -> dict:
    variables = dict(site.config)
    variables.update(site.collections)
    variables["data"] = site.data
    variables.setdefault("baseurl", "")
    variables.setdefault("url", "")
    variables["pages"] = [{**p.front, "url": p.url} for p in site.pages]
    variables["posts"] = []
    return variables


def _load_yaml(path: Path, notes: list[str]):
    try:
        return yaml.safe_load(_text(path)) or {}
    except yaml.YAMLError as exc:
        notes.append(f"{path.name} is not valid YAML ({str(exc).splitlines()[0]}): not read")
        return {}


def _data(folder: Path, notes: list[str]) -> dict:
    data: dict = {}
    if not folder.is_dir():
        return data
    for path in sorted(folder.rglob("*")):
        key = path.stem
        if path.suffix in (".yml", ".yaml"):
            data[key] = _load_yaml(path, notes)
        elif path.suffix == ".json":
            try:
                data[key] = json.loads(_text(path))
            except ValueError:
                notes.append(f"_data/{path.name} is not valid JSON: not read")
        elif path.suffix in (".csv", ".tsv"):
            dialect = "excel-tab" if path.suffix == ".tsv" else "excel"
            data[key] = list(csv.DictReader(_text(path).splitlines(), dialect=dialect))
    return data


def _collection(folder: Path) -> tuple[list[dict], int]:
    docs, unpublished = [], 0
    for path in sorted(folder.rglob("*")):
        if path.suffix not in PAGE_SUFFIXES or not path.is_file():
            continue
        front, body, _ = read_front(_text(path))
        if front.get("published") is False:
            unpublished += 1
            continue
        name, slug = folder.name[1:], path.stem
        docs.append({**front, "content": body, "slug": slug, "path": str(path.name),
                     "url": f"/{name}/{slug}/", "collection": name})  # fmt: skip
    return docs, unpublished


def _page_files(root: Path, config: dict) -> list[Path]:
    excluded = {str(x).strip("/") for x in config.get("exclude") or []}
    files = [p for p in root.iterdir() if p.is_file() and p.suffix in PAGE_SUFFIXES]
    if (root / "_pages").is_dir():
        files += [p for p in (root / "_pages").rglob("*") if p.suffix in PAGE_SUFFIXES]
    has_index = any(p.stem.lower() == "index" and p.parent == root for p in files)
    result = []
    for path in sorted(files):
        if path.name in excluded or path.name in ("404.html", "LICENSE.md", "CHANGELOG.md"):
            continue
        if path.stem.lower() == "readme" and path.parent == root and has_index:
            continue  # GitHub Pages serves README only when there is no index
        result.append(path)
    return result


def _home(pages: list[Page], notes: list[str]) -> Page:
    by_url = {p.url: p for p in pages}
    home = by_url.get("/") or pages[0]
    for _ in range(3):
        m = REDIRECT.search(home.text) or REDIRECT.search(str(home.front.get("redirect_to", "")))
        if not _is_redirect(home) or not m:
            break
        target = m[1] or m[2]
        target = LIQUID_URL.sub(lambda t: t[1], target).strip().lower()
        found = by_url.get("/" + target.strip("/"))
        if found is None:
            break
        notes.append(f"{home.path.name} redirects to {found.url}/: read as the home page")
        home = found
    return home


def _is_redirect(page: Page) -> bool:
    return bool(page.front.get("redirect_to")) or bool(
        re.search(r"http-equiv=[\"']refresh", page.text, re.I)
    )


def _edition(page: Page) -> tuple[str, str] | None:
    """ "WACV 2026" from the page's title, permalink, file name or first heading."""
    heading = re.search(r"^#{1,2}\s+(.+)$", page.text, re.M)
    for text in (page.front.get("title"), page.front.get("permalink"), page.path.stem,
                 heading[1] if heading else None):  # fmt: skip
        m = EDITION.search(str(text or "").replace("_", " "))
        if m:
            return m[1].upper(), m[2]
    return None


def _config_edition(config: dict) -> tuple[str, str] | None:
    """ "Robust Models @ ICML 2025" in _config.yml's title or description."""
    for key in ("title", "description"):
        m = re.search(r"@\s*" + EDITION.pattern, str(config.get(key) or ""))
        if m:
            return m[1].upper(), m[2]
    return None


def _nav_order(page: Page) -> float:
    for key in ("nav_order", "nav-order"):
        try:
            return float(page.front.get(key))
        except (TypeError, ValueError):
            continue
    return 1000.0


def _name(root: Path, page: Page) -> str:
    return str(page.path.relative_to(root))
