"""flask users ...: user accounts."""

import sys

import click
from flask.cli import AppGroup

from wsapp.extensions import db
from wsapp.services import accounts

users = AppGroup("users", help="User accounts.")


@users.command("create-admin")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_create_admin(email: str, password_stdin: bool) -> None:
    """Create a site admin who can log in with EMAIL (asks for the password)."""
    if accounts.user_by_email(email) is not None:
        raise click.ClickException(f"a user with the e-mail address {email} already exists")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = accounts.create_admin(email, password)
    except accounts.AccountError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Created site admin {user.email}")
