"""Workshop series, for site admins: a workshop's editions across the years.

GET /manage/series/                  every series with its editions
GET|POST /manage/series/new          a new series
GET|POST /manage/series/<series_id>  a series' name, short name and address name

Organizers put their workshop in a series on its settings page; starting a next edition puts
both editions in one (docs/organizers.md).
"""

from flask import Blueprint, abort, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from wsapp.blueprints.manage.common import EditPage, edit
from wsapp.extensions import db
from wsapp.forms.editions import SeriesForm
from wsapp.htmx import render
from wsapp.models import Series
from wsapp.permissions import admin_required

bp = Blueprint("manage_series", __name__, url_prefix="/manage/series")


@bp.get("/")
@admin_required
def index():
    series = db.session.scalars(
        select(Series).options(selectinload(Series.editions)).order_by(Series.name, Series.id)
    ).all()
    return render("manage/series.html", series=series)


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def new():
    return _edit(Series(), _("New series"))


@bp.route("/<int:series_id>", methods=["GET", "POST"])
@admin_required
def edit_series(series_id: int):
    series = db.session.get(Series, series_id) or abort(404)
    return _edit(series, _("Series"))


def _edit(series: Series, title: str):
    page = EditPage(
        form=SeriesForm(record=series),
        obj=series,
        workshop=None,
        title=title,
        validate_url=None,
        done_url=lambda saved: url_for(".index"),
        context={"describe": lambda s: s.name},
    )
    return edit(page)
