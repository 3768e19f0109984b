"""Mail through a real SMTP server (aiosmtpd): the URL setting, the transport, the outbox."""

import shutil
import socket
import subprocess
import sys
import threading

import pytest
from conftest import MAIL_FROM, SQLITE_ONLY
from mailsink import MailSink, text_of

from wsapp import create_app
from wsapp.config_check import SettingsError
from wsapp.extensions import db
from wsapp.models import MailKind, MailStatus, OutgoingMail, User
from wsapp.services.mail import MailConfigError, MailSettings, compose, outbox, transport


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://localhost", ("localhost", 25, "none", None, None)),
        ("smtp://mail.example.org:2525", ("mail.example.org", 2525, "none", None, None)),
        (
            "smtp://ada%40example.org:p%2Fss%3Aw@smtp.example.org/?starttls=1",
            ("smtp.example.org", 587, "starttls", "ada@example.org", "p/ss:w"),
        ),
        ("smtps://u:p@smtp.example.org", ("smtp.example.org", 465, "tls", "u", "p")),
        ("smtp://u:p@127.0.0.1:1025", ("127.0.0.1", 1025, "none", "u", "p")),
        ("smtp://[::1]:25", ("::1", 25, "none", None, None)),
    ],
)
def test_mail_url_is_parsed(url, expected):
    settings = MailSettings.parse(url)
    got = (settings.host, settings.port, settings.security, settings.username, settings.password)
    assert got == expected
    assert "p/ss" not in settings.describe() and "ada" not in settings.describe()


def test_mail_url_options():
    settings = MailSettings.parse("smtp://h/?starttls=true&timeout=2.5&cafile=/etc/ca.pem")
    assert (settings.timeout, settings.cafile, settings.security) == (
        2.5,
        "/etc/ca.pem",
        "starttls",
    )
    assert MailSettings.parse("smtp://h:587/?starttls=1").describe() == "h:587 (STARTTLS)"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://mail.example.org", "must start with smtp:// or smtps://"),
        ("smtp://", "names no host"),
        ("smtp://h:99999", "not a valid URL"),
        ("smtp://h/?starttls=maybe", "is not 1 or 0"),
        ("smtp://h/?timeout=soon", "is not a number"),
        ("smtp://h/?timeout=0", "between 0 and 300"),
        ("smtp://h/?tls=1", "unknown option 'tls'"),
        ("smtps://h/?starttls=1", "TLS already"),
        ("smtp://user:secret@mail.example.org", "need TLS"),
    ],
)
def test_bad_mail_url_says_why_without_the_password(url, reason):
    with pytest.raises(MailConfigError, match=reason) as caught:
        MailSettings.parse(url)
    assert "secret" not in str(caught.value)


def _app(tmp_path, **config):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",
            **config,
        }
    )


@pytest.mark.parametrize(
    ("config", "reason"),
    [
        (
            {"MAIL_URL": "smtp://h/?starttls=2", "MAIL_FROM": MAIL_FROM},
            "WSAPP_MAIL_URL: .*starttls='2'",
        ),
        ({"MAIL_URL": "smtp://h"}, "WSAPP_MAIL_FROM: give the sender"),
        ({"MAIL_URL": "smtp://h", "MAIL_FROM": "nobody"}, "WSAPP_MAIL_FROM: give the sender"),
        (
            {
                "MAIL_URL": "smtp://h",
                "MAIL_FROM": MAIL_FROM,
                "ENV": "production",
                "SECRET_KEY": "s",
            },
            "WSAPP_SITE_URL: give the site's address",
        ),
        ({"SITE_URL": "workshops.example.org"}, "WSAPP_SITE_URL: .* is not an http"),
    ],
)
def test_the_app_refuses_to_start_with_unusable_mail_settings(tmp_path, config, reason):
    with pytest.raises(SettingsError, match=reason):
        _app(tmp_path, **config)


def _message(to="ada@example.org", subject="Hello"):
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = MAIL_FROM, to, subject
    message.set_content("Grüße, 你好, xin chào")
    return message


def test_transport_delivers_to_a_real_smtp_server(smtp_sink):
    transport.send(MailSettings.parse(smtp_sink.url), _message())
    (message,) = smtp_sink.wait_for(1)
    assert message["Subject"] == "Hello"
    assert text_of(message).strip() == "Grüße, 你好, xin chào"
    assert smtp_sink.envelopes == [("noreply@wsapp.test", ["ada@example.org"])]


def test_refused_recipient_is_a_permanent_failure_and_451_a_temporary_one(smtp_sink):
    settings = MailSettings.parse(smtp_sink.url)
    smtp_sink.refuse["gone@example.org"] = "550 5.1.1 no such user"
    with pytest.raises(transport.MailError, match="550 5.1.1 no such user") as caught:
        transport.send(settings, _message(to="gone@example.org"))
    assert caught.value.temporary is False
    smtp_sink.refuse["busy@example.org"] = "451 4.3.0 try again later"
    with pytest.raises(transport.MailError, match="451") as caught:
        transport.send(settings, _message(to="busy@example.org"))
    assert caught.value.temporary is True
    assert smtp_sink.received == []


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens there once the socket closes


@pytest.fixture
def silent_server():
    """A server that accepts connections and never says a word (an SMTP server that hangs)."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"smtp://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    listener.close()


def test_unreachable_and_silent_servers_are_temporary_failures(silent_server):
    with pytest.raises(transport.MailError, match="Connection refused") as caught:
        transport.send(MailSettings.parse(f"smtp://127.0.0.1:{_closed_port()}"), _message())
    assert caught.value.temporary
    with pytest.raises(transport.MailError, match="no answer within 0.5 s") as caught:
        transport.send(MailSettings.parse(silent_server + "/?timeout=0.5"), _message())
    assert caught.value.temporary


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 (made with openssl)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return str(cert), str(key)


def test_starttls_and_login(certificate):
    sink = MailSink(tls=certificate, login=("ada", "pa:ss/wörd")).start()
    try:
        base = f"smtp://ada:pa%3Ass%2Fw%C3%B6rd@127.0.0.1:{sink.port}/?starttls=1"
        transport.send(MailSettings.parse(f"{base}&cafile={certificate[0]}"), _message())
        assert len(sink.wait_for(1)) == 1 and sink.logins == ["ada"]
        # the server's certificate is checked: without the CA file it is not trusted
        with pytest.raises(transport.MailError, match="certificate not trusted") as caught:
            transport.send(MailSettings.parse(base), _message())
        assert not caught.value.temporary
        wrong = f"smtp://ada:wrong@127.0.0.1:{sink.port}/?starttls=1&cafile={certificate[0]}"
        with pytest.raises(transport.MailError, match="535") as caught:
            transport.send(MailSettings.parse(wrong), _message())
        assert not caught.value.temporary
        # a server that requires STARTTLS refuses mail sent without it
        plain = f"smtp://127.0.0.1:{sink.port}"
        with pytest.raises(transport.MailError, match="530"):
            transport.send(MailSettings.parse(plain), _message())
        assert len(sink.received) == 1
    finally:
        sink.stop()


def _queue_reset(app, email="bugs@example.org"):
    """Queue a password-changed notice for `email` in the current session (not committed)."""
    from wsapp.services.mail import messages

    user = db.session.scalar(db.select(User).where(User.email == email))
    return messages.password_changed(user)


def test_mail_leaves_only_after_the_commit_and_never_after_a_rollback(app, users, mail_on):
    with app.test_request_context():
        _queue_reset(app)
        db.session.rollback()
        assert mail_on.quiet_for(0.3) == []
        record = _queue_reset(app)
        assert mail_on.quiet_for(0.3) == []  # queued, not sent: nothing is committed yet
        db.session.commit()
        (message,) = mail_on.wait_for(1)
        db.session.refresh(record)
        assert record.status == MailStatus.SENT and record.attempts == 1
        assert record.kind == MailKind.PASSWORD_CHANGED
    assert message["To"] == "bugs@example.org"
    assert message["From"] == MAIL_FROM
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"].endswith("@wsapp.test>")
    assert message.get_body(("html",)) is not None and message.get_body(("plain",)) is not None


def test_a_failure_is_recorded_and_logged(app, users, mail_on, caplog):
    mail_on.refuse["bugs@example.org"] = "550 5.7.1 relaying denied"
    with app.test_request_context():
        record = _queue_reset(app)
        db.session.commit()
        db.session.refresh(record)
        assert record.status == MailStatus.FAILED
        assert "550 5.7.1 relaying denied" in record.error
    assert any("not sent" in r.getMessage() and r.levelname == "ERROR" for r in caplog.records), (
        caplog.text
    )


def test_a_temporary_failure_is_tried_again(app, users, mail_on):
    app.config["MAIL_RETRY_SECONDS"] = [0, 0]
    attempts = []

    async def flaky(server, session, envelope, address, rcpt_options):
        attempts.append(address)
        if len(attempts) < 3:
            return "451 4.3.0 greylisted, try again"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    original = type(mail_on).handle_RCPT
    type(mail_on).handle_RCPT = lambda self, *args: flaky(*args)
    try:
        with app.test_request_context():
            record = _queue_reset(app)
            db.session.commit()
            db.session.refresh(record)
    finally:
        type(mail_on).handle_RCPT = original
    assert (record.status, record.attempts, len(mail_on.wait_for(1))) == (MailStatus.SENT, 3, 1)


@SQLITE_ONLY
def test_message_is_in_the_recipients_language(app, users, mail_on):
    with app.test_request_context():
        user = db.session.scalar(db.select(User).where(User.email == "bugs@example.org"))
        for locale in ("fr", "vi", "zh_Hans"):
            user.locale = locale
            _queue_reset(app)
        db.session.commit()
    subjects = [(m["Subject"], m["Content-Language"]) for m in mail_on.wait_for(3)]
    assert subjects == [
        ("Votre mot de passe a été modifié", "fr"),
        ("Mật khẩu của bạn đã được thay đổi", "vi"),
        ("您的密码已更改", "zh-Hans"),
    ]


def test_links_use_base_url_not_the_request_host(app):
    app.config["SITE_URL"] = "https://workshops.example.org/sites"
    with app.test_request_context("/", base_url="http://evil.example"):
        url = compose.external_url("account_password.reset", token="abc")
    assert url == "https://workshops.example.org/sites/password/reset/abc"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_dispatcher_worker_sends_in_the_background_and_stops_when_idle(fresh_app, smtp_sink):
    app = fresh_app(MAIL_URL=smtp_sink.url, MAIL_FROM=MAIL_FROM)
    with app.app_context():
        db.create_all()
        user = User(email="ada@example.org")
        db.session.add(user)
        db.session.commit()
        outbox.queue(OutgoingMail(kind=MailKind.PASSWORD_CHANGED, recipient=user.email,
                                  subject="s"), _message())  # fmt: skip
        db.session.commit()
        dispatcher = outbox.dispatcher(app)
        assert dispatcher.wait(10)
        assert db.session.scalar(db.select(OutgoingMail.status)) == MailStatus.SENT
    assert len(smtp_sink.wait_for(1)) == 1


EXITING = """
import sys
from wsapp import create_app
from wsapp.extensions import db
from wsapp.models import MailKind, OutgoingMail
from wsapp.services.mail import outbox
from email.message import EmailMessage

app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": sys.argv[1],
                  "MAIL_URL": sys.argv[2], "MAIL_FROM": "w <w@wsapp.test>"})
with app.app_context():
    db.create_all()
    message = EmailMessage()
    message["From"], message["Subject"] = "w <w@wsapp.test>", "sent on the way out"
    message.set_content("bye")
    outbox.queue(OutgoingMail(kind=MailKind.PASSWORD_CHANGED, recipient="ada@example.org",
                              subject="s"), message)
    db.session.commit()
# the process ends here, right after the commit: its worker thread has just been handed the mail
"""


def test_a_process_that_exits_first_sends_what_it_queued(tmp_path, smtp_sink):
    """A worker process recycled by gunicorn, or a command that returns: the mail still goes."""
    script = tmp_path / "exiting.py"
    script.write_text(EXITING)
    run = subprocess.run(
        [sys.executable, str(script), f"sqlite:///{tmp_path / 'exit.db'}", smtp_sink.url],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    (message,) = smtp_sink.wait_for(1, timeout=1)  # it arrived before the process ended
    assert message["Subject"] == "sent on the way out"


def test_a_title_with_line_breaks_makes_a_one_line_subject(app, users, mail_on):
    from wsapp.models import Invitation, Workshop
    from wsapp.services import accounts
    from wsapp.services.mail import messages

    with app.test_request_context():
        workshop = db.session.scalar(db.select(Workshop).where(Workshop.slug == "bugs-2023"))
        workshop.title = "Backdoors\r\nBcc: everyone@example.org\n<b>in</b> Deep Learning"
        invitation, _token = accounts.invite("new@example.org", workshop, None, 7)
        messages.invitation(invitation, "http://wsapp.test/invite/x", 7)
        db.session.commit()
        assert db.session.scalar(db.select(Invitation.id)) == invitation.id
    (message,) = mail_on.wait_for(1)
    assert message["Subject"] == (
        "Invitation to organize Backdoors Bcc: everyone@example.org <b>in</b> Deep Learning"
    )
    assert message["Bcc"] is None and mail_on.envelopes[0][1] == ["new@example.org"]
    assert "&lt;b&gt;in&lt;/b&gt;" in message.get_body(("html",)).get_content()


def test_non_ascii_address_to_a_server_without_smtputf8_is_a_clear_failure():
    sink = MailSink(smtputf8=False).start()
    try:
        with pytest.raises(transport.MailError, match="SMTPUTF8") as caught:
            transport.send(MailSettings.parse(sink.url), _message(to="josé@exämple.org"))
        assert not caught.value.temporary
        transport.send(MailSettings.parse(sink.url), _message())  # ASCII still goes
        assert len(sink.wait_for(1)) == 1
    finally:
        sink.stop()
