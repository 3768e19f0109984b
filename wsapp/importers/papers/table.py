"""Accepted papers from a spreadsheet: CSV exported from CMT, EasyChair or by hand, or YAML.

Columns are matched by name, case and spacing ignored (docs/papers.md lists them):

- id: `id`, `paper id` (CMT), `#` (EasyChair), `submission id`, `number`
- title: `title`, `paper title`; authors: `authors`, `author names`
- `abstract`; `presentation`, `decision` or `status` ("Accept (Oral)", "poster", ...):
  rows whose decision is a rejection or a withdrawal are skipped
- `poster session`, `board`; links: `paper url` (`url`, `arxiv`), `openreview`, `code`,
  `video`, `slides`; `pdf`: a PDF file, relative to the spreadsheet, to host

CMT writes authors as "Jane Doe (MIT)*; John Smith (ETH)": affiliations and the contact
author's star are dropped. The source, and so each paper's id, is "cmt" when the header has
CMT's "Paper ID", "easychair" when it has EasyChair's "#", else "csv" (or "yaml").
"""

import csv
import io
import re
from pathlib import Path

import yaml

from wsapp import rules
from wsapp.importers.papers.records import (
    ImportFailed,
    Incoming,
    Report,
    clean,
    presentation_in,
)
from wsapp.models.papers import split_authors
from wsapp.services import documents

COLUMNS = {
    "id": ("id", "paper id", "#", "submission id", "submission", "number", "paper number"),
    "title": ("title", "paper title"),
    "authors": ("author names", "authors", "author list", "author"),
    "abstract_md": ("abstract",),
    "presentation": ("presentation", "decision", "status", "type", "track"),
    "poster_session": ("poster session", "session"),
    "board": ("board", "poster board", "board number", "poster number"),
    "paper_url": ("paper url", "url", "arxiv", "paper link", "link"),
    "openreview_url": ("openreview", "openreview url", "forum"),
    "code_url": ("code", "code url", "github"),
    "video_url": ("video", "video url"),
    "slides_url": ("slides", "slides url"),
    "pdf": ("pdf", "pdf file", "file"),
}
REFUSED = re.compile(r"reject|withdr|desk|declin|await|pending|under review", re.I)
SKIP_VALUES = {"false", "no", "0"}


def _key(name) -> str:
    return " ".join(str(name or "").replace("_", " ").strip().lower().split())


def read_rows(path: Path, report: Report) -> tuple[str, list[dict]]:
    """The source name and the rows (column name -> text) of a CSV, TSV or YAML file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(f"cannot read {path}: {exc.strerror}") from None
    if path.suffix.lower() in (".yaml", ".yml", ".md"):
        return "yaml", _yaml_rows(raw, path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
        report.note(f"{path.name} is not UTF-8: it was read as Windows-1252 (Excel)")
    # the header line's most frequent separator (a sniffer is misled by commas in abstracts)
    header_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header_line.count)
    rows = list(csv.DictReader(io.StringIO(text), delimiter=delimiter))
    header = {_key(name) for name in (rows[0].keys() if rows else [])}
    source = "cmt" if "paper id" in header else "easychair" if "#" in header else "csv"
    return source, rows


def _yaml_rows(raw: bytes, path: Path) -> list[dict]:
    try:
        documents_ = [d for d in yaml.safe_load_all(raw.decode("utf-8-sig")) if d is not None]
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ImportFailed(f"{path.name} is not valid YAML: {exc}") from None
    rows: list = []
    for document in documents_:
        if isinstance(document, dict) and isinstance(document.get("papers"), list):
            rows += document["papers"]
        elif isinstance(document, list):
            rows += document
        elif isinstance(document, dict):
            rows.append(document)  # one paper per document, as in a Jekyll collection file
        else:
            break  # the Markdown body after a Jekyll front matter
    if not all(isinstance(row, dict) for row in rows):
        raise ImportFailed(f"{path.name}: expected a list of papers (mappings of fields)")
    return rows


def parse(path: Path, report: Report, source: str | None = None) -> tuple[str, list[Incoming]]:
    """The source name and the accepted papers of the file."""
    detected, rows = read_rows(path, report)
    source = source or detected
    columns = _columns(rows, report)
    found = []
    for number, row in enumerate(rows, start=2 if detected != "yaml" else 1):
        where = f"{path.name} row {number}" if detected != "yaml" else f"{path.name} #{number}"
        item = _incoming(row, columns, source, path.parent, where, report)
        if item is not None:
            found.append(item)
    return source, found


def _columns(rows: list[dict], report: Report) -> dict[str, str]:
    """Our field -> the file's column name, for the columns the file has."""
    names: dict[str, str] = {}
    for row in rows:  # YAML rows may each name other fields
        for name in row:
            if name is not None:
                names.setdefault(_key(name), name)
    chosen = {}
    for field, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in names:
                chosen[field] = names[alias]
                break
    if rows and "title" not in chosen:
        raise ImportFailed("no title column (name one “title” or “paper title”)")
    unused = sorted(set(names.values()) - set(chosen.values()) - {"published"}, key=str)
    if unused:
        report.note("Columns not imported: " + ", ".join(map(str, unused)))
    return chosen


def _text(row: dict, columns: dict, field: str) -> str | None:
    value = row.get(columns[field]) if field in columns else None
    if value is None or isinstance(value, dict | list | bool):
        return None
    text = " ".join(str(value).split()) if field != "abstract_md" else str(value)
    return clean(text)


def _incoming(row, columns, source, folder: Path, where: str, report: Report):
    if str(row.get("published", "")).strip().lower() in SKIP_VALUES:
        report.note(f"{where}: skipped (published: false)")
        return None
    title = _text(row, columns, "title")
    if not title:
        report.problem(f"{where}: no title: skipped")
        return None
    decision = _text(row, columns, "presentation")
    if decision and REFUSED.search(decision):
        report.note(f"{where}: “{title}” skipped ({decision})")
        return None
    ident = _text(row, columns, "id") or rules.slugify(title)
    item = Incoming(
        source_id=f"{source}:{ident}"[:200],
        title=title[:500],
        authors=_authors(row, columns),
        presentation=presentation_in(decision),
        abstract_md=_text(row, columns, "abstract_md"),
        board=(_text(row, columns, "board") or "")[:20] or None,
        poster_session=_session(_text(row, columns, "poster_session"), where, report),
    )
    for field in ("paper_url", "openreview_url", "code_url", "video_url", "slides_url"):
        value = _text(row, columns, field)
        if value and rules.is_http_url(value):
            setattr(item, field, value[:500])
        elif value:
            report.problem(f"{where}: {columns[field]} {value!r} is not a web address: left out")
    pdf = _text(row, columns, "pdf")
    if pdf:
        item.pdf = _local_pdf(folder, pdf, title, report)
    return item


def _authors(row, columns) -> str | None:
    if "authors" not in columns:
        return None
    value = row.get(columns["authors"])
    names = value if isinstance(value, list) else split_authors(str(value or ""))
    cleaned = [_without_affiliation(clean(str(name)) or "") for name in names]
    return ", ".join(name for name in cleaned if name) or None


def _without_affiliation(name: str) -> str:
    """ "Jane Doe (MIT)*" -> "Jane Doe"."""
    name = name.strip().rstrip("*").strip()
    if name.endswith(")") and "(" in name:
        name = name[: name.rfind("(")]
    return " ".join(name.split())


def _session(value: str | None, where: str, report: Report) -> int | None:
    if not value:
        return None
    digits = re.search(r"\d+", value)
    if digits and 0 < int(digits[0]) < 1000:
        return int(digits[0])
    report.problem(f"{where}: poster session {value!r} is not a number: left out")
    return None


def _local_pdf(folder: Path, name: str, title: str, report: Report):
    if rules.is_http_url(name):
        report.problem(f"“{title}”: {name} is a web address; download the PDF and name the file")
        return None
    path = (folder / name).resolve()
    if not path.is_file():
        report.problem(f"“{title}”: PDF file {name} not found next to the spreadsheet")
        return None
    try:
        return documents.check(path.read_bytes())
    except documents.PdfError as exc:
        report.problem(f"“{title}”: {name} was not stored: {exc}")
        return None
