"""Site admins manage accounts: on the organizer area's Accounts page and from the command line."""

import re

from accounts import PASSWORD, csrf_token, login
from mailsink import text_of
from sqlalchemy import func, select

from wsapp.extensions import db
from wsapp.models import AccountToken, User

RESET = re.compile(r"https?://[^\s\"<>]+/password/reset/[A-Za-z0-9_-]+")


def act(client, user_id: int, action: str):
    token = csrf_token(client, "/manage/accounts/")
    return client.post(f"/manage/accounts/{user_id}/{action}", data={"csrf_token": token})


def test_admin_lists_every_account(login_as, users):
    page = login_as("admin").get("/manage/accounts/")
    assert page.status_code == 200
    for email in ("admin@example.org", "bugs@example.org", "synthetic@example.org"):
        assert email in page.text
    assert "Organizer of Backdoors in Deep Learning" in page.text
    assert "Site admin" in page.text
    found = login_as("admin").get("/manage/accounts/?q=BUGS").text
    assert "bugs@example.org" in found and "synthetic@example.org" not in found


def test_organizers_cannot_manage_accounts(app, login_as, users):
    organizer = login_as("bugs")
    assert organizer.get("/manage/accounts/").status_code == 403
    token = csrf_token(organizer, "/manage/")
    for action in ("disable", "enable", "reset"):
        url = f"/manage/accounts/{users['synthetic']}/{action}"
        assert organizer.post(url, data={"csrf_token": token}).status_code == 403
    assert 'href="/manage/accounts/"' not in organizer.get("/manage/").text
    assert (
        'href="/manage/accounts/"' in login_as("admin", on=app.test_client()).get("/manage/").text
    )


def test_disable_logs_out_everywhere_and_enable_lets_back_in(app, login_as, users):
    victim = login_as("bugs", on=app.test_client())
    admin = login_as("admin")
    response = act(admin, users["bugs"], "disable")
    assert response.status_code == 303
    page = admin.get("/manage/accounts/").text
    assert "bugs@example.org is disabled and logged out everywhere." in page
    assert victim.get("/manage/").status_code == 303  # its session has ended
    assert login(app.test_client(), "bugs@example.org").status_code == 422
    assert act(admin, users["bugs"], "enable").status_code == 303
    assert login(app.test_client(), "bugs@example.org").status_code == 303


def test_admin_cannot_disable_themselves(app, login_as, users):
    admin = login_as("admin")
    act(admin, users["admin"], "disable")
    assert "You cannot disable your own account." in admin.get("/manage/accounts/").text
    with app.app_context():
        assert db.session.get(User, users["admin"]).active


def test_reset_link_is_mailed(app, login_as, users, mail_on):
    admin = login_as("admin")
    assert act(admin, users["bugs"], "reset").status_code == 303
    (message,) = mail_on.wait_for(1)
    assert message["To"] == "bugs@example.org"
    page = admin.get("/manage/accounts/").text
    assert "A password reset link is on its way to bugs@example.org." in page
    assert "Mailed" in page
    path = RESET.search(text_of(message)).group(0).split("wsapp.test", 1)[1]
    assert app.test_client().get(path).status_code == 200


def test_without_mail_the_reset_link_is_shown_once(app, login_as, users):
    admin = login_as("admin")
    response = act(admin, users["bugs"], "reset")
    assert response.status_code == 200
    assert "does not send e-mail" in response.text
    url = RESET.search(response.text).group(0)
    assert "/password/reset/" not in admin.get("/manage/accounts/").text  # only that once
    guest = app.test_client()
    path = url.split("wsapp.test", 1)[1]
    token = csrf_token(guest, path)
    new = "chosen by the organizer"
    assert (
        guest.post(path, data={"csrf_token": token, "password": new, "confirm": new}).status_code
        == 303
    )


def test_reset_link_for_a_disabled_account_is_refused(app, login_as, users, mail_on):
    admin = login_as("admin")
    act(admin, users["bugs"], "disable")
    act(admin, users["bugs"], "reset")
    assert "Enable bugs@example.org first" in admin.get("/manage/accounts/").text
    assert mail_on.quiet_for(0.2) == []


def test_disabling_voids_outstanding_reset_links(app, login_as, users, mail_on):
    admin = login_as("admin")
    act(admin, users["bugs"], "reset")
    path = RESET.search(text_of(mail_on.wait_for(1)[0])).group(0).split("wsapp.test", 1)[1]
    act(admin, users["bugs"], "disable")
    act(admin, users["bugs"], "enable")
    assert app.test_client().get(path).status_code == 410


def test_unknown_account_is_404(login_as):
    assert act(login_as("admin"), 999_999, "disable").status_code == 404


# The command line: flask --app wsapp users list|disable|enable|reset EMAIL


def test_cli_list(runner, users):
    result = runner.invoke(args=["users", "list"])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line.split() for line in result.output.splitlines()}
    assert lines["admin@example.org"][1:3] == ["admin", "active"]
    assert lines["bugs@example.org"][1:3] == ["organizer", "active"]
    assert lines["bugs@example.org"][-1] == "bugs-2023"


def test_cli_disable_and_enable(app, runner, users):
    victim = app.test_client()
    login(victim, "bugs@example.org")
    result = runner.invoke(args=["users", "disable", "BUGS@example.org"])
    assert result.exit_code == 0 and "Disabled bugs@example.org" in result.output
    assert victim.get("/manage/").status_code == 303
    assert "disabled" in runner.invoke(args=["users", "list"]).output
    assert runner.invoke(args=["users", "enable", "bugs@example.org"]).exit_code == 0
    assert login(app.test_client(), "bugs@example.org").status_code == 303
    missing = runner.invoke(args=["users", "disable", "nobody@example.org"])
    assert missing.exit_code != 0 and "no account with the e-mail address" in missing.output


def test_cli_reset_prints_the_link_without_mail(app, runner, users):
    result = runner.invoke(args=["users", "reset", "bugs@example.org"])
    assert result.exit_code == 0, result.output
    assert "Mail is not set up" in result.output
    path = RESET.search(result.output).group(0).split("wsapp.test", 1)[1]
    assert app.test_client().get(path).status_code == 200


def test_cli_reset_mails_the_link(app, runner, users, mail_on):
    result = runner.invoke(args=["users", "reset", "bugs@example.org"])
    assert result.exit_code == 0, result.output
    assert "Mailed a reset link to bugs@example.org" in result.output
    assert RESET.search(result.output) is None
    (message,) = mail_on.wait_for(1)
    path = RESET.search(text_of(message)).group(0).split("wsapp.test", 1)[1]
    assert app.test_client().get(path).status_code == 200


def test_cli_reset_reports_a_failed_mail(app, runner, users, mail_on):
    mail_on.refuse["bugs@example.org"] = "550 5.1.1 mailbox unavailable"
    result = runner.invoke(args=["users", "reset", "bugs@example.org"])
    assert result.exit_code != 0
    assert "550 5.1.1 mailbox unavailable" in result.output
    assert RESET.search(result.output)  # the link to pass on instead
    with app.app_context():
        assert db.session.scalar(select(AccountToken.email)) == "bugs@example.org"


def test_cli_reset_needs_the_sites_address(app, runner, users):
    app.config["SERVER_NAME"] = None
    result = runner.invoke(args=["users", "reset", "bugs@example.org"])
    assert result.exit_code != 0 and "WSAPP_SITE_URL" in result.output
    app.config["SITE_URL"] = "https://workshops.example.org"
    result = runner.invoke(args=["users", "reset", "bugs@example.org"])
    assert "https://workshops.example.org/password/reset/" in result.output


def test_cli_reset_of_a_disabled_account_is_refused(app, runner, users):
    runner.invoke(args=["users", "disable", "bugs@example.org"])
    result = runner.invoke(args=["users", "reset", "bugs@example.org"])
    assert result.exit_code != 0 and "enable it first" in result.output


def test_cli_reset_link_logs_in_with_a_new_password(app, runner, users):
    path = RESET.search(runner.invoke(args=["users", "reset", "bugs@example.org"]).output)
    path = path.group(0).split("wsapp.test", 1)[1]
    guest = app.test_client()
    token = csrf_token(guest, path)
    new = "set from the admin's link"
    guest.post(path, data={"csrf_token": token, "password": new, "confirm": new})
    assert login(app.test_client(), "bugs@example.org", PASSWORD).status_code == 422
    assert login(app.test_client(), "bugs@example.org", new).status_code == 303


def test_cli_reset_waits_for_the_mail_even_when_the_app_sends_in_the_background(
    fresh_app, smtp_sink
):
    """A command ends when it returns: it sends at once, whatever MAIL_BACKGROUND says."""
    from accounts import make_user
    from conftest import MAIL_FROM

    app = fresh_app(MAIL_URL=smtp_sink.url, MAIL_FROM=MAIL_FROM)
    assert app.config["MAIL_BACKGROUND"] is True
    with app.app_context():
        db.create_all()
        make_user("ada@example.org")
    result = app.test_cli_runner().invoke(args=["users", "reset", "ada@example.org"])
    assert result.exit_code == 0 and "Mailed a reset link" in result.output, result.output
    assert smtp_sink.received and smtp_sink.received[0]["To"] == "ada@example.org"


def test_accounts_and_access_pages_take_as_many_queries_for_many_accounts(
    app, login_as, users, count_queries
):
    """The lists load accounts, their workshops and their last mail in a fixed number of
    queries, however many there are."""
    from accounts import make_user

    from wsapp.models import Invitation, MailKind, OutgoingMail, Workshop
    from wsapp.services import accounts as account_service

    admin = login_as("admin")
    pages = ("/manage/accounts/", "/manage/bugs-2023/access")

    def counts() -> list[int]:
        found = []
        for page in pages:
            with count_queries() as counter:
                assert admin.get(page).status_code == 200
            found.append(counter.count)
        return found

    def add(numbers) -> None:
        with app.app_context():
            bugs = db.session.scalar(select(Workshop).where(Workshop.slug == "bugs-2023"))
            inviter = db.session.get(User, users["admin"])
            for number in numbers:
                user_id = make_user(f"many{number}@example.org", workshops=["bugs-2023"])
                invitation, _token = account_service.invite(
                    f"invited{number}@example.org", bugs, inviter, 7
                )
                db.session.add_all([
                    OutgoingMail(kind=MailKind.PASSWORD_RESET, recipient="x@example.org",
                                 subject="s", user_id=user_id),
                    OutgoingMail(kind=MailKind.INVITATION, recipient=invitation.email,
                                 subject="s", invitation_id=invitation.id),
                ])  # fmt: skip
            db.session.commit()

    add(range(1))  # one of each: every query the lists make runs
    before = counts()
    add(range(1, 16))
    with app.app_context():
        assert db.session.scalar(select(func.count(Invitation.id))) == 16
    assert counts() == before
