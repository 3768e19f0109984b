"""Random and hostile input to every account form: never a 500; refused input changes nothing."""

import pytest
from accounts import PASSWORD, csrf_token
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from test_forms_property import SETTINGS, VALUES

from wsapp.extensions import db
from wsapp.models import AccountToken, Invitation, OutgoingMail, User

# (form page, the fields it posts, who is logged in)
FORMS = {
    "forgot": ("/password/forgot", ["email"], None),
    "password": ("/account/password", ["current", "password", "confirm"], "bugs"),
    "email": ("/account/email", ["email", "current"], "bugs"),
    "language": ("/account/language", ["locale"], "bugs"),
    "invite": ("/manage/bugs-2023/access/invite", ["email", "locale"], "admin"),
}


def _state(app, user_id: int) -> tuple:
    with app.app_context():
        user = db.session.get(User, user_id)
        counts = [
            db.session.scalar(select(func.count()).select_from(model))
            for model in (User, AccountToken, Invitation, OutgoingMail)
        ]
        return (user.email, user.password_hash, user.locale, user.session_version, *counts)


@pytest.mark.parametrize("form", FORMS)
def test_random_input_never_breaks_an_account_form(app, client, login_as, users, mail_on, form):
    url, fields, who = FORMS[form]
    app.config.update(LOGIN_LIMIT_PER_EMAIL="1000 per minute", LOGIN_LIMIT_PER_IP="1000 per minute")
    app.config.update(PASSWORD_RESET_LIMIT_PER_IP="1000 per minute")
    browser = login_as(who) if who else client
    token = csrf_token(browser, "/account/" if who else "/login")

    @given(values=st.fixed_dictionaries({name: VALUES for name in fields}))
    @settings(SETTINGS, max_examples=40)
    def check(values):
        before = _state(app, users["bugs"])
        response = browser.post(url, data={"csrf_token": token, **values})
        assert response.status_code < 500, (values, response.text[:500])
        if response.status_code >= 400:
            assert _state(app, users["bugs"]) == before, values
        # the account still logs in with its password unless a form changed it on purpose
        if form in ("password", "email") and response.status_code == 303:
            assert values["current"] == PASSWORD

    check()
