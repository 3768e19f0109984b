"""The body as sections (cut at headings) of blocks, read with markdown-it the way kramdown would.

kramdown (Jekyll's Markdown) differs from CommonMark where these pages rely on it: an HTML block
ends at its closing tag rather than at a blank line, a heading may follow HTML directly, and pipe
tables may start with a |---| rule and use rules between rows to separate groups. A line pass
evens that out before markdown-it reads the text; pipe tables are lifted out whole.
"""

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from wsapp.importers.jekyll.source import COMMENT_MARK, soup

_md = MarkdownIt("commonmark", {"html": True}).enable("strikethrough")

HEADING = re.compile(r"\s{0,3}#{1,6}(\s|$)")
FENCE = re.compile(r"\s{0,3}(```|~~~)")
IAL = re.compile(r"\{:[^}\n]*\}")  # a kramdown attribute list: {: .text-center} {:target="_blank"}
PIPE = re.compile(r"\s*\|")
CLOSING_HTML = re.compile(r"\s*</(table|div|ol|ul|p|center|figure|section|details)>\s*$", re.I)
OPEN_TAG = re.compile(
    r"<(table|div|ol|ul|dl|center|figure|section|details|tbody|thead|tr)(?=[\s>]|$)"
    r"(?![^>]*markdown=)",
    re.I,
)
CLOSE_TAG = re.compile(r"</(table|div|ol|ul|dl|center|figure|section|details|tbody|thead|tr)\s*>",
                       re.I)  # fmt: skip
MARKER = '<div data-wsapp-pipe-table="{}"></div>'
MARKER_RE = re.compile(r'<div data-wsapp-pipe-table="(\d+)"></div>')


@dataclass
class Block:
    """One block of a section: p (paragraph), list, html, pipe (a pipe table), hr, code, quote."""

    kind: str
    source: str  # the Markdown or HTML as written
    line: int  # first line in the file
    tokens: list[Token] = field(default_factory=list)  # for lists: the list's tokens
    rows: list[str] = field(default_factory=list)  # for pipe tables: the table's lines

    @property
    def html(self) -> str:
        """The block as HTML (Markdown rendered; HTML as it is)."""
        if self.kind in ("html", "pipe"):
            return self.source
        if self.kind == "p":
            return "<p>" + _md.renderInline(self.source) + "</p>"
        return _md.render(self.source)


@dataclass
class Section:
    level: int  # 0 for the text before the first heading
    title: str
    line: int
    blocks: list[Block] = field(default_factory=list)
    context: str = ""  # the headings above it and its own, " / "-joined ("July 27 / Schedule")


BOLD_HEADING = re.compile(r"(?:\*\*|__)([^*_\n]{2,60}?)(?:\*\*|__)\s*")


def render_inline(markdown: str) -> str:
    return _md.renderInline(markdown)


def parse_sections(body: str, first_line: int) -> list[Section]:
    """Cut the body into sections at each heading; consecutive HTML blocks are joined."""
    text, origin, tables = _prepare(body.splitlines(), first_line)
    lines = text.splitlines()
    sections = [Section(0, "", first_line)]
    tokens = _md.parse(text)
    headings: list[tuple[int, str]] = []
    real_level = 0  # of the last Markdown heading: a bold line is one level below it

    def open_section(level: int, title: str, line: int) -> None:
        while headings and headings[-1][0] >= level:
            headings.pop()
        headings.append((level, title))
        context = " / ".join(t for _, t in headings)
        sections.append(Section(level, title, line, context=context))

    i = 0
    while i < len(tokens):
        token = tokens[i]
        start = token.map[0] if token.map else 0
        line = origin[start] if start < len(origin) else first_line
        if token.type == "heading_open":
            real_level = int(token.tag[1])
            open_section(real_level, tokens[i + 1].content.strip(), line)
            i += 3
            continue
        bold = _bold_heading(tokens, i)
        if bold:
            # "**Important Dates**" alone on a line reads as a heading under the one above.
            open_section(real_level + 1, bold, line)
            i += 3
            continue
        close = _closing(tokens, i)
        source = "\n".join(lines[token.map[0] : token.map[1]]) if token.map else token.content
        block = _block(token, tokens[i : close + 1], source, line, tables)
        if block:
            _append(sections[-1], block)
        i = close + 1
    for section in sections:
        section.blocks = [part for block in section.blocks for part in split_html(block)]
    return sections


BLOCK_TAGS = {
    "table", "p", "div", "ol", "ul", "dl", "section", "figure", "blockquote", "center",
    "details", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "pre", "iframe", "video",
}  # fmt: skip


def split_html(block: Block) -> list[Block]:
    """An HTML block cut into its top-level block elements; inline runs stay together."""
    if block.kind != "html":
        return [block]
    parts: list[Block] = []
    run: list[str] = []
    run_line = block.line

    def flush() -> None:
        text = "".join(run).strip()
        if text:
            parts.append(Block("html", text, run_line))
        run.clear()

    for node in soup(block.source).contents:
        name = getattr(node, "name", None)
        line = block.line + (getattr(node, "sourceline", None) or 1) - 1
        if name in BLOCK_TAGS:
            flush()
            parts.append(Block("html", str(node), line))
        else:
            if not run:
                run_line = line
            run.append(str(node))
    flush()
    return parts if len(parts) > 1 else [block]


def _bold_heading(tokens: list[Token], i: int) -> str | None:
    """The text of a paragraph that is one short bold phrase and nothing else."""
    if tokens[i].type != "paragraph_open" or i + 1 >= len(tokens):
        return None
    content = tokens[i + 1].content.strip()
    m = BOLD_HEADING.fullmatch(content)
    if not m or "\n" in content or len(m[1].split()) > 8 or m[1].rstrip().endswith((":", "!")):
        return None
    if "](" in m[1] or "<a" in m[1]:
        return None  # "**[Workshop Schedule](/schedule)**" is a link, not a heading
    return m[1].strip()


def _block(token: Token, span: list[Token], source: str, line: int, tables) -> Block | None:
    kind = {
        "paragraph_open": "p",
        "bullet_list_open": "list",
        "ordered_list_open": "list",
        "html_block": "html",
        "hr": "hr",
        "fence": "code",
        "code_block": "code",
        "blockquote_open": "quote",
    }.get(token.type)
    if kind is None:
        return None
    if kind == "p":
        source = span[1].content
    if kind == "html":
        marker = MARKER_RE.fullmatch(source.strip())
        if marker:
            rows, table_line = tables[int(marker[1])]
            return Block("pipe", "\n".join(rows), table_line, rows=rows)
    return Block(kind, source.strip("\n"), line, tokens=span if kind == "list" else [])


def _append(section: Section, block: Block) -> None:
    last = section.blocks[-1] if section.blocks else None
    if last and last.kind == "html" and block.kind == "html":
        last.source += "\n" + block.source
    else:
        section.blocks.append(block)


def _closing(tokens: list[Token], i: int) -> int:
    """The index of the token closing the block that opens at i (i itself if self-contained)."""
    if tokens[i].nesting != 1:
        return i
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def _prepare(lines: list[str], first_line: int):
    """Lift pipe tables out and add the blank lines kramdown implies; keep file line numbers."""
    out: list[str] = []
    origin: list[int] = []
    tables: list[tuple[list[str], int]] = []
    in_fence = False
    i = 0

    def emit(text: str, line: int) -> None:
        out.append(text)
        origin.append(line)

    depth = 0  # HTML block elements open at this line: a blank line does not end them
    while i < len(lines):
        line, number = lines[i], first_line + i
        if depth and not in_fence and not line.strip():
            i += 1  # kramdown reads an HTML element to its closing tag, blank lines and all
            continue
        if COMMENT_MARK in line:
            line = line.replace(COMMENT_MARK, "")
            if not line.strip():
                # A line that held only a comment: dropped inside HTML (a blank line would end
                # the HTML block there), a paragraph break elsewhere.
                if not _html_around(lines, i):
                    emit("", number)
                i += 1
                continue
        if FENCE.match(line):
            in_fence = not in_fence
        if not in_fence and IAL.search(line):
            line = IAL.sub("", line)
            if not line.strip():
                i += 1
                continue
        if not in_fence and PIPE.match(line) and not depth:
            j, rows = i, []
            while j < len(lines) and (PIPE.match(lines[j]) or lines[j].strip() == COMMENT_MARK):
                if PIPE.match(lines[j]):
                    rows.append(lines[j].replace(COMMENT_MARK, ""))
                j += 1
            tables.append((rows, number))
            for text in ("", MARKER.format(len(tables) - 1), ""):
                emit(text, number)
            i = j
            continue
        if not in_fence and HEADING.match(line):
            depth = 0  # a heading is never inside an HTML block: a tag was left open
            if out and out[-1].strip():
                emit("", number)
        emit(line, number)
        if not in_fence:
            depth = max(0, depth + len(OPEN_TAG.findall(line)) - len(CLOSE_TAG.findall(line)))
        if not in_fence and CLOSING_HTML.match(line) and not depth:
            emit("", number)
        i += 1
    return "\n".join(out) + "\n", origin, tables


def _html_around(lines: list[str], i: int) -> bool:
    """True if the nearest non-comment lines before and after i are HTML or blank."""

    def near(step: int) -> str:
        j = i + step
        while 0 <= j < len(lines) and lines[j].strip() == COMMENT_MARK:
            j += step
        return lines[j].strip() if 0 <= j < len(lines) else ""

    return all(not text or text.startswith("<") for text in (near(-1), near(1)))
