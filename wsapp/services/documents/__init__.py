"""Hosted PDFs (a paper, its poster, its slides): checked, stored once, served from /media/.

- `read_upload(file_storage) -> bytes` reads an upload, refusing more than WSAPP_MAX_PDF_BYTES.
- `check(data) -> CheckedPdf` parses the bytes with pypdf (pdf.py says what is refused);
  raises `PdfError`, whose `message` (lazily translated) says what was wrong.
- `store(checked) -> Document` writes `<sha256>.pdf` into WSAPP_MEDIA_DIR (never overwritten)
  and returns its record, the existing one for bytes stored before; no commit.

A page links a document with `url_for("media.pdf", digest=doc.sha256, filename=...)`: the
name in the address is the one a browser saves it under (the static copy keeps it too).
"""

import re

from flask import current_app
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from wsapp.extensions import db
from wsapp.models.media import Document
from wsapp.rules import slugify
from wsapp.services.documents.pdf import CheckedPdf, PdfError, check_pdf, megabytes, too_large
from wsapp.services.images import storage

__all__ = ["CheckedPdf", "Document", "PdfError", "check", "download_name", "megabytes"]

FILENAME = re.compile(r"[a-z0-9][a-z0-9-]{0,99}\.pdf")


def max_bytes() -> int:
    return int(current_app.config["MAX_PDF_BYTES"])


def read_upload(file_storage: FileStorage) -> bytes:
    """The uploaded bytes, or PdfError if there are none or more than the configured limit."""
    limit = max_bytes()
    stream = file_storage.stream
    if stream.seekable():
        stream.seek(0)
    data = stream.read(limit + 1)  # the client's Content-Length is not to be trusted
    if len(data) > limit:
        raise too_large(limit)
    return data


def check(data: bytes) -> CheckedPdf:
    return check_pdf(data, max_bytes())


def store(checked: CheckedPdf) -> Document:
    """Write the file (unless there) and return its record, added to the session."""
    storage.save(checked.data, ".pdf")
    document = db.session.scalar(select(Document).where(Document.sha256 == checked.sha256))
    if document is None:
        document = Document(sha256=checked.sha256, bytes=len(checked.data), pages=checked.pages)
        db.session.add(document)
    return document


def exists(document: Document) -> bool:
    return storage.exists(document.file, storage.PDF_NAME)


def download_name(title: str, part: str = "") -> str:
    """The file name a paper's PDF is offered under: "effective-backdoor-mitigation-poster.pdf"."""
    stem = slugify(title or "", fallback="paper")[:80].strip("-")
    if part:
        stem = f"{stem}-{part}"
    return f"{stem}.pdf"
