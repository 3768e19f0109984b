"""Hosted PDFs in the content format: `pdf: {sha256: ..., bytes: ..., pages: ...}` or null.

The file itself, `<sha256>.pdf`, lives in WSAPP_MEDIA_DIR and is copied with it (backups carry
it). Loading finds the stored record by its sha256, or records the one the file describes.
"""

from typing import Any

from sqlalchemy import select

from wsapp import rules
from wsapp.extensions import db
from wsapp.models.media import Document
from wsapp.services.content.images import SHA256
from wsapp.services.content.values import ContentError


def read_document(value: Any, where: str, store: bool = True) -> Document | None:
    """The hosted PDF a `pdf:` value describes (store=False: checked only, no query runs)."""
    if value is None:
        return None
    if not isinstance(value, dict) or not SHA256.fullmatch(str(value.get("sha256") or "")):
        raise ContentError(
            f"{where}: expected {{sha256: <64 lowercase hex digits>, bytes: n, pages: n}} or null"
        )
    numbers = {}
    for field in ("bytes", "pages"):
        number = value.get(field)
        if isinstance(number, bool) or not isinstance(number, int):
            number = 0
        if not 1 <= number <= rules.MAX_INT:
            raise ContentError(f"{where}: {field} must be a positive whole number")
        numbers[field] = number
    if not store:
        return Document(sha256=value["sha256"], **numbers)
    pending = (d for d in db.session.new if isinstance(d, Document))
    document = next((d for d in pending if d.sha256 == value["sha256"]), None)
    if document is None:
        with db.session.no_autoflush:
            query = select(Document).where(Document.sha256 == value["sha256"])
            document = db.session.scalar(query)
    if document is None:
        document = Document(sha256=value["sha256"], **numbers)
        db.session.add(document)
    return document


def write_document(document: Document | None) -> dict | None:
    if document is None:
        return None
    return {"sha256": document.sha256, "bytes": document.bytes, "pages": document.pages}
