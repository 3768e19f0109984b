"""Liquid source cut into a tree of text, outputs and tags (blocks keep their branches)."""

import re
from dataclasses import dataclass, field

TOKEN = re.compile(r"\{%-?\s*(.*?)\s*-?%\}|\{\{-?\s*(.*?)\s*-?\}\}", re.S)


class LiquidError(ValueError):
    """The template does not parse (an unclosed block)."""


@dataclass
class Node:
    tag: str  # "text", "output", or the tag name
    markup: str = ""
    body: list = field(default_factory=list)
    branches: list = field(default_factory=list)  # (condition or None, body) for if/unless/case


def parse(source: str) -> list[Node]:
    root: list[Node] = []
    stack: list[Node] = []
    current = root
    pos = 0
    raw_until = None
    for m in TOKEN.finditer(source):
        tag_text = m[1]
        if raw_until:
            if tag_text and tag_text.split()[0] == raw_until:
                if raw_until == "endraw":  # a comment's text is dropped
                    current.append(Node("text", source[pos : m.start()]))
                raw_until, pos = None, m.end()
            continue
        text = source[pos : m.start()]
        if m[0].startswith(("{%-", "{{-")):
            text = text.rstrip()
        if text:
            current.append(Node("text", text))
        pos = m.end()
        if m[0].endswith(("-%}", "-}}")):
            rest = source[pos:]
            pos += len(rest) - len(rest.lstrip())
        if tag_text is None:
            current.append(Node("output", m[2]))
            continue
        name, _, markup = tag_text.partition(" ")
        markup = markup.strip()
        if name in ("raw", "comment"):
            raw_until = "end" + name
            continue
        if name in ("for", "if", "unless", "capture", "case"):
            node = Node(name, markup)
            node.branches.append((markup if name != "case" else None, node.body))
            current.append(node)
            stack.append(node)
            current = node.body
        elif name in ("elsif", "else", "when") and stack:
            branch: list = []
            stack[-1].branches.append((markup if name != "else" else None, branch))
            current = branch
        elif name.startswith("end") and stack and stack[-1].tag == name[3:]:
            stack.pop()
            current = stack[-1].branches[-1][1] if stack else root
        else:
            current.append(Node(name, markup))
    if raw_until == "endraw":
        current.append(Node("text", source[pos:]))
    elif not raw_until and source[pos:]:
        current.append(Node("text", source[pos:]))
    if stack:
        raise LiquidError(f"{{% {stack[-1].tag} %}} is never closed")
    return root
