"""The one place where the app sends e-mail: invitations, password resets, address changes.

Configured by WSAPP_MAIL_URL (see settings.py) and WSAPP_MAIL_FROM. Without them nothing is
mailed: an admin passes links on by hand (the access and accounts pages show them once), and
the pages say which of the two is in force. Messages are composed in the recipient's language
(compose.py), sent after the commit by a worker thread (outbox.py) through smtplib
(transport.py), and what became of each is an `OutgoingMail` row (messages.py makes them).
"""

from email.utils import parseaddr
from urllib.parse import urlsplit

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
    """Check the mail settings at start (a typo fails now, not at the first invitation)."""
    config = app.config
    if config.get("MAIL_URL"):
        try:
            MailSettings.parse(config["MAIL_URL"])
        except MailConfigError as exc:
            raise RuntimeError(str(exc)) from None
        if "@" not in parseaddr(config.get("MAIL_FROM") or "")[1]:
            raise RuntimeError(
                "WSAPP_MAIL_FROM must be an address such as 'Workshops <noreply@example.org>'"
                " when WSAPP_MAIL_URL is set"
            )
        if config["ENV"] == "production" and not config.get("BASE_URL"):
            raise RuntimeError(
                "WSAPP_BASE_URL (such as https://workshops.example.org) must be set to send mail"
                " in production: links in mail must not come from a request's Host header"
            )
    base = config.get("BASE_URL")
    if base and (urlsplit(base).scheme not in ("http", "https") or not urlsplit(base).netloc):
        raise RuntimeError(f"WSAPP_BASE_URL must be an http(s):// address, not {base!r}")
    app.extensions["wsapp_mail"] = Dispatcher(app)
