"""The organizer area: my workshops, a workshop's overview, its settings and call for papers."""

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from wsapp import audit, htmx
from wsapp.blueprints.manage.common import EditPage, edit, field_fragment
from wsapp.blueprints.manage.kinds import KINDS
from wsapp.extensions import db
from wsapp.forms.cfp import CallForPapersForm
from wsapp.forms.editions import NextEditionForm
from wsapp.forms.workshop import NewWorkshopForm, WorkshopForm
from wsapp.htmx import render
from wsapp.models import CallForPapers, Workshop
from wsapp.permissions import admin_required, organizer_required
from wsapp.services import accounts, editions, history

bp = Blueprint("manage", __name__, url_prefix="/manage")


@bp.get("/")
@login_required
def dashboard():
    return render("manage/dashboard.html", workshops=accounts.managed_workshops(current_user))


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def new_workshop():
    workshop = Workshop(is_published=False)
    page = EditPage(
        form=NewWorkshopForm(record=workshop),
        obj=workshop,
        workshop=None,
        title=_("New workshop"),
        validate_url=url_for(".new_workshop") if request.method == "POST" else None,
        done_url=lambda saved: url_for(".settings", slug=saved.slug),
    )
    return edit(page, _("Workshop created. It stays a draft until you publish it."))


@bp.get("/<slug>/")
@organizer_required
def workshop_home(workshop):
    return _home(workshop)


def _home(workshop, next_form: NextEditionForm | None = None, status: int = 200):
    counts = {key: len(kind.items(workshop)) for key, kind in KINDS.items()}
    if next_form is None:
        year = (editions.year_of(workshop) or workshop.updated_dt.year) + 1
        next_form = NextEditionForm(
            formdata=None, slug=editions.suggested_slug(workshop, year), year=year
        )
    return render(
        "manage/workshop.html",
        status=status,
        workshop=workshop,
        kinds=KINDS,
        counts=counts,
        recent=history.changes_for(workshop, limit=10),
        next_form=next_form,
        editions=editions.editions(workshop, lambda w: accounts.can_manage(current_user, w)),
    )


@bp.post("/<slug>/next-edition")
@organizer_required
def next_edition(workshop):
    """Make the workshop's next edition (a draft) and say what was copied and what was left."""
    form = NextEditionForm()
    if not form.validate_on_submit():
        return _home(workshop, form, status=422)
    try:
        with audit.recorded_by_service():
            report = editions.next_edition(
                workshop, form.slug.data, form.year.data, current_user.id
            )
    except editions.EditionError as refusal:
        db.session.rollback()
        form.form_errors.append(str(refusal))
        return _home(workshop, form, status=422)
    db.session.commit()
    _flash_report(workshop, report)
    return htmx.redirect(url_for(".workshop_home", slug=report.workshop.slug))


def _flash_report(old, report: editions.Report) -> None:
    new = report.workshop
    flash(
        _(
            "%(new)s is the next edition of %(old)s, as a draft: publish it in its settings.",
            new=new.slug,
            old=old.slug,
        ),
        "success",
    )
    copied = ", ".join(
        str(label) if count is None else f"{label} ({count})" for label, count in report.copied
    )
    flash(_("Copied: %(parts)s.", parts=copied), "success")
    left = ", ".join(str(label) for label in report.left)
    flash(_("Left with %(old)s: %(parts)s.", old=old.slug, parts=left), "success")
    if report.suggested_dates:
        dates = ", ".join(f"{label} {day.isoformat()}" for label, day in report.suggested_dates)
        flash(_("Dates a year on, to confirm (not saved): %(dates)s.", dates=dates), "success")


def _settings_form(workshop) -> WorkshopForm:
    return WorkshopForm(record=workshop, workshop=workshop, is_admin=current_user.is_admin)


@bp.route("/<slug>/settings", methods=["GET", "POST"])
@organizer_required
def settings(workshop):
    page = EditPage(
        form=_settings_form(workshop),
        obj=workshop,
        workshop=workshop,
        title=_("Workshop settings"),
        validate_url=url_for(".settings_validate", slug=workshop.slug),
        done_url=lambda saved: url_for(".settings", slug=saved.slug),
        context={"entity": "workshop"},
    )
    return edit(page)


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
    page = EditPage(
        form=CallForPapersForm(record=obj, workshop=workshop),
        obj=obj,
        workshop=workshop,
        title=_("Call for papers"),
        validate_url=url_for(".cfp_validate", slug=workshop.slug),
        done_url=lambda saved: url_for(".cfp", slug=workshop.slug),
        context={"entity": "call_for_papers"},
    )
    return edit(page)


@bp.post("/<slug>/cfp/validate")
@organizer_required
def cfp_validate(workshop):
    form = CallForPapersForm(record=_cfp(workshop), workshop=workshop)
    return field_fragment(form, workshop, url_for(".cfp_validate", slug=workshop.slug))
