"""List, create, edit, delete and reorder the records of a workshop, for every kind in KINDS.

Every kind gets the same routes under /manage/<slug>/<kind key>/ (see ROUTES at the end).
"""

from flask import Blueprint, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from wsapp import htmx
from wsapp.blueprints.manage.common import EditPage, edit, field_fragment
from wsapp.blueprints.manage.kinds import KINDS
from wsapp.extensions import db
from wsapp.forms.base import CsrfForm
from wsapp.htmx import render
from wsapp.models import Document
from wsapp.models.record import MoveError
from wsapp.permissions import organizer_required
from wsapp.services import history

bp = Blueprint("manage_items", __name__, url_prefix="/manage")


def _load(kind, workshop, item_id: int):
    obj = db.session.get(kind.model, item_id)
    if obj is None or obj.workshop_id != workshop.id:
        abort(404)
    return obj


def _list_context(kind, workshop) -> dict:
    groups: dict[str, list] = {}
    for item in kind.items(workshop):
        groups.setdefault(kind.group(item, workshop), []).append(item)
    return {
        "kind": kind,
        "workshop": workshop,
        "groups": groups,
        "button": CsrfForm(),
        "describe": history.describe,
    }


@organizer_required
def index(workshop, kind: str):
    kind = KINDS[kind]
    return render("manage/list.html", block="item_list", **_list_context(kind, workshop))


def _page(kind, workshop, obj) -> EditPage:
    if obj.id is None:
        title = _("New %(kind)s", kind=kind.singular)
        validate_url = url_for(".validate_new", slug=workshop.slug, kind=kind.key)
    else:
        title = _("Edit %(kind)s", kind=kind.singular)
        validate_url = url_for(".validate", slug=workshop.slug, kind=kind.key, item_id=obj.id)
    return EditPage(
        form=kind.form(record=obj, workshop=workshop),
        obj=obj,
        workshop=workshop,
        title=title,
        validate_url=validate_url,
        done_url=lambda saved: url_for(
            ".edit", slug=workshop.slug, kind=kind.key, item_id=saved.id
        ),
        context={"kind": kind, "describe": history.describe},
    )


@organizer_required
def create(workshop, kind: str):
    kind = KINDS[kind]
    return edit(_page(kind, workshop, kind.model(workshop_id=workshop.id)))


@organizer_required
def edit_item(workshop, kind: str, item_id: int):
    kind = KINDS[kind]
    return edit(_page(kind, workshop, _load(kind, workshop, item_id)))


@organizer_required
def validate_new(workshop, kind: str):
    kind = KINDS[kind]
    form = kind.form(record=kind.model(workshop_id=workshop.id), workshop=workshop)
    return field_fragment(
        form, workshop, url_for(".validate_new", slug=workshop.slug, kind=kind.key)
    )


@organizer_required
def validate(workshop, kind: str, item_id: int):
    kind = KINDS[kind]
    form = kind.form(record=_load(kind, workshop, item_id), workshop=workshop)
    return field_fragment(
        form, workshop, url_for(".validate", slug=workshop.slug, kind=kind.key, item_id=item_id)
    )


@organizer_required
def delete(workshop, kind: str, item_id: int):
    kind = KINDS[kind]
    obj = _load(kind, workshop, item_id)
    form = CsrfForm()
    if request.method == "POST" and form.validate_on_submit():
        name = history.describe(obj)
        db.session.delete(obj)
        db.session.commit()
        flash(_("Deleted “%(name)s”. You can restore it from the history.", name=name), "success")
        return htmx.redirect(url_for(".index", slug=workshop.slug, kind=kind.key))
    return render(
        "manage/confirm_delete.html",
        kind=kind,
        obj=obj,
        workshop=workshop,
        form=form,
        name=history.describe(obj),
    )


@organizer_required
def move_item(workshop, kind: str, item_id: int):
    kind = KINDS[kind]
    if not kind.orderable:
        abort(404)
    obj = _load(kind, workshop, item_id)
    step = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if step is None:
        abort(400, _("Say which way to move: up or down."))
    try:
        obj.move_among(kind.siblings(obj, workshop), step, workshop)
    except MoveError as exc:
        db.session.rollback()
        flash(_("Cannot move “%(name)s”: %(why)s.", name=history.describe(obj), why=exc), "error")
    else:
        db.session.commit()
    if htmx.is_partial():
        return render("manage/list.html", block="item_list", **_list_context(kind, workshop))
    return htmx.redirect(url_for(".index", slug=workshop.slug, kind=kind.key) + f"#item-{obj.id}")


@organizer_required
def item_history(workshop, kind: str, item_id: int):
    kind = KINDS[kind]
    changes = history.changes_for(workshop, kind.model.__tablename__, item_id)
    obj = db.session.get(kind.model, item_id)
    if not changes and (obj is None or obj.workshop_id != workshop.id):
        abort(404)
    related = kind.model.related_history(obj, changes)
    if related:
        changes = history.changes_for(workshop, kind.model.__tablename__, item_id, related=related)
    return render(
        "manage/history.html",
        workshop=workshop,
        changes=changes,
        kind=kind,
        obj=obj,
        button=CsrfForm(),
        is_admin=current_user.is_admin,
        images=history.images_in(changes),
        documents=history.images_in(changes, Document),
        title=_("History of “%(name)s”", name=history.describe(obj) if obj else changes[0].summary),
    )


ROUTES = [
    ("/", "index", index, ["GET"]),
    ("/new", "create", create, ["GET", "POST"]),
    ("/validate", "validate_new", validate_new, ["POST"]),
    ("/<int:item_id>", "edit", edit_item, ["GET", "POST"]),
    ("/<int:item_id>/validate", "validate", validate, ["POST"]),
    ("/<int:item_id>/delete", "delete", delete, ["GET", "POST"]),
    ("/<int:item_id>/move", "move", move_item, ["POST"]),
    ("/<int:item_id>/history", "history", item_history, ["GET"]),
]
for _key, _kind in KINDS.items():
    for _path, _endpoint, _view, _methods in ROUTES:
        if _endpoint == "move" and not _kind.orderable:
            continue
        bp.add_url_rule(
            f"/<slug>/{_key}{_path}", _endpoint, _view, methods=_methods, defaults={"kind": _key}
        )
