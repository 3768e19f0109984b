"""The logged-in user's own account: workshops, password, e-mail address, language of mail.

GET /account/                              the account and the workshops it manages
POST /account/language                     the language of the mail the user gets
GET|POST /account/password                 change the password (the current one required)
GET|POST /account/email                    ask to change the address (mails the new one a link)
GET|POST /account/email/confirm/<token>    use that link (a button: mail scanners only GET)
"""

import datetime as dt

from flask import Blueprint, current_app, flash, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from wsapp import htmx, i18n
from wsapp.extensions import db
from wsapp.forms.auth import ChangeEmailForm, ChangePasswordForm, LanguageForm
from wsapp.forms.base import CsrfForm
from wsapp.models import TokenPurpose
from wsapp.services import account_tokens, accounts, mail, ratelimit
from wsapp.services.mail import compose, messages

bp = Blueprint("account", __name__, url_prefix="/account")


def _index(language_form=None, status=200):
    if language_form is None:
        language_form = LanguageForm(
            formdata=None, locale=current_user.locale or i18n.current().locale
        )
    return render_template(
        "account/index.html",
        workshops=accounts.managed_workshops(current_user),
        language_form=language_form,
        pending=account_tokens.pending(current_user, TokenPurpose.EMAIL_CHANGE),
        mail_on=mail.configured(),
    ), status


@bp.get("/")
@login_required
def index():
    return _index()


@bp.post("/language")
@login_required
def language():
    form = LanguageForm()
    if form.validate_on_submit():
        current_user.locale = form.locale.data
        db.session.commit()
        flash(_("Saved."), "success")
        return htmx.redirect(url_for(".index"))
    return _index(form, 422)


def _password_limits() -> list[tuple[list[ratelimit.Limit], str]]:
    """A wrong current password counts as a failed log-in (the same counters as /login)."""
    config = current_app.config
    return [
        (
            ratelimit.Limit.parse_all("login-ip", config["LOGIN_LIMIT_PER_IP"]),
            request.remote_addr or "",
        ),
        (
            ratelimit.Limit.parse_all("login-email", config["LOGIN_LIMIT_PER_EMAIL"]),
            current_user.email,
        ),
    ]


def _check_current(form) -> bool:
    """Whether the form's current password is right; a wrong one counts against the limits."""
    for limits, key in _password_limits():
        if not ratelimit.check_all(limits, key).allowed:
            form.current.errors.append(
                _("Too many failed attempts. Wait a minute, then try again.")
            )
            return False
    if not accounts.verify_password(current_user, form.current.data):
        for limits, key in _password_limits():
            ratelimit.hit_all(limits, key)
        form.current.errors.append(_("The current password is wrong."))
        return False
    return True


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    form = ChangePasswordForm()
    if form.validate_on_submit() and _check_current(form):
        user = current_user._get_current_object()
        accounts.set_password(user, form.password.data)
        if mail.configured():
            messages.password_changed(user)
        db.session.commit()
        session.clear()
        login_user(user)  # this session goes on with the new session version; others end
        flash(
            _("Your password is changed. Every other session of your account has ended."), "success"
        )
        return htmx.redirect(url_for(".index"))
    status = 422 if request.method == "POST" else 200
    return render_template("account/password.html", form=form), status


@bp.route("/email", methods=["GET", "POST"])
@login_required
def email():
    form = ChangeEmailForm()
    if not mail.configured():
        return render_template("account/email.html", form=form, mail_on=False)
    if form.validate_on_submit() and _check_current(form):
        hours = int(current_app.config["EMAIL_CHANGE_TTL_HOURS"])
        try:
            row, token = account_tokens.request_email_change(
                current_user, form.email.data, dt.timedelta(hours=hours)
            )
        except accounts.AccountError as exc:
            db.session.rollback()
            form.email.errors.append(str(exc))
        else:
            url = compose.external_url("account.confirm_email", token=token)
            messages.email_change(current_user, row.email, url, hours)
            db.session.commit()
            flash(
                _(
                    "A link is on its way to %(email)s. Your address changes when you open it.",
                    email=row.email,
                ),
                "success",
            )
            return htmx.redirect(url_for(".index"))
    status = 422 if request.method == "POST" else 200
    return render_template("account/email.html", form=form, mail_on=True), status


@bp.route("/email/confirm/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    row = account_tokens.find(token, TokenPurpose.EMAIL_CHANGE)
    if row is None:
        return _refused(_("This confirmation link is not valid."), 404)
    if not account_tokens.usable(row):
        return _refused(_("This confirmation link has expired or has already been used."))
    form = CsrfForm()
    if form.validate_on_submit():
        try:
            old = account_tokens.confirm_email_change(row)
        except accounts.AccountError as exc:
            db.session.rollback()
            return _refused(str(exc), 409)
        if mail.configured():
            messages.email_changed(row.user, old)
        db.session.commit()
        flash(_("Your e-mail address is now %(email)s.", email=row.email), "success")
        if current_user.is_authenticated and current_user.id == row.user_id:
            return htmx.redirect(url_for(".index"))
        return htmx.redirect(url_for("auth.login"))
    return render_template("account/confirm_email.html", form=form, row=row)


def _refused(reason: str, status: int = 410):
    return render_template("account/link_refused.html", reason=reason), status
