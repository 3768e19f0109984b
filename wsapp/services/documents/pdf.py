"""Whether bytes are a PDF the site may host: parsed by pypdf, never trusted by their name.

A PDF is accepted when pypdf reads it and its pages, it is not encrypted, and nothing in it
runs code in a reader: no JavaScript (actions, the document's JavaScript name tree, scripted
XFA forms) and no launch actions (which open other programs or files). Links to web pages,
the ordinary actions of a LaTeX paper made with hyperref, are fine.
"""

import hashlib
import io
import re
import warnings
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

MAX_PAGES = 2000
# Objects visited in one file before it is refused as too complex (a paper has a few thousand).
MAX_OBJECTS = 300_000

# Keys and action types that run code, as pypdf reads them (name escapes such as /J#61vaScript
# are decoded by then).
SCRIPT_KEYS = {"/JS": "JavaScript", "/JavaScript": "JavaScript", "/XFA": "XFA"}
ACTION_TYPES = {"/JavaScript": "JavaScript", "/Launch": "launch"}
# The same names in the file's uncompressed bytes: objects that no table lists are not parsed,
# but a lenient reader may still find them. Compressed streams (page content) are not searched.
RAW_TOKENS = re.compile(rb"/(JavaScript|JS|Launch)(?=[\s/<>\[\]()%{}]|$)")

_LOOKS_LIKE = (
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"PK\x03\x04", "ZIP (a Word or PowerPoint file?)"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"{\\rtf", "RTF"),
    (b"%!PS", "PostScript"),
)


class PdfError(ValueError):
    """The file is not a PDF we host; `message` says why, in the user's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class CheckedPdf:
    """Bytes that passed the checks, ready to be stored."""

    data: bytes
    sha256: str
    pages: int


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.3g} MB" if size >= 1024 * 1024 else f"{size / 1024:.3g} KB"


def too_large(limit: int) -> PdfError:
    return PdfError(
        _l("The file is larger than %(limit)s: upload a smaller PDF.", limit=megabytes(limit))
    )


def check_pdf(data: bytes, max_bytes: int | None = None) -> CheckedPdf:
    """The checked PDF, or PdfError saying what is wrong with it."""
    if not data:
        raise PdfError(_l("The file is empty."))
    if max_bytes is not None and len(data) > max_bytes:
        raise too_large(max_bytes)
    if b"%PDF-" not in data[:1024]:
        raise _not_a_pdf(data)
    reader, pages = _read(data)
    if pages < 1:
        raise PdfError(_l("The PDF has no pages."))
    if pages > MAX_PAGES:
        raise PdfError(_l("The PDF has more than %(count)s pages.", count=MAX_PAGES))
    found = _active_content(reader) or _raw_active_content(data)
    if found == "launch":
        raise PdfError(
            _l(
                "The PDF contains a launch action (it would open another program): "
                "save it again without it."
            )
        )
    if found:
        raise PdfError(
            _l(
                "The PDF contains %(what)s, which could run in its readers' viewers: "
                "export it again without scripts.",
                what=found,
            )
        )
    return CheckedPdf(data=data, sha256=hashlib.sha256(data).hexdigest(), pages=pages)


def _not_a_pdf(data: bytes) -> PdfError:
    for magic, name in _LOOKS_LIKE:
        if data.startswith(magic):
            return PdfError(_l("This is a %(format)s file, not a PDF.", format=name))
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return PdfError(_l("This is a web page, not a PDF: download the PDF itself."))
    return PdfError(_l("This file is not a PDF."))


def _read(data: bytes) -> tuple[PdfReader, int]:
    damaged = PdfError(_l("The file is damaged or incomplete: it cannot be read as a PDF."))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pypdf warns about what it repairs
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise PdfError(
                    _l("The PDF is encrypted or password-protected: upload it without protection.")
                )
            return reader, len(reader.pages)
        except PdfError:
            raise
        except Exception:  # pypdf raises many kinds of errors on malformed input
            raise damaged from None


def _active_content(reader: PdfReader) -> str | None:
    """What in the file would run code ("JavaScript", "launch", "XFA"), or None.

    Every object the file's cross-reference tables list is visited, and everything reachable
    from its trailer (the document catalog, pages, annotations, forms, name trees).
    """
    seen: set[tuple[int, int]] = set()
    stack: list = [reader.trailer]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            for generation, table in reader.xref.items():
                stack += [IndirectObject(num, generation, reader) for num in table]
            stack += [IndirectObject(num, 0, reader) for num in reader.xref_objStm]
            visited = 0
            while stack:
                item = stack.pop()
                if isinstance(item, IndirectObject):
                    key = (item.idnum, item.generation)
                    if key in seen:
                        continue
                    seen.add(key)
                    item = item.get_object()
                visited += 1
                if visited > MAX_OBJECTS:
                    raise PdfError(_l("The PDF has too many objects to be checked."))
                if isinstance(item, DictionaryObject):
                    found = _dictionary_problem(item)
                    if found:
                        return found
                    stack += list(item.values())
                elif isinstance(item, ArrayObject):
                    stack += list(item)
        except PdfError:
            raise
        except Exception:
            raise PdfError(
                _l("The file is damaged or incomplete: it cannot be read as a PDF.")
            ) from None
    return None


def _dictionary_problem(item: DictionaryObject) -> str | None:
    for key, what in SCRIPT_KEYS.items():
        if key in item:
            return what
    action = item.get("/S")
    if isinstance(action, NameObject) and action in ACTION_TYPES:
        return ACTION_TYPES[action]
    return None


def _raw_active_content(data: bytes) -> str | None:
    match = RAW_TOKENS.search(data)
    if match is None:
        return None
    return "launch" if match[1] == b"Launch" else "JavaScript"
