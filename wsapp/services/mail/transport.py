"""Handing one message to the SMTP server (the standard library's smtplib)."""

import base64
import smtplib
import ssl
from email.message import EmailMessage

from wsapp.services.mail.settings import MailSettings

MAX_ERROR = 500  # characters of a server's answer kept for the record


class MailError(Exception):
    """The message was not accepted; `temporary` when trying again later may work."""

    def __init__(self, message: str, temporary: bool):
        super().__init__(message[:MAX_ERROR])
        self.temporary = temporary


def send(settings: MailSettings, message: EmailMessage) -> None:
    """Deliver `message` to its recipients through the server, or raise MailError."""
    where = settings.describe()
    try:
        _send(settings, message)
    except smtplib.SMTPRecipientsRefused as exc:
        answers = exc.recipients.values()
        text = "; ".join(f"{code} {_text(answer)}" for code, answer in answers)
        temporary = all(400 <= code < 500 for code, _answer in answers)
        raise MailError(f"recipient refused: {text}", temporary) from None
    except smtplib.SMTPResponseException as exc:
        temporary = 400 <= exc.smtp_code < 500
        raise MailError(f"{exc.smtp_code} {_text(exc.smtp_error)}", temporary) from None
    except ssl.SSLCertVerificationError as exc:
        raise MailError(f"{where}: certificate not trusted: {exc.verify_message}", False) from None
    except TimeoutError:
        raise MailError(f"{where}: no answer within {settings.timeout:g} s", True) from None
    except smtplib.SMTPServerDisconnected as exc:
        if isinstance(exc.__context__, TimeoutError):  # smtplib wraps a read that timed out
            raise MailError(f"{where}: no answer within {settings.timeout:g} s", True) from None
        raise MailError(f"{where}: the server closed the connection ({exc})", True) from None
    except smtplib.SMTPNotSupportedError as exc:
        raise MailError(f"{where}: {exc}", False) from None
    except smtplib.SMTPException as exc:
        raise MailError(f"{where}: {exc}", False) from None
    except OSError as exc:  # refused, unreachable, name not found, TLS failures
        raise MailError(f"{where}: {exc.strerror or exc}", True) from None


def _send(settings: MailSettings, message: EmailMessage) -> None:
    context = ssl.create_default_context(cafile=settings.cafile)
    if settings.security == "tls":
        client = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout, context=context
        )
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    with client:
        if settings.security == "starttls":
            client.starttls(context=context)
        if settings.username:
            _login(client, settings.username, settings.password or "")
        client.send_message(message)


def _login(client: smtplib.SMTP, username: str, password: str) -> None:
    """AUTH PLAIN in UTF-8 (RFC 4616) where offered: smtplib's own encodes ASCII only, so a
    password such as "wörd" would fail before reaching the server."""
    client.ehlo_or_helo_if_needed()
    if "PLAIN" not in client.esmtp_features.get("auth", "").upper().split():
        client.login(username, password)
        return
    credentials = b"\0" + username.encode() + b"\0" + password.encode()
    code, answer = client.docmd("AUTH", "PLAIN " + base64.b64encode(credentials).decode())
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, answer)


def _text(raw) -> str:
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
