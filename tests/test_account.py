"""A logged-in user's own account: password, e-mail address (confirmed by mail), language."""

import re

from accounts import PASSWORD, csrf_token, login
from mailsink import text_of
from sqlalchemy import select

from wsapp.extensions import db
from wsapp.models import AccountToken, User

NEW = "another long password"
CONFIRM = re.compile(r"https?://[^\s\"<>]+/account/email/confirm/[A-Za-z0-9_-]+")


def post(client, path, **data):
    return client.post(path, data={"csrf_token": csrf_token(client, "/account/"), **data})


def test_account_page_lists_the_users_workshops(login_as):
    page = login_as("bugs").get("/account/")
    assert page.status_code == 200
    assert "bugs@example.org" in page.text
    assert "/manage/bugs-2023/" in page.text and "/manage/synthetic-2024/" not in page.text
    admin = login_as("admin").get("/account/").text
    assert "As a site admin you manage every workshop." in admin
    assert "/manage/bugs-2023/" in admin and "/manage/synthetic-2024/" in admin


def test_account_pages_need_a_login(client):
    for path in ("/account/", "/account/password", "/account/email"):
        response = client.get(path)
        assert response.status_code == 303 and response.headers["Location"].startswith("/login")


def test_change_password_needs_the_current_one_and_ends_other_sessions(app, login_as, users):
    me = login_as("bugs")
    other = login_as("bugs", on=app.test_client())
    wrong = post(me, "/account/password", current="not my password", password=NEW, confirm=NEW)
    assert wrong.status_code == 422 and "The current password is wrong." in wrong.text
    differ = post(me, "/account/password", current=PASSWORD, password=NEW, confirm=NEW + "x")
    assert differ.status_code == 422 and "The two passwords differ." in differ.text
    done = post(me, "/account/password", current=PASSWORD, password=NEW, confirm=NEW)
    assert done.status_code == 303 and done.headers["Location"] == "/account/"
    assert "Your password is changed" in me.get("/account/").text  # this session goes on
    assert other.get("/manage/").status_code == 303  # the other one has ended
    assert login(app.test_client(), "bugs@example.org", PASSWORD).status_code == 422
    assert login(app.test_client(), "bugs@example.org", NEW).status_code == 303


def test_wrong_current_passwords_count_as_failed_logins(app, login_as, users):
    app.config["LOGIN_LIMIT_PER_EMAIL"] = "3 per minute"
    me = login_as("bugs")
    for _ in range(3):
        response = post(me, "/account/password", current="guess", password=NEW, confirm=NEW)
        assert "The current password is wrong." in response.text
    blocked = post(me, "/account/password", current=PASSWORD, password=NEW, confirm=NEW)
    assert blocked.status_code == 422 and "Too many failed attempts" in blocked.text
    assert login(app.test_client(), "bugs@example.org", PASSWORD).status_code == 429


def test_password_change_is_announced_by_mail(login_as, users, mail_on):
    post(login_as("bugs"), "/account/password", current=PASSWORD, password=NEW, confirm=NEW)
    (message,) = mail_on.wait_for(1)
    assert message["To"] == "bugs@example.org"
    assert message["Subject"] == "Your password was changed"
    assert "http://wsapp.test/password/forgot" in text_of(message)


def test_change_email_is_confirmed_from_the_new_address(app, login_as, users, mail_on):
    me = login_as("bugs")
    wrong = post(me, "/account/email", email="new@example.org", current="wrong password")
    assert wrong.status_code == 422 and "The current password is wrong." in wrong.text
    taken = post(me, "/account/email", email="Synthetic@example.org", current=PASSWORD)
    assert taken.status_code == 422 and "Another account uses this address." in taken.text
    same = post(me, "/account/email", email="bugs@example.org", current=PASSWORD)
    assert same.status_code == 422 and "This is already your address." in same.text
    assert mail_on.quiet_for(0.2) == []
    asked = post(me, "/account/email", email="New@Example.org", current=PASSWORD)
    assert asked.status_code == 303
    page = me.get("/account/").text
    assert "A link is on its way to new@example.org" in page
    assert "Waiting for you to confirm new@example.org" in page
    (message,) = mail_on.wait_for(1)
    assert message["To"] == "new@example.org"
    path = CONFIRM.search(text_of(message)).group(0).split("wsapp.test", 1)[1]
    with app.app_context():  # nothing changes before the link is used
        assert db.session.get(User, users["bugs"]).email == "bugs@example.org"
    # a GET (a mail scanner following the link) changes nothing
    assert "new@example.org" in me.get(path).text
    with app.app_context():
        assert db.session.get(User, users["bugs"]).email == "bugs@example.org"
    token = csrf_token(me, path)
    assert me.post(path, data={"csrf_token": token}).status_code == 303
    with app.app_context():
        assert db.session.get(User, users["bugs"]).email == "new@example.org"
    assert "Your e-mail address is now new@example.org" in me.get("/account/").text
    assert login(app.test_client(), "new@example.org", PASSWORD).status_code == 303
    assert login(app.test_client(), "bugs@example.org", PASSWORD).status_code == 422
    # the old address hears of it
    (_, notice) = mail_on.wait_for(2)
    assert notice["To"] == "bugs@example.org"
    assert "from bugs@example.org to new@example.org" in text_of(notice)
    # the link works once
    assert app.test_client().get(path).status_code == 410


def test_address_taken_meanwhile_is_refused_at_confirmation(app, login_as, users, mail_on):
    me = login_as("bugs")
    post(me, "/account/email", email="late@example.org", current=PASSWORD)
    path = CONFIRM.search(text_of(mail_on.wait_for(1)[0])).group(0).split("wsapp.test", 1)[1]
    with app.app_context():
        db.session.add(User(email="late@example.org"))
        db.session.commit()
    token = csrf_token(me, path)
    response = me.post(path, data={"csrf_token": token})
    assert response.status_code == 409 and "Another account uses this address." in response.text
    with app.app_context():
        assert db.session.get(User, users["bugs"]).email == "bugs@example.org"


def test_without_mail_the_address_cannot_change(login_as):
    me = login_as("bugs")
    page = me.get("/account/email")
    assert page.status_code == 200 and "does not send e-mail" in page.text
    response = post(me, "/account/email", email="new@example.org", current=PASSWORD)
    assert "does not send e-mail" in response.text


def test_mail_language_is_the_users_choice(app, login_as, users):
    me = login_as("bugs")
    assert post(me, "/account/language", locale="vi").status_code == 303
    with app.app_context():
        assert db.session.get(User, users["bugs"]).locale == "vi"
    assert re.search(r'<option [^>]*selected [^>]*value="vi"', me.get("/account/").text)
    bad = post(me, "/account/language", locale="xx")
    assert bad.status_code == 422 and "Not a valid choice" in bad.text


def test_first_login_remembers_the_language_it_was_made_in(app, client, users):
    client.get("/login?lang=zh")
    assert login(client, "bugs@example.org").status_code == 303
    with app.app_context():
        assert db.session.get(User, users["bugs"]).locale == "zh_Hans"


def test_made_up_confirmation_links_are_404(client):
    assert client.get("/account/email/confirm/nothing").status_code == 404


def test_tokens_are_stored_as_hashes_only(app, login_as, users, mail_on):
    post(login_as("bugs"), "/account/email", email="new@example.org", current=PASSWORD)
    token = CONFIRM.search(text_of(mail_on.wait_for(1)[0])).group(0).rsplit("/", 1)[1]
    with app.app_context():
        stored = db.session.scalar(select(AccountToken))
        assert token not in stored.token_hash and len(stored.token_hash) == 64
