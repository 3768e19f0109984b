"""Import an old Jekyll workshop site (or one page): `flask --app wsapp import jekyll SITE_DIR`.

The site is read into a `wsapp/1` document (docs/content-format.md) and loaded with
services.content.site.load_site, so importing again updates the workshop instead of duplicating
it. Modules: sitedir (a site's config, data, collections and pages), liquid (+ liquid_parse,
liquid_values: Jekyll's Liquid), profiles, page (pages to sections), walk (what each section
yields), source (text, front matter, comments), blocks (sections of Markdown/HTML blocks),
tables, people, schedule and items (rows in the organizers' words), definitions
(definition-list schedules), program, zones, clock, dates, cfp, links, sections, titles,
assemble (the document), posts (news), images (files and the image pipeline), merge (what
re-import keeps), report.
"""

from pathlib import Path

from wsapp import rules
from wsapp.importers.jekyll import images, merge
from wsapp.importers.jekyll.page import read_page, read_site
from wsapp.importers.jekyll.parts import Options, PageError
from wsapp.importers.jekyll.posts import PostError, read_post
from wsapp.importers.jekyll.report import Report
from wsapp.models import Workshop
from wsapp.services.content.site import ContentError, load_site, web_address_fields

__all__ = ["ImportFailed", "Options", "Report", "import_page"]  # import_page takes a folder too


class ImportFailed(ValueError):
    """The page (or a post) cannot be imported; the message says why and what to pass."""


def import_page(
    path: Path,
    options: Options,
    assets: Path | None = None,
    posts: tuple[Path, ...] = (),
    store_images: bool = True,
    track=None,
    pipe: images.Pipeline | None = None,
) -> tuple[Workshop, Report]:
    """Create or update the workshop the page (or the site's folder) describes (flushes; the
    caller commits)."""
    try:
        reader = read_site if path.is_dir() else read_page
        content, report = reader(path, options, track)
        workshop = content["workshops"][0]
        workshop["news"] += [read_post(post, workshop["timezone"], report) for post in posts]
    except (PageError, PostError) as exc:
        raise ImportFailed(str(exc)) from exc
    if report.counts and posts:
        report.counts["news posts"] = len(posts)
    if assets is None:
        for ref in report.images:
            ref.status = "missing: no --assets given (a placeholder is shown)"
    else:
        images.resolve(report.images, assets)
        if store_images:
            images.attach_images(content, report.images, pipe=pipe, track=track)
        else:
            for ref in report.images:
                if ref.path is not None:
                    ref.status = f"found at {ref.path} (dry run: not stored)"
    if merge.with_existing(content, options.publish) and options.publish is None:
        report.draft_reason = ""  # re-import: the workshop stays as published as it was
    _drop_bad_links(content, report)
    try:
        (loaded,) = load_site(content)
    except ContentError as exc:
        raise ImportFailed(f"{path.name}: {exc}") from exc
    return loaded, report


def _drop_bad_links(content: dict, report: Report) -> None:
    """Leave out links the organizer area would refuse (relative ones, `mailto:`, Liquid
    templates): the content format takes only full web addresses."""
    for row, name, where in web_address_fields(content):
        value = row.get(name)
        if value not in (None, "") and not (isinstance(value, str) and rules.is_http_url(value)):
            report.warn(f"{where}: {value!r} is not a full web address; left out")
            row[name] = None
