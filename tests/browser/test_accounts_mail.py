"""In Chromium, with mail going to a real SMTP server: a forgotten password from the log-in page
to the mailed link to logging in with the new password; an invitation from the access page to
the mailed link to the workshop's organizer area."""

import re
import time

import pytest
from accounts import PASSWORD, make_user
from conftest import MAIL_FROM
from mailsink import text_of
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NEW = "the password I will remember"


@pytest.fixture
def mailing(live_server, smtp_sink):
    """The live server sends mail to the sink, from its worker thread as in production."""
    live_server.app.config.update(MAIL_URL=smtp_sink.url, MAIL_FROM=MAIL_FROM)
    assert live_server.app.config["MAIL_BACKGROUND"] is True
    return smtp_sink


def log_in(page, base: str, email: str, password: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def ask_for_a_link(page, base: str, email: str) -> str:
    """From the log-in page to "check your e-mail"; returns what that page says."""
    page.goto(base + "/login")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", name="Forgot your password?")).to_be_visible()
    page.get_by_label("E-mail").fill(email)
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    return page.locator("main").inner_text()


def test_forgotten_password_through_the_mailed_link(live_server, mailing, new_context, page):
    base = live_server.url
    with live_server.app.app_context():
        make_user("chair@example.org", workshops=["bugs-2023"])
    # another browser, logged in before the reset: its session ends when the link is used
    elsewhere = new_context().new_page()
    log_in(elsewhere, base, "chair@example.org", PASSWORD)
    expect(elsewhere.get_by_role("heading", name="My workshops")).to_be_visible()

    said = ask_for_a_link(page, base, "Chair@Example.org")
    (message,) = mailing.wait_for(1)
    assert message["To"] == "chair@example.org"
    link = re.search(r"http://\S+/password/reset/\S+", text_of(message)).group(0)
    assert link.startswith(base + "/password/reset/")

    page.goto(link)
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    page.get_by_label("New password").fill(NEW)
    page.get_by_label("The same password again").fill(NEW)
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("heading", name="My workshops")).to_be_visible()
    expect(page.locator(".flash-success")).to_contain_text("Your new password is set")

    # the other browser's session has ended
    elsewhere.goto(base + "/manage/")
    expect(elsewhere.get_by_role("heading", name="Log in")).to_be_visible()

    # the old password no longer works (a 422 page: in a context that allows console errors)
    log_in(elsewhere, base, "chair@example.org", PASSWORD)
    expect(elsewhere.get_by_text("The e-mail address or the password is wrong.")).to_be_visible()
    # log out, then in with the new password
    page.get_by_role("button", name="Log out").click()
    log_in(page, base, "chair@example.org", NEW)
    expect(page.get_by_role("heading", name="My workshops")).to_be_visible()

    # a second use of the link is refused
    response = elsewhere.goto(link)
    assert response.status == 410
    expect(elsewhere.get_by_role("heading", name="Link not usable")).to_be_visible()
    expect(elsewhere.get_by_text("has already been used")).to_be_visible()

    # an unknown address gets the same answer, and no mail
    stranger = new_context().new_page()
    assert ask_for_a_link(stranger, base, "nobody@example.org") == said
    assert len(mailing.quiet_for(1.0)) == 1


def test_invitation_mailed_from_the_access_page_works(live_server, mailing, new_context, page):
    base = live_server.url
    with live_server.app.app_context():
        make_user("admin@example.org", admin=True)
    log_in(page, base, "admin@example.org", PASSWORD)
    page.goto(base + "/manage/bugs-2023/access")
    expect(page.get_by_text("Invitations are mailed through 127.0.0.1")).to_be_visible()
    page.get_by_label("E-mail of the new organizer").fill("newcomer@example.org")
    page.get_by_label("Language of the invitation").select_option("fr")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".flash-success")).to_contain_text("on its way to newcomer@example.org")

    (message,) = mailing.wait_for(1)
    assert message["Subject"] == "Invitation à organiser Backdoors in Deep Learning"
    link = re.search(r"http://\S+/invite/\S+", text_of(message)).group(0)
    # the mail worker records the server's answer just after the sink has the message
    mailed = page.get_by_text(re.compile(r"Mailed .*"))
    deadline = time.monotonic() + 20
    while True:
        page.reload()
        if mailed.is_visible() or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    expect(mailed).to_be_visible()

    guest = new_context().new_page()
    guest.goto(link)
    guest.get_by_label("New password").fill(NEW)
    guest.get_by_label("The same password again").fill(NEW)
    guest.get_by_role("button", name="Set password and continue").click()
    expect(guest.locator(".flash-success")).to_contain_text("You can now manage this workshop")
    assert guest.url.endswith("/manage/bugs-2023/")
