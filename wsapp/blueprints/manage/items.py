"""List, create, edit, delete and reorder the records of a workshop, for every kind in KINDS.

Routes per kind (e.g. kind "sponsors"), all under /manage/<slug>/sponsors:
  GET /               list              GET|POST /new              create
  GET|POST /<id>      edit              GET|POST /<id>/delete      confirm, then delete
  POST /<id>/move     up or down        POST /validate, /<id>/validate   one field (htmx)
  GET /<id>/history   the record's changes
"""

from flask import Blueprint, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from wsapp import htmx
from wsapp.blueprints.manage.common import conflict_message, field_fragment, form_page, save_form
from wsapp.blueprints.manage.kinds import KINDS
from wsapp.extensions import db
from wsapp.forms.base import CsrfForm
from wsapp.htmx import render
from wsapp.models import Role
from wsapp.permissions import organizer_required
from wsapp.services import history
from wsapp.services.editing import MoveError, move, move_schedule_item, next_sort_order

bp = Blueprint("manage_items", __name__, url_prefix="/manage")


def _load(kind, workshop, item_id: int):
    obj = db.session.get(kind.model, item_id)
    if obj is None or obj.workshop_id != workshop.id:
        abort(404)
    return obj


def _form(kind, obj, workshop, formdata=True):
    kwargs = kind.form_kwargs(obj, workshop)
    form = kind.form(**kwargs) if formdata else kind.form(formdata=None, **kwargs)
    form.init_kwargs = kwargs
    return form


def _list_context(kind, workshop) -> dict:
    items = kind.items(workshop)
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(kind.group(item, workshop) if kind.group else "", []).append(item)
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


@organizer_required
def create(workshop, kind: str):
    kind = KINDS[kind]
    obj = kind.model(workshop_id=workshop.id)
    form = _form(kind, obj, workshop)
    if request.method == "GET":
        return _page(kind, form, workshop, None)
    outcome = save_form(form, obj, workshop, is_new=True, prepare=_prepare_new(kind, workshop))
    if outcome is None:
        flash(_("Saved."), "success")
        return htmx.redirect(url_for(".edit", slug=workshop.slug, kind=kind.key, item_id=obj.id))
    return _page(kind, form, workshop, None, status=422)


def _prepare_new(kind, workshop):
    def prepare(obj):
        if hasattr(obj, "sort_order"):
            obj.sort_order = next_sort_order(kind.model, workshop.id)

    return prepare


@organizer_required
def edit(workshop, kind: str, item_id: int):
    kind = KINDS[kind]
    obj = _load(kind, workshop, item_id)
    form = _form(kind, obj, workshop)
    if request.method == "GET":
        form.fill(obj, workshop)
        form.version.data = str(obj.version)
        return _page(kind, form, workshop, obj)
    outcome = save_form(form, obj, workshop, is_new=False)
    if outcome is None:
        flash(_("Saved."), "success")
        return htmx.redirect(url_for(".edit", slug=workshop.slug, kind=kind.key, item_id=obj.id))
    if outcome == "conflict":
        flash(conflict_message(), "error")
        return _page(kind, form, workshop, obj, status=409)
    return _page(kind, form, workshop, db.session.get(kind.model, item_id), status=422)


def _page(kind, form, workshop, obj, status=200):
    if obj is None:
        title = _("New %(kind)s", kind=kind.singular)
        validate_url = url_for(".validate_new", slug=workshop.slug, kind=kind.key)
    else:
        title = _("Edit %(kind)s", kind=kind.singular)
        validate_url = url_for(".validate", slug=workshop.slug, kind=kind.key, item_id=obj.id)
    return form_page(
        form,
        title,
        workshop,
        validate_url,
        status=status,
        kind=kind,
        obj=obj,
        describe=history.describe,
    )


@organizer_required
def validate_new(workshop, kind: str):
    kind = KINDS[kind]
    form = _form(kind, kind.model(workshop_id=workshop.id), workshop)
    return field_fragment(
        form, workshop, url_for(".validate_new", slug=workshop.slug, kind=kind.key)
    )


@organizer_required
def validate(workshop, kind: str, item_id: int):
    kind = KINDS[kind]
    form = _form(kind, _load(kind, workshop, item_id), workshop)
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
        if kind.key == "schedule":
            move_schedule_item(obj, kind.siblings(obj, workshop), workshop.timezone, step)
        else:
            move(obj, kind.siblings(obj, workshop), step)
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
    if kind.model is Role:  # the person's name, homepage and photo are edited on this form
        related = history.people_of_role(obj, changes)
        changes = history.changes_for(workshop, "role", item_id, related=related)
    return render(
        "manage/history.html",
        workshop=workshop,
        changes=changes,
        kind=kind,
        obj=obj,
        button=CsrfForm(),
        is_admin=current_user.is_admin,
        images=history.images_in(changes),
        title=_("History of “%(name)s”", name=history.describe(obj) if obj else changes[0].summary),
    )


ROUTES = [
    ("/", "index", index, ["GET"]),
    ("/new", "create", create, ["GET", "POST"]),
    ("/validate", "validate_new", validate_new, ["POST"]),
    ("/<int:item_id>", "edit", edit, ["GET", "POST"]),
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
