"""Who manages a workshop: its organizers and pending invitations (site admins invite)."""

from flask import Blueprint, abort, current_app, flash, render_template, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user

from wsapp import htmx
from wsapp.extensions import db
from wsapp.forms.auth import InviteForm
from wsapp.forms.base import CsrfForm
from wsapp.models import Invitation, WorkshopOrganizer
from wsapp.permissions import organizer_required
from wsapp.services import accounts, mail

bp = Blueprint("manage_access", __name__, url_prefix="/manage")


def _page(workshop, form=None, link=None, status=200):
    return render_template(
        "manage/access.html",
        workshop=workshop,
        form=form or InviteForm(formdata=None),
        button=CsrfForm(),
        members=accounts.organizers(workshop),
        invitations=accounts.pending_invitations(workshop),
        link=link,
        is_admin=current_user.is_admin,
    ), status


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
    invitation, token = accounts.invite(form.email.data, workshop, current_user, ttl)
    db.session.commit()
    link = url_for("auth.invitation", token=token, _external=True)
    sent = mail.send_invitation(
        invitation.email, link, workshop.title, format_datetime(invitation.expires_dt)
    )
    if sent:
        flash(_("The invitation was sent to %(email)s.", email=invitation.email), "success")
    # The link is shown once, now; only its hash is stored.
    return _page(
        workshop, link={"url": link, "email": invitation.email, "expires": invitation.expires_dt}
    )


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
