"""Who manages a workshop: its organizers and pending invitations (site admins invite)."""

from flask import Blueprint, abort, current_app, flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from wsapp import htmx, i18n
from wsapp.extensions import db
from wsapp.forms.auth import InviteForm
from wsapp.forms.base import CsrfForm
from wsapp.models import Invitation, OutgoingMail, WorkshopOrganizer
from wsapp.permissions import organizer_required
from wsapp.services import accounts, mail
from wsapp.services.mail import compose, messages

bp = Blueprint("manage_access", __name__, url_prefix="/manage")


def _page(workshop, form=None, link=None, status=200):
    if form is None:
        default = i18n.language(workshop.default_locale) or i18n.DEFAULT
        form = InviteForm(formdata=None, locale=default.locale)
    invitations = accounts.pending_invitations(workshop)
    return render_template(
        "manage/access.html",
        workshop=workshop,
        form=form,
        button=CsrfForm(),
        members=accounts.organizers(workshop),
        invitations=invitations,
        mails=mail.latest(OutgoingMail.invitation_id, [i.id for i in invitations]),
        mail_on=mail.describe(),
        link=link,
        is_admin=current_user.is_admin,
    ), status


def _deliver(workshop, invitation: Invitation, token: str, ttl: int):
    """Mail the invitation when mail is configured; otherwise show its link, once, now."""
    if mail.configured():
        link = compose.external_url("auth.invitation", token=token)
        messages.invitation(invitation, link, ttl)
        db.session.commit()
        flash(_("The invitation is on its way to %(email)s.", email=invitation.email), "success")
        return htmx.redirect(url_for(".index", slug=workshop.slug))
    db.session.commit()
    link = url_for("auth.invitation", token=token, _external=True)
    # The link is shown once, now; only its hash is stored.
    return _page(
        workshop, link={"url": link, "email": invitation.email, "expires": invitation.expires_dt}
    )


def _admin_only():
    if not current_user.is_admin:
        abort(403, _("Only site admins can change who manages a workshop."))


@bp.get("/<slug>/access")
@organizer_required
def index(workshop):
    return _page(workshop)


@bp.post("/<slug>/access/invite")
@organizer_required
def invite(workshop):
    _admin_only()
    form = InviteForm()
    if not form.validate_on_submit():
        return _page(workshop, form, status=422)
    ttl = int(current_app.config["INVITATION_TTL_DAYS"])
    locale = form.locale.data or (i18n.language(workshop.default_locale) or i18n.DEFAULT).locale
    invitation, token = accounts.invite(form.email.data, workshop, current_user, ttl, locale)
    return _deliver(workshop, invitation, token, ttl)


@bp.post("/<slug>/access/invitations/<int:invitation_id>/renew")
@organizer_required
def renew(workshop, invitation_id: int):
    """A new link for a pending invitation (after a failed mail, or a lost link)."""
    _admin_only()
    if not CsrfForm().validate_on_submit():
        abort(400)
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.workshop_id != workshop.id or invitation.used_dt:
        abort(404)
    ttl = int(current_app.config["INVITATION_TTL_DAYS"])
    token = accounts.renew(invitation, ttl)
    return _deliver(workshop, invitation, token, ttl)


@bp.post("/<slug>/access/invitations/<int:invitation_id>/revoke")
@organizer_required
def revoke(workshop, invitation_id: int):
    _admin_only()
    if not CsrfForm().validate_on_submit():
        abort(400)
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.workshop_id != workshop.id:
        abort(404)
    db.session.delete(invitation)
    db.session.commit()
    flash(_("Invitation for %(email)s revoked.", email=invitation.email), "success")
    return htmx.redirect(url_for(".index", slug=workshop.slug))


@bp.post("/<slug>/access/members/<int:member_id>/remove")
@organizer_required
def remove(workshop, member_id: int):
    _admin_only()
    if not CsrfForm().validate_on_submit():
        abort(400)
    member = db.session.get(WorkshopOrganizer, member_id)
    if member is None or member.workshop_id != workshop.id:
        abort(404)
    email = member.user.email
    db.session.delete(member)
    db.session.commit()
    flash(_("%(email)s no longer manages this workshop.", email=email), "success")
    return htmx.redirect(url_for(".index", slug=workshop.slug))
