"""Every account, for site admins: disable, enable, send a password reset link.

GET /manage/accounts/                             every account (?q= filters by address)
POST /manage/accounts/<id>/disable                log out everywhere and refuse log-ins
POST /manage/accounts/<id>/enable
POST /manage/accounts/<id>/reset                  mail a reset link (without mail: show it once)
"""

from flask import Blueprint, abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from wsapp import htmx
from wsapp.extensions import db
from wsapp.forms.base import CsrfForm
from wsapp.models import OutgoingMail, User
from wsapp.permissions import admin_required
from wsapp.services import account_tokens, accounts, mail
from wsapp.services.mail import messages

bp = Blueprint("manage_accounts", __name__, url_prefix="/manage/accounts")


def _page(link=None, status=200):
    query = (request.args.get("q") or "").strip()[:254]
    rows = accounts.users_with_workshops()
    if query:
        rows = [(user, workshops) for user, workshops in rows if query.lower() in user.email]
    mails = mail.latest(OutgoingMail.user_id, [user.id for user, _workshops in rows])
    return render_template(
        "manage/accounts.html",
        rows=rows,
        query=query,
        mails=mails,
        button=CsrfForm(),
        link=link,
        mail_on=mail.describe(),
    ), status


def _user(user_id: int) -> User:
    if not CsrfForm().validate_on_submit():
        abort(400)
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/")
@admin_required
def index():
    return _page()


@bp.post("/<int:user_id>/disable")
@admin_required
def disable(user_id: int):
    user = _user(user_id)
    try:
        accounts.set_active(user, False, by=current_user)
    except accounts.AccountError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return htmx.redirect(url_for(".index"))
    db.session.commit()
    flash(_("%(email)s is disabled and logged out everywhere.", email=user.email), "success")
    return htmx.redirect(url_for(".index"))


@bp.post("/<int:user_id>/enable")
@admin_required
def enable(user_id: int):
    user = _user(user_id)
    accounts.set_active(user, True)
    db.session.commit()
    flash(_("%(email)s can log in again.", email=user.email), "success")
    return htmx.redirect(url_for(".index"))


@bp.post("/<int:user_id>/reset")
@admin_required
def reset(user_id: int):
    user = _user(user_id)
    if not user.is_active:
        flash(
            _("Enable %(email)s first: a disabled account cannot log in.", email=user.email),
            "error",
        )
        return htmx.redirect(url_for(".index"))
    url, minutes = account_tokens.reset_link(user)
    if mail.configured():
        messages.password_reset(user, url, minutes, None)
        db.session.commit()
        flash(_("A password reset link is on its way to %(email)s.", email=user.email), "success")
        return htmx.redirect(url_for(".index"))
    db.session.commit()
    # Without mail the link is shown once, now, to pass on; only its hash is stored.
    return _page(link={"url": url, "email": user.email, "minutes": minutes})
