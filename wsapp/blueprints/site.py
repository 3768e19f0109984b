"""Site-wide pages: the current edition at /, the archive, sitemap and robots."""

from flask import Blueprint, Response, g, render_template, url_for

from wsapp.blueprints.common import workshop_pages
from wsapp.blueprints.home import render_home
from wsapp.caching import cached_page
from wsapp.services import editions, queries
from wsapp.services.papers import listing

bp = Blueprint("site", __name__)


@bp.get("/")
@cached_page
def index():
    workshop = queries.featured_workshop()
    if workshop is None:
        return render_template("site/empty.html")
    g.workshop = workshop
    return render_home(workshop)


@bp.get("/archive")
@cached_page
def archive():
    groups = editions.grouped(queries.published_workshops())
    return render_template("site/archive.html", groups=groups)


@bp.get("/sitemap.xml")
@cached_page
def sitemap():
    urls = [url_for("site.index", _external=True), url_for("site.archive", _external=True)]
    for workshop in queries.published_workshops():
        urls += [
            url_for(page.endpoint, slug=workshop.slug, _external=True)
            for page in workshop_pages(workshop)
        ]
        urls += [
            url_for("news.post", slug=workshop.slug, post=post.slug, _external=True)
            for post in queries.news_posts(workshop)
        ]
        urls += [
            url_for("papers.paper", slug=workshop.slug, paper_id=paper_id, _external=True)
            for paper_id in listing.paper_ids(workshop)
        ]
    body = render_template("site/sitemap.xml", urls=urls)
    return Response(body, mimetype="application/xml")


@bp.get("/robots.txt")
def robots():
    body = f"User-agent: *\nAllow: /\nSitemap: {url_for('site.sitemap', _external=True)}\n"
    return Response(body, mimetype="text/plain")
