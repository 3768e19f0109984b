"""What the workshop-scoped blueprints share: the slug in every URL, the loaded workshop, and
the list of a workshop's public pages that their views declare."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, g
from flask_login import current_user

from wsapp.services import queries
from wsapp.services.accounts import can_manage


def workshop_blueprint(
    name: str, import_name: str, load: Callable[[str], Any] = queries.workshop
) -> Blueprint:
    """A blueprint under /<slug>/ that loads the workshop into g.workshop (with `load`, which
    may fetch what the blueprint's views need in the same query).

    The public gets 404 for a draft; its organizers and site admins see it, under a banner.
    Cached pages never get here on a hit: wsapp.caching answers them in front of Flask.
    """
    bp = Blueprint(name, import_name, url_prefix="/<slug>")

    @bp.url_value_preprocessor
    def _load_workshop(endpoint, values):
        g.slug = values.pop("slug")
        workshop = load(g.slug)
        if workshop is None or (
            not workshop.is_published and not can_manage(current_user, workshop)
        ):
            abort(404)
        g.workshop = workshop

    @bp.url_defaults
    def _add_slug(endpoint, values):
        if "slug" not in values:
            current = g.get("workshop")
            slug = current.slug if current is not None else g.get("slug")
            if slug is not None:
                values["slug"] = slug

    return bp


@dataclass(frozen=True)
class PublicPage:
    endpoint: str
    label: Any  # lazily translated, for the navigation
    order: int
    shown: Callable[[Any], bool] | None = None  # only for workshops that have something to show


PUBLIC_PAGES: list[PublicPage] = []


def public_page(bp: Blueprint, label, order: int, shown: Callable[[Any], bool] | None = None):
    """Declare a view one of a workshop's public pages.

    The navigation, the sitemap, the frozen copy and the tests list the pages from here, so a new
    page is one decorated view and its template.
    """

    def mark(view):
        PUBLIC_PAGES.append(PublicPage(f"{bp.name}.{view.__name__}", label, order, shown))
        PUBLIC_PAGES.sort(key=lambda page: page.order)
        return view

    return mark


def workshop_pages(workshop) -> list[PublicPage]:
    """The public pages this workshop shows, in navigation order."""
    return [page for page in PUBLIC_PAGES if page.shown is None or page.shown(workshop)]
