"""Log in and out, the rate limit, the session cookie, the admin command and invitations."""

import datetime as dt
import re

from accounts import PASSWORD, csrf_token, login, make_user
from sqlalchemy import select

from wsapp.extensions import db
from wsapp.models import Invitation, User, Workshop, WorkshopOrganizer
from wsapp.services import accounts


def test_login_and_logout(app, client, users):
    response = login(client, "BUGS@example.org ", PASSWORD)  # e-mail is case-insensitive
    assert response.status_code == 303 and response.headers["Location"] == "/manage/"
    assert client.get("/manage/").status_code == 200
    assert "Manage" in client.get("/bugs-2023/").text
    # log-out is a POST with the CSRF token; a GET or a POST without the token does nothing
    client.get("/logout", follow_redirects=True)
    assert client.post("/logout").status_code == 400
    assert client.get("/manage/").status_code == 200
    token = csrf_token(client, "/manage/")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/manage/").status_code == 303
    assert "Log in" in client.get("/bugs-2023/").text


def test_wrong_password_gets_inline_message(client, users):
    response = login(client, "bugs@example.org", "wrong password!")
    assert response.status_code == 422
    assert "The e-mail address or the password is wrong." in response.text
    response = login(client, "nobody@example.org", "wrong password!")
    assert "The e-mail address or the password is wrong." in response.text


def test_login_returns_to_a_local_page_only(client, users):
    token = csrf_token(client)
    data = {"email": "bugs@example.org", "password": PASSWORD, "csrf_token": token}
    response = client.post("/login", data={**data, "next": "/manage/bugs-2023/"})
    assert response.headers["Location"] == "/manage/bugs-2023/"
    client.post("/logout", data={"csrf_token": csrf_token(client, "/manage/")})
    response = client.post(
        "/login", data={**data, "csrf_token": csrf_token(client), "next": "//evil.example/"}
    )
    assert response.headers["Location"] == "/manage/"


def test_login_is_rate_limited_per_email(app, client, users):
    for _ in range(5):
        assert login(client, "bugs@example.org", "wrong password!").status_code == 422
    response = login(client, "bugs@example.org", PASSWORD)  # even the right one, for now
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.text
    assert "Retry-After" in response.headers
    # another account from the same address is not locked out by this one
    assert login(client, "admin@example.org", PASSWORD).status_code == 303


def test_login_is_rate_limited_per_address(app, client, users):
    app.config["LOGIN_LIMIT_PER_IP"] = "3 per minute"
    for n in range(3):
        assert login(client, f"guess{n}@example.org", "wrong password!").status_code == 422
    assert login(client, "bugs@example.org", PASSWORD).status_code == 429
    other = app.test_client()
    response = other.post(
        "/login",
        environ_base={"REMOTE_ADDR": "10.0.0.9"},
        data={"email": "bugs@example.org", "password": PASSWORD, "csrf_token": csrf_token(other)},
    )
    assert response.status_code == 303


def test_successful_logins_do_not_count(app, client, users):
    app.config["LOGIN_LIMIT_PER_EMAIL"] = "2 per minute"
    for _ in range(4):
        assert login(client, "bugs@example.org", PASSWORD).status_code == 303


def test_session_cookie_flags(client, users):
    response = login(client, "bugs@example.org", PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    secure = client.application.test_client()
    token = csrf_token(secure)
    response = secure.post(
        "/login",
        base_url="https://wsapp.test",
        data={"email": "bugs@example.org", "password": PASSWORD, "csrf_token": token},
        headers={"Referer": "https://wsapp.test/login"},
    )
    assert response.status_code == 303
    assert "Secure" in response.headers["Set-Cookie"]


def test_production_forces_secure_cookie(fresh_app):
    app = fresh_app(ENV="production")
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_create_admin_command(app, runner):
    result = runner.invoke(
        args=["users", "create-admin", "Chair@Example.org", "--password-stdin"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "chair@example.org"))
        assert user.is_admin and user.password_hash.startswith("$argon2id$")
        assert "a long enough" not in user.password_hash
    again = runner.invoke(
        args=["users", "create-admin", "chair@example.org", "--password-stdin"],
        input="another long password\n",
    )
    assert again.exit_code != 0 and "already exists" in again.output
    short = runner.invoke(
        args=["users", "create-admin", "x@example.org", "--password-stdin"], input="short\n"
    )
    assert short.exit_code != 0 and "at least 10 characters" in short.output
    prompted = runner.invoke(
        args=["users", "create-admin", "y@example.org"],
        input="prompted password\nprompted password\n",
    )
    assert prompted.exit_code == 0, prompted.output


def _invite(client, email="new@example.org") -> str:
    token = csrf_token(client, "/manage/bugs-2023/access")
    response = client.post(
        "/manage/bugs-2023/access/invite", data={"csrf_token": token, "email": email}
    )
    assert response.status_code == 200
    match = re.search(r'value="(https?://[^"]+/invite/[^"]+)"', response.text)
    assert match, response.text
    return match.group(1).split("wsapp.test", 1)[-1]


def test_invitation_sets_password_once(app, login_as, users):
    admin = login_as("admin")
    path = _invite(admin)
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        assert path.rsplit("/", 1)[1] not in invitation.token_hash  # only the hash is stored
        assert invitation.expires_dt - invitation.created_dt == dt.timedelta(days=7)
    guest = app.test_client()
    page = guest.get(path)
    assert page.status_code == 200 and "new@example.org" in page.text
    token = csrf_token(guest, path)
    bad = guest.post(path, data={"csrf_token": token, "password": "short", "confirm": "short"})
    assert bad.status_code == 422 and "at least 10 characters" in bad.text
    response = guest.post(
        path,
        data={"csrf_token": token, "password": "my new password", "confirm": "my new password"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/manage/bugs-2023/"
    assert guest.get("/manage/bugs-2023/settings").status_code == 200
    assert guest.get("/manage/synthetic-2024/settings").status_code == 403
    # single use
    other = app.test_client()
    assert other.get(path).status_code == 410
    assert login(app.test_client(), "new@example.org", "my new password").status_code == 303


def test_expired_invitation_is_refused(app, login_as, users):
    path = _invite(login_as("admin"))
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        invitation.expires_dt = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        db.session.commit()
    guest = app.test_client()
    response = guest.get(path)
    assert response.status_code == 410 and "expired" in response.text
    assert app.test_client().get("/invite/not-a-real-token").status_code == 404


def test_invitation_for_existing_account_links_after_login(app, login_as, users):
    path = _invite(login_as("admin"), email="synthetic@example.org")
    guest = app.test_client()
    assert "Log in as synthetic@example.org" in guest.get(path).text
    login_as("synthetic", on=guest)
    token = csrf_token(guest, path)
    assert guest.post(path, data={"csrf_token": token}).status_code == 303
    with app.app_context():
        slugs = set(
            db.session.scalars(
                select(Workshop.slug)
                .join(WorkshopOrganizer)
                .where(WorkshopOrganizer.user_id == users["synthetic"])
            )
        )
    assert slugs == {"bugs-2023", "synthetic-2024"}


def test_invitation_ttl_is_configurable(app, login_as, users):
    app.config["INVITATION_TTL_DAYS"] = 2
    _invite(login_as("admin"))
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        assert invitation.expires_dt - invitation.created_dt == dt.timedelta(days=2)


def test_inactive_user_cannot_log_in(app, client):
    with app.app_context():
        user_id = make_user("gone@example.org")
        db.session.get(User, user_id).active = False
        db.session.commit()
        assert accounts.authenticate("gone@example.org", PASSWORD) is None
    assert login(client, "gone@example.org").status_code == 422
