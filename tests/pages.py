"""The public pages tests visit: the site's own, and a workshop's as its views declare them."""

from flask import url_for

from wsapp import create_app
from wsapp.blueprints.common import PUBLIC_PAGES

SITE_PAGES = ["/", "/archive", "/sitemap.xml", "/robots.txt"]


def workshop_pages(slug: str = "bugs-2023") -> list[str]:
    """The paths of every public page of a workshop (blueprints/common.py `public_page`)."""
    app = create_app({"TESTING": True, "SECRET_KEY": "paths", "DATABASE_URL": "sqlite://"})
    with app.test_request_context():
        return [url_for(page.endpoint, slug=slug) for page in PUBLIC_PAGES]


WORKSHOP_PAGES = workshop_pages()
