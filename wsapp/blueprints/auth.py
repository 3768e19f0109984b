"""Logging in and out, and accepting an invitation to organize a workshop."""

from flask import Blueprint, abort, current_app, flash, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from wsapp import htmx
from wsapp.extensions import db
from wsapp.forms.auth import LoginForm, SetPasswordForm
from wsapp.forms.base import CsrfForm
from wsapp.models.users import normalize_email
from wsapp.permissions import safe_next
from wsapp.services import accounts, ratelimit
from wsapp.timezones.clock import now

bp = Blueprint("auth", __name__)


def _limits() -> list[tuple[list[ratelimit.Limit], str]]:
    """The failed-log-in limits that apply to this attempt, each with its counter key."""
    config = current_app.config
    email = normalize_email(request.form.get("email", ""))[:254]
    return [
        (
            ratelimit.Limit.parse_all("login-ip", config["LOGIN_LIMIT_PER_IP"]),
            request.remote_addr or "",
        ),
        (ratelimit.Limit.parse_all("login-email", config["LOGIN_LIMIT_PER_EMAIL"]), email),
    ]


def _too_many_attempts(retry_after: int):
    form = LoginForm(formdata=None)
    message = _("Too many failed log-in attempts. Wait a minute, then try again.")
    response = current_app.make_response(
        (render_template("auth/login.html", form=form, rate_limited=message), 429)
    )
    response.headers["Retry-After"] = str(retry_after)
    return response


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Only failed attempts count against the limits (per client address and per e-mail)."""
    limits = _limits() if request.method == "POST" else []
    for each, key in limits:
        outcome = ratelimit.check_all(each, key)
        if not outcome.allowed:
            return _too_many_attempts(outcome.retry_after)
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next"))
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            target = safe_next(form.next.data) or url_for("manage.dashboard")
            session.clear()
            login_user(user)
            db.session.commit()
            return htmx.redirect(target)
        form.password.errors.append(_("The e-mail address or the password is wrong."))
    for each, key in limits:
        ratelimit.hit_all(each, key)
    status = 422 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():
    form = CsrfForm()
    if form.validate_on_submit():
        logout_user()
        session.clear()
    return htmx.redirect(url_for("site.index"))


@bp.route("/invite/<token>", methods=["GET", "POST"])
def invitation(token: str):
    invite = accounts.invitation_for(token)
    if invite is None:
        abort(404, _("This invitation link is not valid. Ask the site admin for a new one."))
    if not invite.is_usable(now()):
        abort(
            410,
            _(
                "This invitation link has expired or has already been used. Ask the site "
                "admin for a new one."
            ),
        )
    existing = accounts.user_by_email(invite.email)
    needs_login = existing is not None and existing.password_hash is not None
    if needs_login:
        if not current_user.is_authenticated or current_user.email != invite.email:
            return render_template(
                "auth/invite.html",
                invite=invite,
                needs_login=True,
                login_url=url_for(".login", next=request.path),
            )
        form = CsrfForm()
    else:
        form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = accounts.accept(
                invite,
                None if needs_login else form.password.data,
                user=current_user if needs_login else None,
            )
        except accounts.AccountError as exc:
            db.session.rollback()
            abort(409, str(exc))
        workshop_slug = invite.workshop.slug
        db.session.commit()
        if not needs_login:
            session.clear()
            login_user(user)
        flash(_("Welcome! You can now manage this workshop."), "success")
        return htmx.redirect(url_for("manage.workshop_home", slug=workshop_slug))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "auth/invite.html", invite=invite, form=form, needs_login=needs_login
    ), status
