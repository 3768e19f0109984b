"""Printed ballot codes: XXXXX-XXXXX in Crockford's base32, the last character a check digit.

A code is derived from a secret key, the workshop and a serial number (so organizers can print a
lost sheet again), and only an HMAC of it is stored: a copy of the database alone gives no valid
code. The key is WSAPP_BALLOT_CODE_KEY, else the secret key; changing it invalidates every code
already printed.
"""

import csv
import hashlib
import hmac
import io
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from wsapp.extensions import db
from wsapp.models import BallotCode, Workshop
from wsapp.services.voting.votes import settings_for

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # no I, L, O, U
DATA_CHARS = 9  # 45 random bits, plus one check character
HINT_CHARS = 3
MAX_BATCH = 5000
# What people type for what they see: O for zero, I or L for one; separators are ignored.
_TYPED = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None, ".": None, "_": None})


@dataclass(frozen=True)
class IssuedCode:
    serial: int
    code: str  # formatted, XXXXX-XXXXX

    @property
    def hint(self) -> str:
        return self.code[:HINT_CHARS]


def _key() -> bytes:
    key = current_app.config.get("BALLOT_CODE_KEY") or current_app.config["SECRET_KEY"]
    return key.encode() if isinstance(key, str) else key


def _mac(purpose: str, message: str) -> bytes:
    return hmac.new(_key(), f"{purpose}:{message}".encode(), hashlib.sha256).digest()


def check_char(data: str) -> str:
    """Luhn mod 32: catches every single wrong character and most swapped neighbours."""
    total, factor = 0, 2
    for char in reversed(data):
        addend = factor * ALPHABET.index(char)
        total += addend // 32 + addend % 32
        factor = 3 - factor
    return ALPHABET[(32 - total % 32) % 32]


def fmt(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def normalize(raw: str | None) -> str | None:
    """The canonical 10 characters of a typed or scanned code, or None if it cannot be one."""
    if not raw:
        return None
    code = raw.strip().upper().translate(_TYPED)
    if len(code) != DATA_CHARS + 1 or any(c not in ALPHABET for c in code):
        return None
    if check_char(code[:-1]) != code[-1]:
        return None
    return code


def derive(workshop_id: int, serial: int) -> str:
    """The code with this serial number (formatted)."""
    number = int.from_bytes(_mac("code", f"{workshop_id}:{serial}")[:8], "big") >> (64 - 45)
    data = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(DATA_CHARS)))
    return fmt(data + check_char(data))


def code_hash(normalized: str) -> str:
    return _mac("hash", normalized).hex()


def find_code(workshop: Workshop, normalized: str) -> BallotCode | None:
    return db.session.scalar(
        select(BallotCode).where(
            BallotCode.workshop_id == workshop.id, BallotCode.code_hash == code_hash(normalized)
        )
    )


def generate_codes(workshop: Workshop, n: int) -> list[IssuedCode]:
    """Issue n new codes; returns them in plain text (the database keeps only their HMACs)."""
    if not 1 <= n <= MAX_BATCH:
        raise ValueError(f"between 1 and {MAX_BATCH} codes at a time")
    settings = settings_for(workshop, lock=True)
    serial = settings.last_code_serial
    issued: list[IssuedCode] = []
    seen: set[str] = set()
    while len(issued) < n:
        batch = []
        for _ in range(n - len(issued)):
            serial += 1
            code = derive(workshop.id, serial)
            digest = code_hash(normalize(code))
            if digest not in seen:  # a 45-bit collision: skip that serial
                seen.add(digest)
                batch.append((IssuedCode(serial, code), digest))
        taken = set(
            db.session.scalars(
                select(BallotCode.code_hash).where(
                    BallotCode.workshop_id == workshop.id,
                    BallotCode.code_hash.in_([d for _, d in batch]),
                )
            )
        )
        for item, digest in batch:
            if digest not in taken:
                issued.append(item)
                db.session.add(
                    BallotCode(
                        workshop_id=workshop.id,
                        serial=item.serial,
                        code_hash=digest,
                        hint=item.hint,
                    )
                )
    settings.last_code_serial = serial
    db.session.flush()
    return issued


def issued_codes(
    workshop: Workshop, first: int | None = None, last: int | None = None
) -> list[IssuedCode]:
    """The codes issued so far (serials first..last if given), derived again for printing.

    Skips any code the key no longer makes.
    """
    query = select(BallotCode).where(BallotCode.workshop_id == workshop.id)
    if first is not None:
        query = query.where(BallotCode.serial >= first)
    if last is not None:
        query = query.where(BallotCode.serial <= last)
    rows = db.session.scalars(query.order_by(BallotCode.serial)).all()
    result = []
    for row in rows:
        code = derive(workshop.id, row.serial)
        if code_hash(normalize(code)) == row.code_hash:
            result.append(IssuedCode(row.serial, code))
    return result


def issued_count(workshop: Workshop) -> int:
    return db.session.scalar(
        select(func.count(BallotCode.id)).where(BallotCode.workshop_id == workshop.id)
    )


def codes_csv(codes: list[IssuedCode], vote_url: Callable[[str], str]) -> str:
    """serial,code,url for a mail merge or a card printer."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["serial", "code", "url"])
    for item in codes:
        writer.writerow([item.serial, item.code, vote_url(item.code)])
    return out.getvalue()
