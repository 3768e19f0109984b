"""Whose ballot is this: the browser's signed token, a claimed code, or a new open-mode ballot.

A browser holds a random token in a signed cookie (only its sha256 is stored). In codes mode a
code starts a ballot bound to the browser that presents it. The code counts as *used* once its
ballot holds a vote: from then on only that browser may change the votes, and the code presented
anywhere else is refused as already used. Until the first vote, presenting the code from another
browser moves the ballot there (a code scanned in a camera's preview browser can still be opened
in the real browser). In open mode the first vote creates the ballot for the browser's token.
"""

import functools
import hashlib
import secrets
from enum import StrEnum

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import and_, bindparam, exists, select, update

from wsapp.extensions import db
from wsapp.models import Ballot, BallotCode, Vote, Workshop
from wsapp.services.voting.votes import insert_for_dialect
from wsapp.timezones.clock import now

COOKIE_MAX_AGE = 60 * 60 * 24 * 30


class CodeState(StrEnum):
    FREE = "free"  # nobody holds it, or its holder has not voted yet
    MINE = "mine"  # this browser holds its ballot
    USED = "used"  # another browser holds its ballot and has voted


def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@functools.lru_cache(maxsize=8)
def token_serializer(secret_key: str) -> URLSafeSerializer:
    """What signs the ballot cookie, for an app's SECRET_KEY (built once: building it costs
    more than checking a signature)."""
    return URLSafeSerializer(secret_key, salt="wsapp.ballot")


def sign_token(token: str) -> str:
    return token_serializer(current_app.config["SECRET_KEY"]).dumps(token)


def unsign_token(value: str | None, secret_key: str | None = None) -> str | None:
    """The token in a cookie value, or None if it is missing or was tampered with (the app's
    SECRET_KEY unless `secret_key` is given)."""
    if not value:
        return None
    try:
        token = token_serializer(secret_key or current_app.config["SECRET_KEY"]).loads(value)
    except BadSignature:
        return None
    return token_or_none(token)


def token_or_none(payload) -> str | None:
    """A signed cookie's payload if it is a token as new_token makes them, else None."""
    return payload if isinstance(payload, str) and 16 <= len(payload) <= 64 else None


def ballot_for_token(workshop: Workshop, token: str | None) -> Ballot | None:
    if not token:
        return None
    return db.session.scalar(
        select(Ballot).where(
            Ballot.workshop_id == workshop.id, Ballot.token_hash == token_hash(token)
        )
    )


def workshop_and_ballot(slug: str, token: str | None) -> tuple[Workshop | None, Ballot | None]:
    """A workshop by slug and this browser's ballot in it, in one query."""
    if not token:
        return db.session.scalar(select(Workshop).where(Workshop.slug == slug)), None
    params = {"w_slug": slug, "b_token_hash": token_hash(token)}
    row = db.session.execute(_workshop_and_ballot(), params).first()
    return (row[0], row[1]) if row is not None else (None, None)


@functools.cache
def _workshop_and_ballot():
    """The statement of every vote's first round trip, built once (building it costs more than
    SQLAlchemy's compiled-statement cache saves)."""
    return (
        select(Workshop, Ballot)
        .outerjoin(
            Ballot,
            and_(
                Ballot.workshop_id == Workshop.id,
                Ballot.token_hash == bindparam("b_token_hash"),
            ),
        )
        .where(Workshop.slug == bindparam("w_slug"))
    )


def _has_votes(ballot_id) -> exists:
    return exists().where(Vote.ballot_id == ballot_id)


def code_state(code: BallotCode, token: str | None) -> CodeState:
    ballot = db.session.scalar(select(Ballot).where(Ballot.code_id == code.id))
    if ballot is None:
        return CodeState.FREE
    if token and ballot.token_hash == token_hash(token):
        return CodeState.MINE
    return CodeState.USED if db.session.scalar(select(_has_votes(ballot.id))) else CodeState.FREE


def claim_code(code: BallotCode, token: str) -> Ballot | None:
    """Bind the code's ballot to this browser's token; None if the code is already used.

    Two statements, each atomic: create the ballot unless it exists, then take it over only if
    it is ours already or holds no vote. Of two browsers racing, exactly one gets it.
    """
    mine = token_hash(token)
    db.session.execute(
        insert_for_dialect(Ballot)
        .values(workshop_id=code.workshop_id, code_id=code.id, token_hash=mine, created_dt=now())
        .on_conflict_do_nothing(index_elements=["code_id"])
    )
    taken = db.session.execute(
        update(Ballot)
        .where(
            Ballot.code_id == code.id,
            (Ballot.token_hash == mine) | ~_has_votes(Ballot.id),
        )
        .values(token_hash=mine)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        return None
    ballot = db.session.scalar(select(Ballot).where(Ballot.code_id == code.id))
    db.session.refresh(ballot)
    return ballot


def open_ballot(workshop: Workshop, token: str) -> Ballot:
    """The open-mode ballot of this token, created if new (concurrent first votes make one)."""
    db.session.execute(
        insert_for_dialect(Ballot)
        .values(
            workshop_id=workshop.id, code_id=None, token_hash=token_hash(token), created_dt=now()
        )
        .on_conflict_do_nothing(index_elements=["token_hash"])
    )
    return ballot_for_token(workshop, token)


def seed_for(ballot: Ballot | None, code: BallotCode | None, token: str | None) -> str:
    """What a ballot's candidate order is derived from: its code, else its browser token."""
    if code is not None:
        return code.code_hash
    if ballot is not None and ballot.code is not None:
        return ballot.code.code_hash
    return token_hash(token or "")
