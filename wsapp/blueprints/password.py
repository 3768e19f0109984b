"""A forgotten password: ask for a link by e-mail, then choose a new password with it.

GET|POST /password/forgot         ask for a link (the answer never tells if the account exists)
GET /password/forgot/sent         "if the address has an account, a link is on its way"
GET|POST /password/reset/<token>  choose a new password (single use; ends every other session)
"""

from flask import Blueprint, current_app, flash, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user

from wsapp import htmx, i18n
from wsapp.extensions import db
from wsapp.forms.auth import ForgotPasswordForm, SetPasswordForm
from wsapp.models import TokenPurpose
from wsapp.models.users import normalize_email
from wsapp.services import account_tokens, accounts, mail, ratelimit
from wsapp.services.mail import compose, outbox

bp = Blueprint("account_password", __name__, url_prefix="/password")


def _limits() -> tuple[list[ratelimit.Limit], list[ratelimit.Limit]]:
    """Requests per client address, and per e-mail address asked about."""
    config = current_app.config
    return (
        ratelimit.Limit.parse_all("reset-ip", config["PASSWORD_RESET_LIMIT_PER_IP"]),
        ratelimit.Limit.parse_all("reset-account", config["PASSWORD_RESET_LIMIT_PER_ACCOUNT"]),
    )


def _forgot_page(form, status=200, rate_limited=None):
    return render_template(
        "auth/forgot.html", form=form, mail_on=mail.configured(), rate_limited=rate_limited
    ), status


@bp.route("/forgot", methods=["GET", "POST"])
def forgot():
    form = ForgotPasswordForm()
    if not mail.configured() or not form.validate_on_submit():
        return _forgot_page(form, 422 if request.method == "POST" and mail.configured() else 200)
    email = normalize_email(form.email.data)
    per_ip, per_account = _limits()
    address = request.remote_addr or ""
    outcome = ratelimit.check_all(per_ip, address)
    if not outcome.allowed:
        message = _("Too many requests from your network. Wait a while, then try again.")
        response = current_app.make_response(_forgot_page(form, 429, message))
        response.headers["Retry-After"] = str(outcome.retry_after)
        return response
    ratelimit.hit_all(per_ip, address)
    # Counted for every address, known or not, and past the limit nothing is sent. Whether the
    # address has an account is looked up after the answer, by the mail worker: the answer is
    # the same page, and takes the same time, either way.
    allowed = ratelimit.check_all(per_account, email).allowed
    ratelimit.hit_all(per_account, email)
    if allowed:
        outbox.later(
            account_tokens.mail_reset_link, email, i18n.current().locale, compose.site_url()
        )
    return htmx.redirect(url_for(".sent"))


@bp.get("/forgot/sent")
def sent():
    minutes = int(current_app.config["PASSWORD_RESET_TTL_MINUTES"])
    return render_template("auth/forgot_sent.html", minutes=minutes)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    row = account_tokens.find(token, TokenPurpose.PASSWORD_RESET)
    if row is None:
        return _refused(_("This password reset link is not valid."), 404)
    if not account_tokens.usable(row):
        return _refused(_("This password reset link has expired or has already been used."))
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = account_tokens.reset_password(row, form.password.data)
        except accounts.AccountError as exc:
            db.session.rollback()
            return _refused(str(exc))
        db.session.commit()
        session.clear()
        login_user(user)
        flash(
            _("Your new password is set. Every other session of your account has ended."), "success"
        )
        return htmx.redirect(url_for("manage.dashboard"))
    status = 422 if request.method == "POST" else 200
    return render_template("auth/reset.html", form=form, email=row.user.email), status


def _refused(reason: str, status: int = 410):
    return render_template("auth/reset_refused.html", reason=reason), status
