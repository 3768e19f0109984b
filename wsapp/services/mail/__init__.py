"""The one place where the app sends e-mail: invitations, password resets, address changes.

Configured by WSAPP_MAIL_URL (see settings.py) and WSAPP_MAIL_FROM. Without them nothing is
mailed: an admin passes links on by hand (the access and accounts pages show them once), and
the pages say which of the two is in force. Messages are composed in the recipient's language
(compose.py), sent after the commit by a worker thread (outbox.py) through smtplib
(transport.py), and what became of each is an `OutgoingMail` row (messages.py makes them).
"""

from flask import Flask, current_app
from sqlalchemy import func, select

from wsapp.extensions import db
from wsapp.models import OutgoingMail
from wsapp.services.mail.outbox import Dispatcher, dispatcher
from wsapp.services.mail.settings import MailConfigError, MailSettings

__all__ = ["MailConfigError", "MailSettings", "configured", "describe", "init_app", "wait"]


def configured() -> bool:
    return bool(current_app.config.get("MAIL_URL"))


def describe() -> str | None:
    """Where mail goes ("smtp.example.org:587 (STARTTLS)"), or None when it is not configured."""
    if not configured():
        return None
    return MailSettings.parse(current_app.config["MAIL_URL"]).describe()


def sender() -> str:
    return current_app.config["MAIL_FROM"]


def wait(timeout: float = 30) -> bool:
    """Wait until this process has sent (or given up on) everything committed so far."""
    return dispatcher(current_app).wait(timeout)


def latest(column, ids) -> dict[int, OutgoingMail]:
    """The last mail for each of `ids` of `column` (OutgoingMail.invitation_id or .user_id)."""
    ids = [i for i in ids if i is not None]
    if not ids:
        return {}
    newest = (
        select(func.max(OutgoingMail.id)).where(column.in_(ids)).group_by(column).scalar_subquery()
    )
    rows = db.session.scalars(select(OutgoingMail).where(OutgoingMail.id.in_(newest)))
    return {getattr(row, column.key): row for row in rows}


def init_app(app: Flask) -> None:
    """The process's mail worker (the settings were checked with the others: config_check)."""
    app.extensions["wsapp_mail"] = Dispatcher(app)
