"""Helpers for tests that log in: users, CSRF tokens and logging a test client in."""

import re
from functools import cache

from wsapp.extensions import db
from wsapp.models import User, Workshop
from wsapp.services import accounts

PASSWORD = "correct horse battery staple"
_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


def make_user(email: str, admin: bool = False, workshops=(), password: str = PASSWORD) -> int:
    """Create a user (inside an app context), organizer of the workshops with these slugs."""
    user = User(email=email, password_hash=_hash(password), is_admin=admin)
    db.session.add(user)
    for slug in workshops:
        workshop = db.session.scalar(db.select(Workshop).where(Workshop.slug == slug))
        accounts.add_organizer(user, workshop)
    db.session.commit()
    return user.id


@cache
def _hash(password: str) -> str:
    # Hashing is deliberately slow; the tests reuse one hash per password.
    return accounts.hash_password(password)


def csrf_token(client, path: str = "/login") -> str:
    """The CSRF token of the client's session, read from a page."""
    match = _TOKEN.search(client.get(path).text)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


def login(client, email: str, password: str = PASSWORD):
    return client.post(
        "/login", data={"email": email, "password": password, "csrf_token": csrf_token(client)}
    )
