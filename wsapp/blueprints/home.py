"""A workshop edition's home page."""

from flask import g

from wsapp.blueprints.common import workshop_blueprint
from wsapp.caching import cached_page
from wsapp.htmx import render
from wsapp.models.types import utcnow
from wsapp.services import queries

bp = workshop_blueprint("home", __name__)


@bp.get("/")
@cached_page
def index():
    return render_home(g.workshop)


def render_home(workshop):
    """The home page; "/" renders it for the featured edition too."""
    return render(
        "home/index.html",
        workshop=workshop,
        announcements=queries.active_announcements(workshop, utcnow()),
        news=queries.news_posts(workshop, limit=3),
        dates=queries.important_dates(workshop),
        sponsors=queries.sponsors(workshop),
    )
