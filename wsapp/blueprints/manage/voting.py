"""Organizer settings for voting: who may vote, award categories, windows, opening, publishing."""

from flask import Blueprint, abort, flash, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from wsapp import htmx
from wsapp.extensions import db
from wsapp.forms.base import CsrfForm
from wsapp.forms.voting_admin import (
    CategoryForm,
    CodesForm,
    ModeForm,
    PublishForm,
    StateForm,
    WindowForm,
)
from wsapp.htmx import render
from wsapp.models import AwardCategory, ManualState, Presentation, VotingMode
from wsapp.permissions import organizer_required
from wsapp.rules import db_int
from wsapp.services.voting import admin as voting_admin
from wsapp.services.voting import codes as ballot_codes
from wsapp.services.voting import results
from wsapp.services.voting import votes as voting
from wsapp.timezones.clock import now
from wsapp.timezones.formats import utc_to_local_naive

bp = Blueprint("manage_voting", __name__, url_prefix="/manage")


def _window_form(workshop, cat, formdata=None) -> WindowForm:
    if formdata is not None:
        return WindowForm(prefix=f"w{cat.id}")
    form = WindowForm(formdata=None, prefix=f"w{cat.id}")
    form.opens.data = utc_to_local_naive(cat.opens_dt, workshop.timezone)
    form.closes.data = utc_to_local_naive(cat.closes_dt, workshop.timezone)
    return form


def settings_page(
    workshop, status=200, mode_form=None, category_form=None, window=None, codes_form=None
):
    """The settings page; a refused form is shown again with its input and errors."""
    cats = voting.categories(workshop)
    windows = {c.id: _window_form(workshop, c) for c in cats}
    if window is not None:
        windows[window[0]] = window[1]
    if mode_form is None:
        mode_form = ModeForm(formdata=None, mode=voting.voting_mode(workshop).value)
    instant = now()
    totals = {t.category.id: t.total for t in results.tallies(workshop)}
    return render(
        "manage/voting.html",
        status=status,
        workshop=workshop,
        title=_("Voting"),
        categories=cats,
        status_of={c.id: c.status(instant) for c in cats},
        totals=totals,
        windows=windows,
        mode_form=mode_form,
        button=CsrfForm(),
        category_form=category_form or CategoryForm(formdata=None),
        codes_form=codes_form or CodesForm(formdata=None),
        issued=ballot_codes.issued_count(workshop),
        batch=(request.args.get("first", type=db_int), request.args.get("last", type=db_int)),
    )


def _back(workshop, anchor=None):
    return htmx.redirect(url_for(".index", slug=workshop.slug, _anchor=anchor))


def _category(workshop, category_id: int):
    cat = db.session.get(AwardCategory, category_id)
    if cat is None or cat.workshop_id != workshop.id:
        abort(404)
    return cat


@bp.get("/<slug>/voting/")
@organizer_required
def index(workshop):
    return settings_page(workshop)


@bp.post("/<slug>/voting/mode")
@organizer_required
def mode(workshop):
    form = ModeForm()
    if not form.validate_on_submit():
        return settings_page(workshop, 422, mode_form=form)
    voting_admin.set_mode(workshop, VotingMode(form.mode.data))
    db.session.commit()
    flash(_("Saved: who may vote."), "success")
    return _back(workshop, "mode")


@bp.post("/<slug>/voting/defaults")
@organizer_required
def defaults(workshop):
    if not CsrfForm().validate_on_submit():
        abort(400)
    voting_admin.ensure_default_categories(workshop)
    try:
        db.session.commit()
    except IntegrityError:  # someone else added them at the same moment: they are there
        db.session.rollback()
    flash(_("Best oral and best poster are set up. Set their voting windows below."), "success")
    return _back(workshop, "categories")


@bp.post("/<slug>/voting/categories")
@organizer_required
def add_category(workshop):
    form = CategoryForm(workshop=workshop)
    if not form.validate_on_submit():
        return settings_page(workshop, 422, category_form=form)
    kind = Presentation(form.presentation.data) if form.presentation.data else None
    cat = voting_admin.add_category(workshop, form.slug.data, form.name.data, kind)
    try:
        db.session.commit()
    except IntegrityError:  # the same address name, added at the same moment by someone else
        db.session.rollback()
        form.slug.errors.append(_("Another category already uses this address name."))
        return settings_page(workshop, 422, category_form=form)
    flash(_("“%(name)s” added. Set its voting window below.", name=cat.name), "success")
    return _back(workshop, f"category-{cat.id}")


@bp.post("/<slug>/voting/categories/<int:category_id>/window")
@organizer_required
def window(workshop, category_id: int):
    cat = _category(workshop, category_id)
    form = _window_form(workshop, cat, formdata=request.form)
    span = form.window(workshop.timezone) if form.validate_on_submit() else None
    if span is None:
        flash(_("The window of “%(name)s” was not saved; see below.", name=cat.name), "error")
        return settings_page(workshop, 422, window=(cat.id, form))
    voting_admin.set_window(cat, *span)
    db.session.commit()
    flash(_("Saved the voting window of “%(name)s”.", name=cat.name), "success")
    return _back(workshop, f"category-{cat.id}")


def _state_message(cat) -> str:
    if cat.manual_state == ManualState.OPEN:
        return _("“%(name)s” is open now, whatever its times say.", name=cat.name)
    if cat.manual_state == ManualState.CLOSED:
        return _("“%(name)s” is closed now, whatever its times say.", name=cat.name)
    return _("“%(name)s” opens and closes at its times.", name=cat.name)


@bp.post("/<slug>/voting/categories/<int:category_id>/state")
@organizer_required
def state(workshop, category_id: int):
    cat = _category(workshop, category_id)
    form = StateForm()
    if not form.validate_on_submit():
        abort(400, _("Choose open, closed or automatic."))
    voting_admin.set_manual_state(cat, ManualState(form.state.data))
    db.session.commit()
    flash(_state_message(cat), "success")
    return _back(workshop, f"category-{cat.id}")


@bp.post("/<slug>/voting/categories/<int:category_id>/publish")
@organizer_required
def publish(workshop, category_id: int):
    cat = _category(workshop, category_id)
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400, _("Choose to publish or to withdraw the results."))
    voting_admin.publish_results(cat, form.published.data == "1")
    db.session.commit()
    if cat.results_published:
        flash(
            _(
                "The results of “%(name)s” are public; its winners show on the home page.",
                name=cat.name,
            ),
            "success",
        )
    else:
        flash(_("The results of “%(name)s” are private again.", name=cat.name), "success")
    return _back(workshop, f"category-{cat.id}")
