"""A real SMTP server for the tests (aiosmtpd in a thread, on a free port) keeping what arrives.

`MailSink().start()` listens on 127.0.0.1; `url` is the WSAPP_MAIL_URL that reaches it.
`refuse[address] = "550 5.1.1 no such user"` makes it refuse a recipient; `wait_for(n)` waits
until n messages have arrived and returns them parsed (email.message.EmailMessage).
With `tls=(certfile, keyfile)` it requires STARTTLS, and with `login=(user, password)` it
requires AUTH (after STARTTLS) with exactly those credentials. `smtputf8=False` makes it a
server that does not take non-ASCII addresses (RFC 6531).
"""

import email
import ssl
import threading
import time
from email import policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class _Controller(Controller):
    """aiosmtpd's controller on port 0: it learns the port the system picked."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class MailSink:
    def __init__(
        self,
        tls: tuple[str, str] | None = None,
        login: tuple[str, str] | None = None,
        smtputf8: bool = True,
    ):
        self._lock = threading.Condition()
        self.received: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []  # (MAIL FROM, RCPT TO)
        self.refuse: dict[str, str] = {}
        self.logins: list[str] = []
        self._login = login
        kwargs = {"enable_SMTPUTF8": smtputf8}
        if tls:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(*tls)
            kwargs.update(tls_context=context, require_starttls=True)
        if login:
            kwargs.update(authenticator=self._authenticate, auth_require_tls=True)
        self._controller = _Controller(self, hostname="127.0.0.1", port=0, **kwargs)

    def start(self) -> "MailSink":
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    @property
    def port(self) -> int:
        return self._controller.port

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def reset(self) -> None:
        with self._lock:
            self.received.clear()
            self.envelopes.clear()
            self.refuse.clear()
            self.logins.clear()

    def wait_for(self, count: int, timeout: float = 10) -> list[EmailMessage]:
        """The first `count` messages, once they have arrived (AssertionError after timeout)."""
        with self._lock:
            arrived = self._lock.wait_for(lambda: len(self.received) >= count, timeout)
            assert arrived, f"{len(self.received)} of {count} messages arrived in {timeout} s"
            return list(self.received[:count])

    def quiet_for(self, seconds: float) -> list[EmailMessage]:
        """Everything received after waiting `seconds` (to show that nothing more arrives)."""
        time.sleep(seconds)
        with self._lock:
            return list(self.received)

    # aiosmtpd handler hooks

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        answer = self.refuse.get(address.lower())
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.received.append(message)
            self._lock.notify_all()
        return "250 Message accepted for delivery"

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        login = (auth_data.login.decode(), auth_data.password.decode())
        ok = login == self._login
        if ok:
            self.logins.append(login[0])
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()
