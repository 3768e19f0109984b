"""Users, passwords, workshop memberships and invitations (no commit, no request)."""

import datetime as dt
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from wsapp.extensions import db
from wsapp.models import Invitation, User, Workshop, WorkshopOrganizer
from wsapp.models.users import normalize_email
from wsapp.timezones.clock import now

MIN_PASSWORD = 10
# Argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): about 60 ms here.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
# Verifying against this keeps the time of a log-in for an unknown e-mail like a known one.
_DUMMY_HASH = _hasher.hash("not a real password")


class AccountError(ValueError):
    """A request about accounts that cannot be carried out; the message says why."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, else None."""
    user = user_by_email(email)
    stored = user.password_hash if user and user.password_hash else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.password_hash or not user.is_active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_dt = now()
    return user


def create_admin(email: str, password: str) -> User:
    if user_by_email(email) is not None:
        raise AccountError(f"a user with the e-mail address {normalize_email(email)} exists")
    check_password(password)
    user = User(email=email, password_hash=hash_password(password), is_admin=True)
    db.session.add(user)
    db.session.flush()
    return user


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password needs at least {MIN_PASSWORD} characters")


def can_manage(user, workshop: Workshop) -> bool:
    """Site admins manage every workshop; organizers the workshops they belong to."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_admin:
        return True
    return workshop.id in managed_workshop_ids(user)


def managed_workshop_ids(user: User) -> set[int]:
    return set(
        db.session.scalars(
            select(WorkshopOrganizer.workshop_id).where(WorkshopOrganizer.user_id == user.id)
        )
    )


def managed_workshops(user: User) -> list[Workshop]:
    query = select(Workshop).order_by(Workshop.start_date.desc().nulls_last(), Workshop.title)
    if not user.is_admin:
        query = query.join(WorkshopOrganizer).where(WorkshopOrganizer.user_id == user.id)
    return db.session.scalars(query).all()


def organizers(workshop: Workshop) -> list[WorkshopOrganizer]:
    return db.session.scalars(
        select(WorkshopOrganizer)
        .join(User)
        .where(WorkshopOrganizer.workshop_id == workshop.id)
        .order_by(User.email)
    ).all()


def add_organizer(user: User, workshop: Workshop) -> WorkshopOrganizer:
    existing = db.session.scalar(
        select(WorkshopOrganizer).where(
            WorkshopOrganizer.user_id == user.id, WorkshopOrganizer.workshop_id == workshop.id
        )
    )
    if existing:
        return existing
    membership = WorkshopOrganizer(user=user, workshop=workshop)
    db.session.add(membership)
    return membership


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(
    email: str, workshop: Workshop, by: User | None, ttl_days: int
) -> tuple[Invitation, str]:
    """A new invitation and its token (the token itself is never stored)."""
    token = secrets.token_urlsafe(32)
    instant = now()
    invitation = Invitation(
        token_hash=_token_hash(token),
        email=email,
        workshop=workshop,
        invited_by=by,
        created_dt=instant,
        expires_dt=instant + dt.timedelta(days=ttl_days),
    )
    db.session.add(invitation)
    db.session.flush()
    return invitation, token


def pending_invitations(workshop: Workshop) -> list[Invitation]:
    return db.session.scalars(
        select(Invitation)
        .where(Invitation.workshop_id == workshop.id, Invitation.used_dt.is_(None))
        .order_by(Invitation.created_dt.desc())
    ).all()


def invitation_for(token: str) -> Invitation | None:
    """The invitation a token belongs to, whether or not it can still be used."""
    if not token or len(token) > 200:
        return None
    return db.session.scalar(select(Invitation).where(Invitation.token_hash == _token_hash(token)))


def accept(invitation: Invitation, password: str | None, user: User | None = None) -> User:
    """Use the invitation: set the password of a new (or password-less) user, or link `user`."""
    instant = now()
    if not invitation.is_usable(instant):
        raise AccountError(_l("this invitation has expired or has been used"))
    if user is None:
        user = user_by_email(invitation.email)
        if user is not None and user.password_hash:
            raise AccountError(_l("an account with this e-mail exists: log in to accept"))
        if password is None:
            raise AccountError(_l("a password is required"))
        check_password(password)
        if user is None:
            user = User(email=invitation.email)
            db.session.add(user)
        user.password_hash = hash_password(password)
        user.active = True
    elif user.email != invitation.email:
        raise AccountError(_l("this invitation is for %(email)s", email=invitation.email))
    invitation.used_dt = instant
    add_organizer(user, invitation.workshop)
    db.session.flush()
    return user
