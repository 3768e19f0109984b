"""PDFs for tests: a small real one written byte by byte, and hostile variants of any PDF.

`paper_pdf(title)` writes a valid PDF 1.4 (one page of Helvetica text, exact xref offsets).
The hostile ones are made with pypdf's own writer (JavaScript open action, encryption, a launch
action) or written by hand where pypdf's writer would not (JavaScript inside a compressed object
stream, a name-escaped /J#61vaScript) so that each of the checker's paths is exercised.
The real-world PDF is tests/fixtures/pdf/shared-mime-info-spec.pdf (pdfTeX, LaTeX + hyperref).
"""

import io
import zlib
from pathlib import Path

from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

REAL_PDF = Path(__file__).parent / "fixtures" / "pdf" / "shared-mime-info-spec.pdf"


def _escape(text: str) -> bytes:
    raw = text.encode("latin-1", "replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _write(objects: dict[int, bytes], root: int = 1) -> bytes:
    """A PDF with these numbered objects and a classic cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        if number in offsets:
            out += b"%010d 00000 n \n" % offsets[number]
        else:
            out += b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, xref)
    return bytes(out)


def _page_objects(title: str, pages: int = 1, catalog_extra: bytes = b"") -> dict[int, bytes]:
    kids = b" ".join(b"%d 0 R" % (10 + 2 * i) for i in range(pages))
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R" + catalog_extra + b" >>",
        2: b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    for i in range(pages):
        text = b"BT /F1 18 Tf 72 720 Td (" + _escape(title) + b") Tj ET\n"
        text += b"BT /F1 11 Tf 72 690 Td (Page %d of %d) Tj ET" % (i + 1, pages)
        objects[10 + 2 * i] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]"
            b" /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (11 + 2 * i)
        )
        objects[11 + 2 * i] = b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream"
    return objects


def paper_pdf(title: str = "A Paper", pages: int = 1) -> bytes:
    """A valid PDF whose pages show the title."""
    return _write(_page_objects(title, pages))


def _rewritten(data: bytes, change) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(data))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def with_javascript(data: bytes) -> bytes:
    """The PDF with a JavaScript action run when it opens (pypdf's add_open_action)."""
    return _rewritten(data, lambda w: w.add_open_action(JavaScript("app.alert('hello');")))


def encrypted(data: bytes, user_password: str = "secret") -> bytes:
    """The PDF encrypted (AES-256); with user_password "" it opens without asking."""
    return _rewritten(data, lambda w: w.encrypt(user_password, "owner", algorithm="AES-256"))


def with_launch(data: bytes) -> bytes:
    """The PDF with a launch action (opens a program) as its open action."""

    def change(writer):
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("a.exe")}
        )

    return _rewritten(data, change)


def escaped_javascript(title: str = "Escaped") -> bytes:
    """JavaScript named /J#61vaScript: a byte search misses it, a PDF reader does not."""
    objects = _page_objects(title, catalog_extra=b" /OpenAction 5 0 R")
    objects[5] = b"<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>"
    return _write(objects)


def javascript_in_object_stream(title: str = "Hidden") -> bytes:
    """A PDF 1.5 whose catalog and JavaScript action sit in a compressed object stream, listed
    by a cross-reference stream: nothing about them is visible in the file's bytes."""
    pages = _page_objects(title)
    hidden = {
        1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>",
        5: b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>",
    }
    body, offsets = b"", []
    for number, data in hidden.items():
        offsets.append((number, len(body)))
        body += data + b"\n"
    header = b" ".join(b"%d %d" % pair for pair in offsets) + b"\n"
    packed = zlib.compress(header + body)
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    positions = {}
    for number in (2, 3, 10, 11):
        positions[number] = len(out)
        out += b"%d 0 obj\n" % number + pages[number] + b"\nendobj\n"
    positions[6] = len(out)
    out += (
        b"6 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(hidden), len(header), len(packed))
        + packed
        + b"\nendstream\nendobj\n"
    )
    xref_at = len(out)
    rows = []
    for number in range(13):
        if number in positions:
            rows.append(b"\x01" + positions[number].to_bytes(4, "big") + b"\x00")
        elif number in hidden:
            index = list(hidden).index(number)
            rows.append(b"\x02" + (6).to_bytes(4, "big") + bytes([index]))
        elif number == 12:
            rows.append(b"\x01" + xref_at.to_bytes(4, "big") + b"\x00")
        else:
            rows.append(b"\x00" + b"\x00\x00\x00\x00" + b"\xff")
    table = zlib.compress(b"".join(rows))
    out += (
        b"12 0 obj\n<< /Type /XRef /Size 13 /Root 1 0 R /W [1 4 1] /Filter /FlateDecode"
        b" /Length %d >>\nstream\n"
        % len(table)
        + table
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    )
    return bytes(out)
