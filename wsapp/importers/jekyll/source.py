"""Reading a Jekyll page: its text (mojibake repaired), front matter and HTML comments."""

import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.S)
COMMENT = re.compile(r"<!--(.*?)-->", re.S)
COMMENT_MARK = "<!---->"  # what is left of a comment, once per line it spanned


@dataclass(frozen=True)
class Comment:
    """A commented-out block: where it starts and how it begins."""

    line: int  # 1-based, in the file
    text: str
    page: str = ""  # the file, when a whole site is read

    @property
    def preview(self) -> str:
        words = " ".join(self.text.split())
        return words if len(words) <= 100 else words[:97] + "..."


@dataclass
class Source:
    """A page as read from disk: front matter, the body without comments, and what was removed."""

    path: Path
    front: dict[str, str]
    body: str  # each comment reduced to COMMENT_MARK on every line it spanned
    body_line: int  # the file line (1-based) where the body starts
    comments: list[Comment] = field(default_factory=list)
    repaired_lines: int = 0


def read_source(path: Path) -> Source:
    """Read a page; lines of UTF-8 that were once decoded as Mac Roman are repaired."""
    raw = path.read_text(encoding="utf-8-sig")
    lines = raw.splitlines()
    fixed = [demojibake(line) for line in lines]
    repaired = sum(a != b for a, b in zip(lines, fixed, strict=True))
    text = "\n".join(fixed) + "\n"
    front, body, body_line = split_front_matter(text)
    body, comments = strip_comments(body, body_line)
    return Source(path, front, body, body_line, comments, repaired)


def demojibake(line: str) -> str:
    """ "Tram√®r" back to "Tramèr": a line that round-trips through Mac Roman to valid UTF-8."""
    if line.isascii():
        return line
    try:
        repaired = line.encode("mac_roman").decode("utf-8")
    except UnicodeError:
        return line
    return repaired


def split_front_matter(text: str) -> tuple[dict[str, str], str, int]:
    """The front matter as a dict of strings, the body, and the body's first line number."""
    m = FRONT_MATTER.match(text)
    if not m:
        return {}, text, 1
    return parse_front_matter(m[1]), text[m.end() :], m[0].count("\n") + 1


def parse_front_matter(block: str) -> dict[str, str]:
    """YAML when it parses; Jekyll pages often have unquoted colons, so line by line otherwise."""
    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError:
        data = None
    if isinstance(data, dict):
        return {str(k): "" if v is None else str(v) for k, v in data.items()}
    front = {}
    for line in block.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and not line.lstrip().startswith("#") and not line[:1].isspace():
            front[key.strip()] = value.strip().strip("'\"")
    return front


def strip_comments(body: str, first_line: int) -> tuple[str, list[Comment]]:
    """Reduce every <!-- --> to a mark on each line it spanned (line numbers hold); list them."""
    comments = []

    def blank(m: re.Match) -> str:
        line = first_line + body.count("\n", 0, m.start())
        comments.append(Comment(line, m[1].strip()))
        return "\n".join([COMMENT_MARK] * (m[0].count("\n") + 1))

    return COMMENT.sub(blank, body), comments


def soup(html: str) -> BeautifulSoup:
    """An HTML fragment parsed leniently (no warning for text that looks like a file name)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(html, "html.parser")


def clean(text: str) -> str:
    """Collapse whitespace, non-breaking spaces included."""
    return " ".join(text.split())


def split_title(front: dict[str, str]) -> tuple[str, str, int | None]:
    """ "Backdoors in Deep Learning @ NeurIPS 2023" -> title, conference name, year."""
    desc = clean(front.get("desc_title") or front.get("title") or "")
    title, _, conference = (part.strip() for part in desc.partition(" @ "))
    m = re.fullmatch(r"(.*?)[\s']*((?:19|20)\d\d)", conference)
    if m:
        return title, m[1].strip(), int(m[2])
    return title, conference, None
