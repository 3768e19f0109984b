"""Single-use links mailed to a user: password resets and new-address confirmations.

Only the SHA-256 of a token is stored. A link is used at most once even when two requests race
(the use is one conditional UPDATE), expires, and stops working when a newer event makes it
moot: a password set another way, the account disabled, the address taken meanwhile.
"""

import datetime as dt

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from wsapp.extensions import db
from wsapp.models import AccountToken, TokenPurpose, User
from wsapp.models.users import normalize_email
from wsapp.services import accounts
from wsapp.services.accounts import AccountError
from wsapp.services.mail import compose, messages
from wsapp.timezones.clock import now


def issue(
    user: User, purpose: TokenPurpose, ttl: dt.timedelta, email: str | None = None
) -> tuple[AccountToken, str]:
    """A new link for `user` (to `email`, by default the user's address) and its token."""
    token = accounts.new_token()
    instant = now()
    row = AccountToken(
        purpose=purpose,
        token_hash=accounts.token_hash(token),
        user=user,
        email=email or user.email,
        created_dt=instant,
        expires_dt=instant + ttl,
    )
    db.session.add(row)
    db.session.flush()
    return row, token


def reset_link(user: User, base: str | None = None) -> tuple[str, int]:
    """A new password reset link for `user`, and the minutes it works."""
    minutes = int(current_app.config["PASSWORD_RESET_TTL_MINUTES"])
    _row, token = issue(user, TokenPurpose.PASSWORD_RESET, dt.timedelta(minutes=minutes))
    return compose.external_url("account_password.reset", base, token=token), minutes


def mail_reset_link(email: str, locale: str, base: str | None) -> None:
    """What "forgot password" does once the request has answered (outbox.later): a link for
    an active account with this address, mailed; nothing for any other address."""
    user = accounts.user_by_email(email)
    if user is None or not user.is_active:
        return
    url, minutes = reset_link(user, base)
    messages.password_reset(user, url, minutes, locale)


def find(token: str, purpose: TokenPurpose) -> AccountToken | None:
    """The link a token belongs to, whether or not it can still be used."""
    if not token or len(token) > 200:
        return None
    return db.session.scalar(
        select(AccountToken).where(
            AccountToken.token_hash == accounts.token_hash(token), AccountToken.purpose == purpose
        )
    )


def pending(user: User, purpose: TokenPurpose) -> AccountToken | None:
    """The user's newest link of this kind that can still be used, if any."""
    return db.session.scalar(
        select(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == purpose,
            AccountToken.used_dt.is_(None),
            AccountToken.expires_dt > now(),
        )
        .order_by(AccountToken.id.desc())
        .limit(1)
    )


def usable(row: AccountToken) -> bool:
    return row.is_usable(now()) and row.user.is_active


def _use(row: AccountToken) -> None:
    """Mark the link used, or refuse it if it is not usable or another request used it first."""
    if not usable(row):
        raise AccountError(_l("This link has expired or has already been used."))
    used = db.session.execute(
        update(AccountToken)
        .where(AccountToken.id == row.id, AccountToken.used_dt.is_(None))
        .values(used_dt=now())
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:
        raise AccountError(_l("This link has expired or has already been used."))
    db.session.expire(row, ["used_dt"])


def reset_password(row: AccountToken, password: str) -> User:
    """Use a reset link: the new password, every session of the account ended, other links void."""
    accounts.check_password(password)
    _use(row)
    accounts.set_password(row.user, password)
    db.session.flush()
    return row.user


def request_email_change(user: User, new_email: str, ttl: dt.timedelta) -> tuple[AccountToken, str]:
    """A link to mail to `new_email`; the address changes when it is used."""
    new_email = normalize_email(new_email)
    if new_email == user.email:
        raise AccountError(_l("This is already your address."))
    if accounts.user_by_email(new_email) is not None:
        raise AccountError(_l("Another account uses this address."))
    accounts.revoke_links(user, TokenPurpose.EMAIL_CHANGE)
    return issue(user, TokenPurpose.EMAIL_CHANGE, ttl, email=new_email)


def confirm_email_change(row: AccountToken) -> str:
    """Use a confirmation link: the account takes the new address; returns the old one."""
    other = accounts.user_by_email(row.email)
    if other is not None and other.id != row.user_id:
        raise AccountError(_l("Another account uses this address."))
    _use(row)
    user = row.user
    old = user.email
    user.email = row.email
    accounts.revoke_links(user, TokenPurpose.EMAIL_CHANGE)
    accounts.revoke_links(user, TokenPurpose.PASSWORD_RESET)  # they were mailed to the old address
    db.session.flush()
    return old
