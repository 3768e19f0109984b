"""Calendar and conference-app exports of a workshop's schedule and important dates.

They are cached like pages (wsapp/caching.py, same content generation): calendar apps poll them
and conference apps fetch them at every start, mostly answered 304 from their ETag.
"""

from flask import Response, abort, current_app, g, url_for
from flask_babel import get_locale, gettext

from wsapp.blueprints.common import workshop_blueprint
from wsapp.caching import cached_page
from wsapp.exporters import (
    BaseExporter,
    DatesICalExporter,
    ExportContext,
    FrabJsonExporter,
    FrabXmlExporter,
    ItemICalExporter,
    ScheduleICalExporter,
)
from wsapp.services import queries

bp = workshop_blueprint("exports", __name__)


@bp.get("/schedule.ics")
@cached_page
def schedule_ics():
    return _send(ScheduleICalExporter(_context(items=True)))


@bp.get("/schedule/<int:item_id>.ics")
@cached_page
def item_ics(item_id: int):
    context = _context(items=True)
    item = next((item for item in context.items if item.id == item_id), None)
    if item is None:
        abort(404)
    return _send(ItemICalExporter(context, item))


@bp.get("/dates.ics")
@cached_page
def dates_ics():
    return _send(DatesICalExporter(_context(dates=True)))


@bp.get("/schedule.xml")
@cached_page
def schedule_xml():
    return _send(FrabXmlExporter(_context(items=True, required=True)))


@bp.get("/schedule.json")
@cached_page
def schedule_json():
    return _send(FrabJsonExporter(_context(items=True, required=True)))


def _context(items: bool = False, dates: bool = False, required: bool = False) -> ExportContext:
    workshop = g.workshop
    loaded = queries.schedule_items(workshop) if items else []
    if required and not loaded:
        abort(404, description=gettext("The schedule has not been published yet."))
    return ExportContext(
        workshop=workshop,
        items=loaded,
        dates=queries.important_dates(workshop) if dates else [],
        base_url=url_for("site.index", _external=True),
        schedule_url=url_for("schedule.index", _external=True),
        dates_url=url_for("cfp.index", _external=True, _anchor="dates"),
        locale=str(get_locale()),
        site=current_app.config["SITE_URL"],
    )


def _send(exporter: BaseExporter) -> Response:
    response = Response(exporter.get_data(), content_type=exporter.content_type)
    response.headers.set("Content-Disposition", exporter.disposition, filename=exporter.filename)
    return response
