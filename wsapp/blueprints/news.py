"""News posts of a workshop edition."""

from flask import abort, g
from flask_babel import lazy_gettext as _l

from wsapp.blueprints.common import public_page, workshop_blueprint
from wsapp.caching import cached_page
from wsapp.htmx import render
from wsapp.services import queries

bp = workshop_blueprint("news", __name__)


@bp.get("/news")
@public_page(bp, _l("News"), 60)
@cached_page
def index():
    return render("news/index.html", workshop=g.workshop, posts=queries.news_posts(g.workshop))


@bp.get("/news/<post>")
@cached_page
def post(post: str):
    found = queries.news_post(g.workshop, post)
    if found is None:
        abort(404)
    return render("news/post.html", workshop=g.workshop, post=found)
