"""A workshop's change log, restoring earlier versions, and the Markdown preview."""

from flask import Blueprint, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape

from wsapp import audit, htmx
from wsapp.blueprints.manage.kinds import ENTITY_KINDS
from wsapp.extensions import db
from wsapp.forms.base import CsrfForm
from wsapp.htmx import render
from wsapp.models import Change, Document
from wsapp.permissions import organizer_required
from wsapp.rules import db_int
from wsapp.services import history
from wsapp.services.richtext import render_markdown

bp = Blueprint("manage_history", __name__, url_prefix="/manage")
PAGE = 100


@bp.get("/<slug>/history")
@organizer_required
def index(workshop):
    before = request.args.get("before", type=db_int)
    changes = history.changes_for(workshop, limit=PAGE + 1, before_id=before)
    more = changes[PAGE].id + 1 if len(changes) > PAGE else None
    return render(
        "manage/history.html",
        workshop=workshop,
        changes=changes[:PAGE],
        more=more,
        deleted=history.recently_deleted(workshop),
        button=CsrfForm(),
        images=history.images_in(changes),
        documents=history.images_in(changes, Document),
        title=_("History"),
        kinds=ENTITY_KINDS,
    )


@bp.post("/<slug>/history/<int:change_id>/restore")
@organizer_required
def restore(workshop, change_id: int):
    if not CsrfForm().validate_on_submit():
        abort(400)
    change = db.session.get(Change, change_id)
    if change is None or change.workshop_id != workshop.id:
        abort(404)
    try:
        with audit.recorded_as(audit.Action.RESTORE):
            obj = history.restore(change, as_admin=current_user.is_admin)
            db.session.commit()
    except history.RestoreError as exc:
        db.session.rollback()
        flash(_("Could not restore “%(name)s”: %(why)s.", name=change.summary, why=exc), "error")
        return htmx.redirect(url_for(".index", slug=workshop.slug))
    flash(_("Restored “%(name)s”.", name=history.describe(obj)), "success")
    kind = ENTITY_KINDS.get(change.entity)
    if kind is not None:
        target = url_for("manage_items.edit", slug=workshop.slug, kind=kind.key, item_id=obj.id)
    elif change.entity == "workshop":
        target = url_for("manage.settings", slug=obj.slug)
    elif change.entity == "call_for_papers":
        target = url_for("manage.cfp", slug=workshop.slug)
    else:
        target = url_for(".index", slug=workshop.slug)
    return htmx.redirect(target)


@bp.post("/<slug>/preview")
@organizer_required
def preview(workshop):
    name = request.form.get("_field", "")
    text = request.form.get(name, "") if name else ""
    html = (
        render_markdown(text, top=2)
        if text.strip()
        else Markup(f'<p class="muted">{escape(_("Nothing to preview yet."))}</p>')
    )
    return html
