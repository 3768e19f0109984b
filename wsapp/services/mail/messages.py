"""Each message the app sends: composed in the recipient's language and queued for the worker."""

from flask_babel import gettext as _

from wsapp.models import Invitation, MailKind, OutgoingMail, User
from wsapp.services.mail import compose, outbox


def _queue(kind, recipient, message, user=None, invitation=None) -> OutgoingMail:
    record = OutgoingMail(
        kind=kind,
        recipient=recipient,
        subject=str(message["Subject"])[:300],
        user_id=user.id if user is not None else None,
        invitation_id=invitation.id if invitation is not None else None,
    )
    return outbox.queue(record, message)


def invitation(invite: Invitation, url: str, ttl_days: int) -> OutgoingMail:
    lang = compose.language(invite.locale)
    title = invite.workshop.title
    message = compose.render(
        "invitation",
        lang,
        lambda: _("Invitation to organize %(title)s", title=title),
        workshop_title=title,
        url=url,
        days=ttl_days,
        inviter=invite.invited_by.email if invite.invited_by else None,
        email=invite.email,
    )
    return _queue(MailKind.INVITATION, invite.email, message, invitation=invite)


def password_reset(user: User, url: str, ttl_minutes: int, locale: str | None) -> OutgoingMail:
    """`locale`: the language the link was asked for in, used when the user's is not known."""
    lang = compose.language(user.locale, locale)
    message = compose.render(
        "password_reset",
        lang,
        lambda: _("Reset your password"),
        url=url,
        minutes=ttl_minutes,
        email=user.email,
    )
    return _queue(MailKind.PASSWORD_RESET, user.email, message, user=user)


def email_change(user: User, new_email: str, url: str, ttl_hours: int) -> OutgoingMail:
    lang = compose.language(user.locale)
    message = compose.render(
        "email_change",
        lang,
        lambda: _("Confirm your new e-mail address"),
        url=url,
        hours=ttl_hours,
        old_email=user.email,
        new_email=new_email,
    )
    return _queue(MailKind.EMAIL_CHANGE, new_email, message, user=user)


def password_changed(user: User) -> OutgoingMail:
    lang = compose.language(user.locale)
    message = compose.render(
        "password_changed",
        lang,
        lambda: _("Your password was changed"),
        email=user.email,
        forgot_url=compose.external_url("account_password.forgot"),
    )
    return _queue(MailKind.PASSWORD_CHANGED, user.email, message, user=user)


def email_changed(user: User, old_email: str) -> OutgoingMail:
    """A notice to the old address: if someone else did this, its owner hears of it."""
    lang = compose.language(user.locale)
    message = compose.render(
        "email_changed",
        lang,
        lambda: _("Your e-mail address was changed"),
        old_email=old_email,
        new_email=user.email,
    )
    return _queue(MailKind.EMAIL_CHANGED, old_email, message, user=user)
