"""flask users ...: user accounts."""

import sys

import click
from flask.cli import AppGroup

from wsapp.cli.common import needs_database
from wsapp.extensions import db
from wsapp.models.users import normalize_email
from wsapp.services import accounts
from wsapp.validation import is_email

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
