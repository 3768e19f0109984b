"""Invitations by mail: they arrive with a working link, and a failing server never holds up
the organizer's request (its failure shows on the access page)."""

import re
import time

from accounts import PASSWORD, csrf_token, login, make_user
from conftest import MAIL_FROM, load_demo
from mailsink import html_of, text_of
from sqlalchemy import select
from test_mail import silent_server  # noqa: F401  (a fixture)

from wsapp.extensions import db
from wsapp.models import Invitation, MailStatus, OutgoingMail
from wsapp.services import mail

LINK = re.compile(r"https?://[^\s\"<>]+/invite/[A-Za-z0-9_-]+")


def invite(client, email="new@example.org", **data):
    token = csrf_token(client, "/manage/bugs-2023/access")
    return client.post(
        "/manage/bugs-2023/access/invite", data={"csrf_token": token, "email": email, **data}
    )


def test_invitation_arrives_with_a_working_link(app, login_as, users, mail_on):
    admin = login_as("admin")
    response = invite(admin)
    assert response.status_code == 303  # mailed: the link is not shown
    page = admin.get(response.headers["Location"])
    assert "The invitation is on its way to new@example.org" in page.text
    assert "Invitations are mailed through 127.0.0.1" in page.text
    assert "/invite/" not in page.text
    assert re.search(r"Mailed [^<]*2\d{3}", page.text), page.text  # its status, with the date
    (message,) = mail_on.wait_for(1)
    assert message["To"] == "new@example.org"
    assert message["Subject"] == "Invitation to organize Backdoors in Deep Learning"
    assert "admin@example.org invites you" in text_of(message)
    (url,) = set(LINK.findall(text_of(message)))
    assert url in html_of(message)
    path = url.split("wsapp.test", 1)[1]
    guest = app.test_client()
    token = csrf_token(guest, path)
    data = {"csrf_token": token, "password": "my new password", "confirm": "my new password"}
    assert guest.post(path, data=data).status_code == 303
    assert guest.get("/manage/bugs-2023/settings").status_code == 200
    assert login(app.test_client(), "new@example.org", "my new password").status_code == 303


def test_invitation_language_is_chosen_and_kept_for_the_new_account(app, login_as, users, mail_on):
    assert invite(login_as("admin"), locale="fr").status_code == 303
    (message,) = mail_on.wait_for(1)
    assert message["Content-Language"] == "fr"
    assert message["Subject"].startswith("Invitation à organiser")
    path = LINK.search(text_of(message)).group(0).split("wsapp.test", 1)[1]
    guest = app.test_client()
    token = csrf_token(guest, path)
    data = {"csrf_token": token, "password": "my new password", "confirm": "my new password"}
    guest.post(path, data=data)
    from wsapp.models import User

    with app.app_context():
        assert db.session.scalar(select(User.locale).where(User.email == "new@example.org")) == "fr"


def test_a_made_up_language_is_refused(app, login_as, users, mail_on):
    response = invite(login_as("admin"), locale="klingon")
    assert response.status_code == 422 and "Invalid value" in response.text
    assert mail_on.quiet_for(0.2) == []


def test_failed_invitation_mail_is_shown_and_can_be_sent_again(app, login_as, users, mail_on):
    mail_on.refuse["new@example.org"] = "550 5.1.1 mailbox unavailable"
    admin = login_as("admin")
    invite(admin)
    page = admin.get("/manage/bugs-2023/access").text
    assert "Mail failed" in page and "550 5.1.1 mailbox unavailable" in page
    with app.app_context():
        old_hash = db.session.scalar(select(Invitation.token_hash))
        invitation_id = db.session.scalar(select(Invitation.id))
    mail_on.refuse.clear()
    token = csrf_token(admin, "/manage/bugs-2023/access")
    response = admin.post(
        f"/manage/bugs-2023/access/invitations/{invitation_id}/renew", data={"csrf_token": token}
    )
    assert response.status_code == 303
    (message,) = mail_on.wait_for(1)
    with app.app_context():
        assert db.session.scalar(select(Invitation.token_hash)) != old_hash  # a new link
        statuses = db.session.scalars(select(OutgoingMail.status).order_by(OutgoingMail.id))
        assert list(statuses) == [MailStatus.FAILED, MailStatus.SENT]
    path = LINK.search(text_of(message)).group(0).split("wsapp.test", 1)[1]
    assert app.test_client().get(path).status_code == 200


def test_without_mail_the_link_is_shown_as_before(app, login_as, users):
    response = invite(login_as("admin"))
    assert response.status_code == 200
    assert "does not send e-mail" in response.text
    assert re.search(r'value="https?://[^"]+/invite/', response.text)


def test_organizers_see_the_mail_status_but_cannot_resend(app, login_as, users, mail_on):
    invite(login_as("admin"))
    mail_on.wait_for(1)
    organizer = login_as("bugs", on=app.test_client())
    page = organizer.get("/manage/bugs-2023/access").text
    assert "new@example.org" in page and "Mailed" in page
    assert "/renew" not in page
    with app.app_context():
        invitation_id = db.session.scalar(select(Invitation.id))
    token = csrf_token(organizer, "/manage/")
    url = f"/manage/bugs-2023/access/invitations/{invitation_id}/renew"
    assert organizer.post(url, data={"csrf_token": token}).status_code == 403


def test_a_hanging_mail_server_never_holds_up_the_request(fresh_app, silent_server):  # noqa: F811
    """On a committed database, with the worker thread as in production: the SMTP server
    accepts the connection and never answers. The invitation is saved and the page answers at
    once; the failure arrives later, is logged and shows on the access page."""
    app = fresh_app(
        MAIL_URL=silent_server + "/?timeout=3", MAIL_FROM=MAIL_FROM, MAIL_RETRY_SECONDS=[]
    )
    with app.app_context():
        db.create_all()
        load_demo()
        make_user("admin@example.org", admin=True)
    admin = app.test_client()
    assert login(admin, "admin@example.org", PASSWORD).status_code == 303
    started = time.monotonic()
    response = invite(admin)
    elapsed = time.monotonic() - started
    assert response.status_code == 303
    assert elapsed < 2, f"the request waited {elapsed:.1f} s for the mail server"
    page = admin.get("/manage/bugs-2023/access").text
    assert "new@example.org" in page and "Mail queued" in page
    with app.app_context():
        assert mail.wait(15)
    page = admin.get("/manage/bugs-2023/access").text
    assert "Mail failed" in page and "no answer within 3 s" in page


def test_internationalized_address_gets_its_invitation(app, login_as, users, mail_on):
    """RFC 6531: a server that offers SMTPUTF8 (aiosmtpd does) takes a non-ASCII address."""
    assert invite(login_as("admin"), email="josé@exämple.org").status_code == 303
    (message,) = mail_on.wait_for(1)
    assert message["To"] == "josé@exämple.org"
    assert mail_on.envelopes[0][1] == ["josé@exämple.org"]
