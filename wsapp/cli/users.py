"""flask users ...: user accounts (create an admin, list, disable, enable, reset a password)."""

import sys

import click
from flask import current_app
from flask.cli import AppGroup

from wsapp.cli.common import needs_database
from wsapp.extensions import db
from wsapp.models import OutgoingMail, User
from wsapp.models.users import normalize_email
from wsapp.rules import is_email
from wsapp.services import account_tokens, accounts, mail
from wsapp.services.mail import messages

users = AppGroup("users", help="User accounts.")


def _email(ctx, param, value: str) -> str:
    value = normalize_email(value)
    if not is_email(value):
        raise click.BadParameter(f"{value!r} is not an e-mail address such as ada@example.org")
    return value


def _read_password(from_stdin: bool) -> str:
    """The password from standard input (--password-stdin) or typed twice at the prompt."""
    stdin = sys.stdin if sys.stdin is not None and not sys.stdin.closed else None
    if from_stdin:
        line = stdin.readline() if stdin is not None else ""
        if not line:
            raise click.ClickException("no password on standard input (pipe one line into it)")
        return line.rstrip("\r\n")
    if stdin is None:
        raise click.ClickException("standard input is closed: pass --password-stdin and pipe it")
    try:
        # hidden only at a terminal (getpass warns, and echoes anyway, on a pipe)
        return click.prompt(
            "Password", hide_input=stdin.isatty(), confirmation_prompt=True, err=True
        )
    except click.Abort:
        raise click.ClickException(
            "no password given: type it at the prompt, or pass --password-stdin and pipe it"
        ) from None


@users.command("create-admin")
@click.argument("email", callback=_email)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@needs_database
def users_create_admin(email: str, password_stdin: bool) -> None:
    """Create a site admin who can log in with EMAIL (asks for the password)."""
    if accounts.user_by_email(email) is not None:
        raise click.ClickException(f"a user with the e-mail address {email} already exists")
    password = _read_password(password_stdin)
    try:
        user = accounts.create_admin(email, password)
    except accounts.AccountError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Created site admin {user.email}")


@users.command("list")
@needs_database
def users_list() -> None:
    """Every account: address, role, state, last log-in and workshops."""
    rows = accounts.users_with_workshops()
    if not rows:
        click.echo("No accounts. Create one with: flask --app wsapp users create-admin EMAIL")
        return
    width = max(len(user.email) for user, _workshops in rows)
    for user, workshops in rows:
        role = "admin" if user.is_admin else "organizer"
        state = "active" if user.active else "disabled"
        last = user.last_login_dt.strftime("%Y-%m-%d %H:%M UTC") if user.last_login_dt else "never"
        slugs = ", ".join(w.slug for w in workshops) or "-"
        click.echo(f"{user.email:<{width}}  {role:<9}  {state:<8}  {last:<20}  {slugs}")


def _user(email: str) -> User:
    user = accounts.user_by_email(email)
    if user is None:
        raise click.ClickException(f"no account with the e-mail address {email}")
    return user


@users.command("disable")
@click.argument("email")
@needs_database
def users_disable(email: str) -> None:
    """Refuse log-ins for EMAIL and end all of its sessions."""
    user = _user(email)
    accounts.set_active(user, False)
    db.session.commit()
    click.echo(f"Disabled {user.email}; its sessions have ended")


@users.command("enable")
@click.argument("email")
@needs_database
def users_enable(email: str) -> None:
    """Let EMAIL log in again."""
    user = _user(email)
    accounts.set_active(user, True)
    db.session.commit()
    click.echo(f"Enabled {user.email}")


@users.command("reset")
@click.argument("email")
@needs_database
def users_reset(email: str) -> None:
    """Make a password reset link for EMAIL: mailed when mail is set up, else printed.

    Links point at WSAPP_SITE_URL (or WSAPP_SERVER_NAME).
    """
    user = _user(email)
    if not user.is_active:
        raise click.ClickException(f"{user.email} is disabled: enable it first")
    config = current_app.config
    if not (config.get("SITE_URL") or config.get("SERVER_NAME")):
        raise click.ClickException(
            "set WSAPP_SITE_URL to the site's address (such as https://workshops.example.org)"
            " so that the link points at it"
        )
    url, minutes = account_tokens.reset_link(user)
    if not mail.configured():
        db.session.commit()
        click.echo(f"Mail is not set up: pass this link on to {user.email}.")
        click.echo(f"It works once, within {minutes} minutes:")
        click.echo(url)
        return
    # A command ends when it returns: send now, and say how it went.
    config.update(MAIL_BACKGROUND=False, MAIL_RETRY_SECONDS=[])
    record = messages.password_reset(user, url, minutes, None)
    db.session.commit()
    record = db.session.get(OutgoingMail, record.id, populate_existing=True)
    if record.status != "sent":
        click.echo(f"Pass this link on instead (it works once, within {minutes} minutes):")
        click.echo(url)
        raise click.ClickException(f"the mail to {user.email} failed: {record.error}")
    click.echo(f"Mailed a reset link to {user.email}; it works once, within {minutes} minutes")
