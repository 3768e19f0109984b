"""People: the keys that name them in content files and links."""

from sqlalchemy import select

from wsapp.extensions import db
from wsapp.models import Person
from wsapp.rules import slugify


def new_key(name: str) -> str:
    """A key no one has yet, from a name: "Bo Li" -> "bo-li" (then "bo-li-2", ...)."""
    base = slugify(name, fallback="person")
    key, n = base, 1
    while db.session.scalar(select(Person.id).where(Person.key == key)):
        n += 1
        key = f"{base}-{n}"
    return key
