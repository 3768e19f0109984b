"""A forgotten password, end to end through a real SMTP server: ask, get the link, use it once."""

import datetime as dt
import re

from accounts import PASSWORD, csrf_token, login
from conftest import SQLITE_ONLY
from mailsink import html_of, text_of
from sqlalchemy import select

from wsapp.extensions import db
from wsapp.models import AccountToken, OutgoingMail, TokenPurpose, User

NEW = "a brand new passphrase"
LINK = re.compile(r"https?://[^\s\"<>]+/password/reset/[A-Za-z0-9_-]+")


def ask(client, email: str, **kwargs):
    token = csrf_token(client, "/password/forgot")
    return client.post("/password/forgot", data={"email": email, "csrf_token": token}, **kwargs)


def link_in(message) -> str:
    """The reset link of a message, the same in its text and its HTML part."""
    (url,) = set(LINK.findall(text_of(message)))
    assert url in html_of(message)
    return url.split("wsapp.test", 1)[1]


def test_forgotten_password_from_request_to_new_password(app, client, users, mail_on):
    response = ask(client, "BUGS@example.org")
    assert response.status_code == 303 and response.headers["Location"] == "/password/forgot/sent"
    (message,) = mail_on.wait_for(1)
    assert message["To"] == "bugs@example.org"
    assert message["Subject"] == "Reset your password"
    assert "within 60 minutes" in text_of(message)
    path = link_in(message)
    with app.app_context():
        stored = db.session.scalar(select(AccountToken))
        assert stored.purpose == TokenPurpose.PASSWORD_RESET
        assert path.rsplit("/", 1)[1] not in stored.token_hash  # only the hash is kept
        assert stored.expires_dt - stored.created_dt == dt.timedelta(minutes=60)
        assert db.session.scalar(select(OutgoingMail.status)) == "sent"
    guest = app.test_client()
    page = guest.get(path)
    assert page.status_code == 200 and "bugs@example.org" in page.text
    token = csrf_token(guest, path)
    short = guest.post(path, data={"csrf_token": token, "password": "short", "confirm": "short"})
    assert short.status_code == 422 and "at least 10 characters" in short.text
    done = guest.post(path, data={"csrf_token": token, "password": NEW, "confirm": NEW})
    assert done.status_code == 303 and done.headers["Location"] == "/manage/"
    assert guest.get("/manage/").status_code == 200  # logged in
    assert login(app.test_client(), "bugs@example.org", PASSWORD).status_code == 422
    assert login(app.test_client(), "bugs@example.org", NEW).status_code == 303
    # single use: the same link again is refused, by GET and by POST
    again = app.test_client()
    refused = again.get(path)
    assert refused.status_code == 410 and "already been used" in refused.text
    assert "/password/forgot" in refused.text
    token = csrf_token(again, "/login")
    replay = again.post(path, data={"csrf_token": token, "password": NEW, "confirm": NEW})
    assert replay.status_code == 410


def test_unknown_address_gets_the_same_answer_and_no_mail(app, client, users, mail_on):
    known = ask(client, "bugs@example.org", follow_redirects=True)
    unknown = ask(app.test_client(), "nobody@example.org", follow_redirects=True)
    assert (known.status_code, known.text) == (unknown.status_code, unknown.text)
    assert len(mail_on.wait_for(1)) == 1
    assert len(mail_on.quiet_for(0.3)) == 1  # nothing for nobody@
    with app.app_context():
        assert db.session.scalar(select(AccountToken.email)) == "bugs@example.org"


def test_disabled_account_gets_no_link(app, client, users, mail_on):
    with app.app_context():
        db.session.get(User, users["bugs"]).active = False
        db.session.commit()
    assert ask(client, "bugs@example.org").status_code == 303
    assert mail_on.quiet_for(0.3) == []


def test_using_the_link_ends_the_accounts_other_sessions(app, login_as, users, mail_on):
    elsewhere = login_as("bugs", on=app.test_client())
    also_elsewhere = login_as("bugs", on=app.test_client())
    assert elsewhere.get("/manage/").status_code == 200
    ask(app.test_client(), "bugs@example.org")
    path = link_in(mail_on.wait_for(1)[0])
    owner = app.test_client()
    token = csrf_token(owner, path)
    assert (
        owner.post(path, data={"csrf_token": token, "password": NEW, "confirm": NEW}).status_code
        == 303
    )
    for other in (elsewhere, also_elsewhere):
        response = other.get("/manage/")
        assert response.status_code == 303 and response.headers["Location"].startswith("/login")
    assert owner.get("/manage/").status_code == 200  # the session that reset it goes on
    # logging in again works, with the new password only
    assert login(elsewhere, "bugs@example.org", NEW).status_code == 303
    assert elsewhere.get("/manage/").status_code == 200


def test_link_expires(app, client, users, mail_on):
    app.config["PASSWORD_RESET_TTL_MINUTES"] = 5
    ask(client, "bugs@example.org")
    (message,) = mail_on.wait_for(1)
    assert "within 5 minutes" in text_of(message)
    with app.app_context():
        stored = db.session.scalar(select(AccountToken))
        stored.expires_dt = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        db.session.commit()
    response = app.test_client().get(link_in(message))
    assert response.status_code == 410 and "expired" in response.text


def test_a_newer_password_voids_older_links(app, client, users, mail_on):
    ask(client, "bugs@example.org")
    ask(client, "bugs@example.org")
    first, second = (link_in(m) for m in mail_on.wait_for(2))
    guest = app.test_client()
    token = csrf_token(guest, second)
    guest.post(second, data={"csrf_token": token, "password": NEW, "confirm": NEW})
    assert app.test_client().get(first).status_code == 410


def test_made_up_links_are_404(client):
    assert client.get("/password/reset/not-a-real-token").status_code == 404
    assert client.get("/password/reset/" + "x" * 300).status_code == 404


def test_requests_are_rate_limited_per_account_without_telling(app, client, users, mail_on):
    app.config["PASSWORD_RESET_LIMIT_PER_ACCOUNT"] = "2 per hour"
    answers = set()
    for number in range(4):
        other = app.test_client()
        response = ask(other, "bugs@example.org", environ_base={"REMOTE_ADDR": f"10.0.0.{number}"})
        answers.add((response.status_code, response.headers["Location"]))
    assert answers == {(303, "/password/forgot/sent")}  # the same answer every time
    assert len(mail_on.quiet_for(0.3)) == 2  # but only two links went out
    with app.app_context():
        assert len(db.session.scalars(select(AccountToken)).all()) == 2


def test_requests_are_rate_limited_per_client_address(app, client, users, mail_on):
    app.config["PASSWORD_RESET_LIMIT_PER_IP"] = "3 per minute"
    for number in range(3):
        assert ask(client, f"guess{number}@example.org").status_code == 303
    refused = ask(client, "bugs@example.org")
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert "Too many requests" in refused.text
    assert mail_on.quiet_for(0.3) == []
    other = app.test_client()
    response = ask(other, "bugs@example.org", environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert response.status_code == 303
    assert len(mail_on.wait_for(1)) == 1


def test_without_mail_the_page_says_to_ask_an_admin(client):
    page = client.get("/password/forgot")
    assert page.status_code == 200 and "does not send e-mail" in page.text
    assert 'name="email"' not in page.text
    token = csrf_token(client)
    response = client.post(
        "/password/forgot", data={"email": "bugs@example.org", "csrf_token": token}
    )
    assert response.status_code == 200 and "does not send e-mail" in response.text


def test_bad_input_gets_an_inline_error(client, mail_on):
    token = csrf_token(client, "/password/forgot")
    response = client.post(
        "/password/forgot", data={"email": "not an address", "csrf_token": token}
    )
    assert response.status_code == 422 and "Give an e-mail address" in response.text
    assert client.post("/password/forgot", data={"email": "a@b.org"}).status_code == 400  # CSRF
    assert mail_on.quiet_for(0.2) == []


def test_link_in_the_mail_follows_base_url(app, client, users, mail_on):
    app.config.update(SITE_URL="https://workshops.example.org", SERVER_NAME=None)
    forged = "http://evil.example"  # a Host header the attacker chose
    page = client.get("/password/forgot", base_url=forged)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    data = {"email": "bugs@example.org", "csrf_token": token}
    response = client.post("/password/forgot", data=data, base_url=forged)
    assert response.status_code == 303
    (message,) = mail_on.wait_for(1)
    assert "https://workshops.example.org/password/reset/" in text_of(message)
    assert "evil.example" not in message.as_string()


def test_login_page_links_to_forgotten_password(client):
    assert 'href="/password/forgot"' in client.get("/login").text


@SQLITE_ONLY
def test_the_mail_worker_never_makes_a_request_fail_on_sqlite(fresh_app, smtp_sink):
    """On a committed SQLite file, with the worker recording deliveries while requests save:
    SQLite refuses a write that races another ("database is locked"), so the worker records
    between requests (wsapp.services.mail.gate). Without that, this failed within ten requests."""
    from accounts import make_user
    from conftest import MAIL_FROM

    from wsapp.services import mail

    app = fresh_app(
        MAIL_URL=smtp_sink.url,
        MAIL_FROM=MAIL_FROM,
        PASSWORD_RESET_LIMIT_PER_IP="1000 per minute",
        PASSWORD_RESET_LIMIT_PER_ACCOUNT="1000 per minute",
    )
    with app.app_context():
        db.create_all()
        make_user("ada@example.org")
    client = app.test_client()
    statuses = [
        ask(client, f"{'ada' if n % 2 else 'x'}@example.org").status_code for n in range(80)
    ]
    assert set(statuses) == {303}
    with app.app_context():
        assert mail.wait(30)
        sent = db.session.scalars(select(OutgoingMail.status)).all()
    assert sent == ["sent"] * 40 and len(smtp_sink.wait_for(40)) == 40
