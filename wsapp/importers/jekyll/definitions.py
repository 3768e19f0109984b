"""A schedule written as a kramdown definition list (just-the-class themes):

    Tuesday, Jan 3 (Morning)
    : [Educational tutorials](/tutorials) (Chair: Yi Ma)
    : 9:00 AM - 10:00 AM
       : [John Wright](/tutorials/#intro) (Columbia; *remote*)

The term is a day (and a part of it); a definition that is a time starts a row whose text is the
indented definition under it; any other definition names the session of the rows that follow.
CommonMark reads such a list as one paragraph, so it is taken apart line by line here.
"""

import re
from dataclasses import dataclass, field

from wsapp.importers.jekyll.blocks import Block
from wsapp.importers.jekyll.clock import clock_range

DEFINITION = re.compile(r"^(\s*):\s?(.*)$")


@dataclass
class Row:
    time: str
    text: str  # Markdown
    line: int


@dataclass
class Day:
    term: str  # "Tuesday, Jan 3 (Morning)"
    session: str = ""  # Markdown: "[Educational tutorials](/tutorials) (Chair: Yi Ma)"
    rows: list[Row] = field(default_factory=list)
    line: int = 0


def read(block: Block) -> list[Day]:
    """The days of a definition-list paragraph, or [] when the block is not one."""
    lines = block.source.splitlines()
    if not any(DEFINITION.match(line) for line in lines[1:]):
        return []
    days: list[Day] = []
    row: Row | None = None
    for offset, line in enumerate(lines):
        m = DEFINITION.match(line)
        number = block.line + offset
        if m is None:
            if line.strip():
                days.append(Day(line.strip(), line=number))
                row = None
            continue
        if not days:
            return []
        indent, text = len(m[1]), m[2].strip()
        day = days[-1]
        if indent and row is not None:
            row.text = f"{row.text} {text}".strip()
        elif not indent and clock_range(text):
            row = Row(text, "", number)
            day.rows.append(row)
        elif not indent and text:
            if day.rows:  # a second session in the same part of the day
                days.append(Day(day.term, line=number))
                day = days[-1]
            day.session = text
            row = None
    return [d for d in days if d.rows]
