"""People: the keys that name them in content files and links, and the names of an author list."""

import re

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


# "A, B, and C", "A, B & C", "A; B", "A and B": the separators of an author list.
_SEPARATORS = re.compile(r"\s*(?:;|,\s*(?:and|&)\s+|,|\s+and\s+|\s*&\s*|\n)\s*", re.IGNORECASE)
# What follows a name but is not one: "John Smith, Jr." and equal-contribution marks.
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "ph.d."}
_MARKS = "*†‡§¶#0123456789 "


def split_names(text: str) -> list[str]:
    """The people of a free-text author list, in order, each once:
    "Krishna Murthy Jatavallabhula, Soroush Saryazdi, and Liam Paull" -> three names."""
    names: list[str] = []
    for part in _SEPARATORS.split(text or ""):
        name = " ".join(part.split()).rstrip(_MARKS).strip()
        if not name:
            continue
        if names and name.casefold() in _SUFFIXES:
            names[-1] = f"{names[-1]}, {name}"
        elif name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    return names
