"""Tables in either spelling: kramdown pipe tables and HTML tables, as header and row groups.

A group is what the page set apart: rows between two |---| rules of a pipe table, or one <tbody>
of an HTML table. Cells are parsed HTML either way (a pipe table's Markdown is rendered first).
"""

import re
from dataclasses import dataclass, field

from bs4 import Tag

from wsapp.importers.jekyll.blocks import Block, render_inline
from wsapp.importers.jekyll.source import clean, soup

RULE_CELL = re.compile(r"\s*:?-+:?\s*|\s*")
SPLIT = re.compile(r"(?<!\\)\|")


@dataclass
class Table:
    header: list[str]  # the header cells' text, "" where none
    groups: list[list[list[Tag]]] = field(default_factory=list)  # groups of rows of cells
    line: int = 0
    header_cells: list[Tag] = field(default_factory=list)  # the (last) header row itself

    @property
    def rows(self) -> list[list[Tag]]:
        return [row for group in self.groups for row in group]


def tables_in(block: Block) -> list[Table]:
    """Every table of a block: the pipe table it is, or the HTML tables it holds."""
    if block.kind == "pipe":
        return [pipe_table(block.rows, block.line)]
    if block.kind == "html":
        return [html_table(t, block.line) for t in soup(block.source).find_all("table")]
    return []


def pipe_table(lines: list[str], line: int) -> Table:
    """A kramdown pipe table: rows above the first rule are the header, later rules cut groups."""
    table = Table(header=[], line=line)
    current: list[list[Tag]] = []
    seen_rows = 0
    header_done = False
    for text in lines:
        cells = _split(text)
        if all(RULE_CELL.fullmatch(c) for c in cells) and any("-" in c for c in cells):
            if seen_rows and not header_done and not table.groups and len(current) <= 2:
                # Header rows (kramdown allows several): their cells joined per column.
                columns = max(len(row) for row in current)
                table.header = [
                    clean(" ".join(row[i].get_text() for row in current if i < len(row)))
                    for i in range(columns)
                ]
                table.header_cells = current[-1]
                current = []
                header_done = True
            elif current:
                table.groups.append(current)
                current = []
            continue
        current.append([_cell(c) for c in cells])
        seen_rows += 1
    if current:
        table.groups.append(current)
    return table


def _split(line: str) -> list[str]:
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    return [c.strip().replace("\\|", "|") for c in SPLIT.split(text)]


def _cell(markdown: str) -> Tag:
    cell = soup(f"<td>{render_inline(markdown)}</td>").td
    return cell


def html_table(table: Tag, line: int) -> Table:
    """An HTML table: <thead> rows (or a first row of <th> only) are the header."""
    result = Table(header=[], line=line)
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    head = [tr for tr in rows if tr.find_parent("thead")]
    if not head and rows and rows[0].find_all("th") and not rows[0].find_all("td"):
        head = rows[:1]
    if head:
        result.header_cells = _cells(head[-1])
        result.header = [clean(c.get_text()) for c in result.header_cells]
    groups: dict[int, list[list[Tag]]] = {}
    for tr in rows:
        if tr in head:
            continue
        body = tr.find_parent("tbody")
        key = id(body) if body is not None and body.find_parent("table") is table else 0
        groups.setdefault(key, []).append(_cells(tr))
    result.groups = [g for g in groups.values() if g]
    if not rows:  # cells without <tr> (seen in logo tables): one row
        cells = [td for td in table.find_all("td") if td.find_parent("table") is table]
        result.groups = [[cells]] if cells else []
    return result


def _cells(tr: Tag) -> list[Tag]:
    return tr.find_all(["td", "th"], recursive=False)
