"""The organizer area: my workshops, a workshop's overview, its settings and call for papers.

GET /manage/                         dashboard: the workshops I manage
GET|POST /manage/new                 a new workshop (site admins)
GET /manage/<slug>/                  the workshop's overview
GET|POST /manage/<slug>/settings     the workshop itself       POST .../settings/validate
GET|POST /manage/<slug>/cfp          the call for papers       POST .../cfp/validate
"""

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from wsapp import htmx
from wsapp.blueprints.manage.common import conflict_message, field_fragment, form_page, save_form
from wsapp.blueprints.manage.kinds import KINDS
from wsapp.extensions import db
from wsapp.forms.cfp import CallForPapersForm
from wsapp.forms.workshop import NewWorkshopForm, WorkshopForm
from wsapp.htmx import render
from wsapp.models import CallForPapers, Workshop
from wsapp.permissions import admin_required, login_required, organizer_required
from wsapp.services import accounts, history

bp = Blueprint("manage", __name__, url_prefix="/manage")


@bp.get("/")
@login_required
def dashboard():
    return render("manage/dashboard.html", workshops=accounts.managed_workshops(current_user))


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def new_workshop():
    form = NewWorkshopForm()
    workshop = Workshop(is_published=False)
    if request.method == "POST":
        if save_form(form, workshop, workshop, is_new=True) is None:
            flash(_("Workshop created. It stays a draft until you publish it."), "success")
            return htmx.redirect(url_for(".settings", slug=workshop.slug))
        return form_page(form, _("New workshop"), None, url_for(".new_workshop"), status=422)
    return form_page(form, _("New workshop"), None, None)


@bp.get("/<slug>/")
@organizer_required
def workshop_home(workshop):
    counts = {key: len(kind.items(workshop)) for key, kind in KINDS.items()}
    return render(
        "manage/workshop.html",
        workshop=workshop,
        kinds=KINDS,
        counts=counts,
        recent=history.changes_for(workshop, limit=10),
    )


def _settings_form(workshop, formdata=True):
    kwargs = {"workshop_id": workshop.id, "is_admin": current_user.is_admin}
    form = WorkshopForm(**kwargs) if formdata else WorkshopForm(formdata=None, **kwargs)
    form.init_kwargs = kwargs
    return form


@bp.route("/<slug>/settings", methods=["GET", "POST"])
@organizer_required
def settings(workshop):
    form = _settings_form(workshop)
    validate_url = url_for(".settings_validate", slug=workshop.slug)
    title = _("Workshop settings")
    if request.method == "GET":
        form.fill(workshop, workshop)
        form.version.data = str(workshop.version)
        return form_page(form, title, workshop, validate_url, entity="workshop", obj=workshop)
    outcome = save_form(form, workshop, workshop, is_new=False)
    if outcome is None:
        flash(_("Saved."), "success")
        return htmx.redirect(url_for(".settings", slug=workshop.slug))
    if outcome == "conflict":
        flash(conflict_message(), "error")
    status = 409 if outcome == "conflict" else 422
    return form_page(
        form,
        title,
        workshop,
        validate_url,
        status=status,
        entity="workshop",
        obj=db.session.get(Workshop, workshop.id),
    )


@bp.post("/<slug>/settings/validate")
@organizer_required
def settings_validate(workshop):
    return field_fragment(
        _settings_form(workshop), workshop, url_for(".settings_validate", slug=workshop.slug)
    )


def _cfp(workshop) -> CallForPapers:
    cfp = db.session.scalar(select(CallForPapers).where(CallForPapers.workshop_id == workshop.id))
    return cfp or CallForPapers(workshop_id=workshop.id, topics=[], review_criteria=[])


@bp.route("/<slug>/cfp", methods=["GET", "POST"])
@organizer_required
def cfp(workshop):
    obj = _cfp(workshop)
    form = CallForPapersForm()
    form.init_kwargs = {}
    validate_url = url_for(".cfp_validate", slug=workshop.slug)
    title = _("Call for papers")
    if request.method == "GET":
        form.fill(obj, workshop)
        form.version.data = str(obj.version or "")
        return form_page(form, title, workshop, validate_url, entity="call_for_papers", obj=obj)
    outcome = save_form(form, obj, workshop, is_new=obj.id is None)
    if outcome is None:
        flash(_("Saved."), "success")
        return htmx.redirect(url_for(".cfp", slug=workshop.slug))
    if outcome == "conflict":
        flash(conflict_message(), "error")
    status = 409 if outcome == "conflict" else 422
    return form_page(
        form,
        title,
        workshop,
        validate_url,
        status=status,
        entity="call_for_papers",
        obj=_cfp(workshop),
    )


@bp.post("/<slug>/cfp/validate")
@organizer_required
def cfp_validate(workshop):
    form = CallForPapersForm()
    return field_fragment(form, workshop, url_for(".cfp_validate", slug=workshop.slug))
