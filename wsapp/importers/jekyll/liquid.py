"""Liquid as Jekyll runs it, enough to see what a reader of the built page sees.

Pages loop over `site.data.*`, collections and `_config.yml` lists, assign, test and include
the site's own `_includes/`. That subset is rendered here; anything else (an unknown tag, a theme
include that is not in the repository) renders nothing and is noted. A theme include given a
person (`{% include people.html name="..." %}`, or inside a loop over people) renders a person
card (`<wsapp-person>`) that the people reader takes.
"""

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

TOKEN = re.compile(r"\{%-?\s*(.*?)\s*-?%\}|\{\{-?\s*(.*?)\s*-?\}\}", re.S)
PART = re.compile(r"""\.?([\w-]+\??)|\[([^\]]*)\]""")
OPERATOR = re.compile(r"\s*(==|!=|<>|<=|>=|<|>)\s*|\s+(contains)\s+")
INCLUDE_PARAM = re.compile(r"""([\w-]+)\s*=\s*("[^"]*"|'[^']*'|[\w.\[\]"'-]+)""")
PERSON_FIELDS = {
    "name": ("name", "title", "speaker"),
    "href": ("redirect", "website", "webpage", "homepage", "url", "link"),
    "affiliation": ("affiliation", "affiliations", "affil", "institution", "description"),
    "position": ("position", "role"),
    "photo": ("img", "image", "photo", "picture", "img_path"),
}
MAX_OUTPUT = 2_000_000  # characters: a loop that never ends is cut


class LiquidError(ValueError):
    """The template does not parse (an unclosed block)."""


@dataclass
class Node:
    tag: str  # "text", "output", or the tag name
    markup: str = ""
    body: list = field(default_factory=list)
    branches: list = field(default_factory=list)  # (condition or None, body) for if/unless/case


def person_card(item: Mapping) -> str | None:
    """A <wsapp-person> element for a record that names a person, else None."""
    values = {}
    for name, keys in PERSON_FIELDS.items():
        values[name] = next((str(item[k]).strip() for k in keys if _filled(item.get(k))
                             and not (name == "href" and str(item[k]).startswith("/"))), "")
    if re.search(r"\b(speaker|panelist|organi[sz]er)s?\b", values["position"], re.I):
        values["position"] = ""  # "role: Speaker" is the list the card is in, not a position
    if not values["name"] or len(values["name"]) > 120:
        return None
    attrs = " ".join(f'{k}="{html.escape(v)}"' for k, v in values.items() if v)
    return f"<wsapp-person {attrs}></wsapp-person>"


def _filled(value) -> bool:
    return isinstance(value, str | int | float) and str(value).strip() != ""


class Template:
    """A parsed Liquid template; render() with the page's variables."""

    def __init__(self, source: str):
        self.nodes = _parse(source)

    def render(self, variables: dict, includes: Path | None, note: Callable[[str], None]) -> str:
        out: list[str] = []
        _Renderer(includes, note).block(self.nodes, [dict(variables)], out)
        return "".join(out)


def _parse(source: str) -> list[Node]:
    root: list[Node] = []
    stack: list[Node] = []
    current = root
    pos = 0
    raw_until = None
    for m in TOKEN.finditer(source):
        tag_text = m[1]
        if raw_until:
            if tag_text and tag_text.split()[0] == raw_until:
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
            if name == "comment":
                current.append(Node("comment"))
            current = current if name == "raw" else []
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


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


class _Renderer:
    def __init__(self, includes: Path | None, note):
        self.includes, self.note, self.depth, self.size = includes, note, 0, 0

    def block(self, nodes: list[Node], scopes: list[dict], out: list[str]) -> None:
        for node in nodes:
            self.node(node, scopes, out)
            if self.size > MAX_OUTPUT:
                raise LiquidError("the page renders to more than 2 million characters")

    def node(self, node: Node, scopes: list[dict], out: list[str]) -> None:
        tag = node.tag
        if tag == "text":
            out.append(node.markup)
            self.size += len(node.markup)
        elif tag == "output":
            value = self.expression(node.markup, scopes)
            content = value.get("content") if isinstance(value, Mapping) else None
            if isinstance(content, str) and content.strip() and self.depth < 10:
                # A document shown whole: its own Liquid runs first, as Jekyll does.
                self.depth += 1
                try:
                    self.block(Template(content).nodes, [{"page": value}, *scopes], out)
                finally:
                    self.depth -= 1
            else:
                out.append(_to_text(value))
        elif tag in ("if", "unless"):
            for condition, body in node.branches:
                truth = condition is None or self.condition(condition, scopes)
                if tag == "unless" and condition == node.markup:
                    truth = not truth
                if truth:
                    self.block(body, scopes, out)
                    break
        elif tag == "case":
            self._case(node, scopes, out)
        elif tag == "for":
            self._for(node, scopes, out)
        elif tag == "assign":
            name, _, expr = node.markup.partition("=")
            scopes[0][name.strip()] = value = self.expression(expr, scopes)
            path = expr.strip().split("|")[0].strip()
            if value is None and re.fullmatch(r"site\.[\w.]+", path):
                self.note(f"{path} is not in the site (no _{path.split('.')[-1]}/ folder, _data "
                          "file or _config.yml entry): nothing to show")  # fmt: skip
        elif tag == "capture":
            inner: list[str] = []
            self.block(node.body, scopes, inner)
            scopes[0][node.markup.strip()] = "".join(inner)
        elif tag in ("include", "include_relative", "render"):
            self._include(node.markup, scopes, out)
        elif tag == "break":
            raise _Break
        elif tag == "continue":
            raise _Continue
        elif tag not in ("comment", "increment", "decrement", "cycle", "seo", "feed_meta"):
            self.note(f"Liquid tag {{% {tag} %}} is not run by the importer (left out)")

    def _case(self, node: Node, scopes, out) -> None:
        value = self.expression(node.markup, scopes)
        for when, body in node.branches[1:]:
            options = [self.expression(o, scopes) for o in re.split(r",|\bor\b", when or "")]
            if when is None or value in options:
                self.block(body, scopes, out)
                return

    def _for(self, node: Node, scopes, out) -> None:
        m = re.fullmatch(r"([\w-]+)\s+in\s+(\(.*?\)|\S+)(.*)", node.markup, re.S)
        if not m:
            self.note(f"Liquid {{% for {node.markup} %}} not understood (left out)")
            return
        source = self.expression(m[2], scopes)
        if source is None and m[2].startswith("site."):
            self.note(f"{m[2]} is not in the site (no _{m[2].split('.')[-1]}/ folder, _data "
                      "file or _config.yml entry): nothing to show")  # fmt: skip
        items = _items(source)
        params = dict(re.findall(r"(limit|offset)\s*:\s*(\S+)", m[3]))
        if "offset" in params:
            items = items[int(_number(self.expression(params["offset"], scopes)) or 0) :]
        if "limit" in params:
            items = items[: int(_number(self.expression(params["limit"], scopes)) or 0)]
        if "reversed" in m[3].split():
            items = items[::-1]
        else_body = node.branches[1][1] if len(node.branches) > 1 else []
        if not items:
            self.block(else_body, scopes, out)
            return
        for i, item in enumerate(items):
            loop = {"index": i + 1, "index0": i, "first": i == 0, "last": i == len(items) - 1,
                    "length": len(items), "rindex": len(items) - i}  # fmt: skip
            scope = {m[1]: item, "forloop": loop}
            try:
                self.block(node.body, [scope, *scopes], out)
            except _Break:
                break
            except _Continue:
                continue

    def _include(self, markup: str, scopes, out) -> None:
        name, _, rest = markup.partition(" ")
        name = name.strip("'\"")
        params = {k: self.expression(v, scopes) for k, v in INCLUDE_PARAM.findall(rest)}
        path = self.includes / name if self.includes else None
        if path is not None and path.is_file() and self.depth < 10 and "{{" not in name:
            self.depth += 1
            try:
                inner = Template(path.read_text(encoding="utf-8"))
                self.block(inner.nodes, [{"include": params}, *scopes], out)
            finally:
                self.depth -= 1
            return
        card = person_card(params) if params else None
        if card is None:
            # A theme include inside a loop over people shows the loop's person.
            loop_item = next((s[k] for s in scopes if "forloop" in s for k in s if k != "forloop"),
                             None)  # fmt: skip
            card = person_card(loop_item) if isinstance(loop_item, Mapping) else None
        if card:
            out.append(card)
            self.note(f"include {name} is the theme's (not in the site): read as a person card")
        else:
            self.note(f"include {name} is not in the site's _includes/ (left out)")

    def condition(self, text: str, scopes) -> bool:
        parts = re.split(r"\s+(and|or)\s+", text.strip(), maxsplit=1)
        first = self._compare(parts[0], scopes)
        if len(parts) == 1:
            return first
        rest = self.condition(parts[2], scopes)
        return (first and rest) if parts[1] == "and" else (first or rest)

    def _compare(self, text: str, scopes) -> bool:
        m = OPERATOR.search(text)
        if not m:
            return _truthy(self.expression(text, scopes))
        left = self.expression(text[: m.start()], scopes)
        right = self.expression(text[m.end() :], scopes)
        op = m[1] or m[2]
        if op == "contains":
            return isinstance(left, str | list) and right is not None and str(right) in left
        if op in ("==", "!=", "<>"):
            return (_loose(left) == _loose(right)) == (op == "==")
        a, b = _number(left), _number(right)
        if a is None or b is None:
            return False
        return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]

    def expression(self, text: str, scopes):
        pieces = _split_filters(text)
        value = self._value(pieces[0].strip(), scopes)
        for piece in pieces[1:]:
            name, _, args = piece.partition(":")
            arguments = [self._value(a.strip(), scopes) for a in _split_args(args)] if args else []
            value = self._filter(name.strip(), value, arguments)
        return value

    def _value(self, text: str, scopes):
        if not text:
            return None
        if text[0] in "'\"" and text[-1] == text[0]:
            return text[1:-1]
        if re.fullmatch(r"-?\d+", text):
            return int(text)
        if re.fullmatch(r"-?\d+\.\d+", text):
            return float(text)
        literal = {"true": True, "false": False, "nil": None, "null": None, "empty": ""}
        if text in literal:
            return literal[text]
        m = re.fullmatch(r"\((\S+)\.\.(\S+)\)", text)
        if m:
            lo, hi = _number(self._value(m[1], scopes)), _number(self._value(m[2], scopes))
            return list(range(int(lo or 0), int(hi or 0) + 1))
        value, first = None, True
        for part in PART.finditer(text):
            key = part[1] if part[1] is not None else self._value(part[2].strip(), scopes)
            if first:
                value = next((s[key] for s in scopes if isinstance(s, dict) and key in s), None)
                first = False
            else:
                value = _attribute(value, key)
        return value

    def _filter(self, name: str, value, args: list):
        arg = args[0] if args else None
        if name in ("sort", "sort_natural"):
            items = _items(value)
            return sorted(items, key=lambda x: _sort_key(_attribute(x, arg) if arg else x))
        if name == "where":
            return [x for x in _items(value) if _loose(_attribute(x, arg)) == _loose(args[1])]
        simple = {
            "reverse": lambda v: _items(v)[::-1], "size": lambda v: len(v) if v else 0,
            "first": lambda v: (_items(v) or [None])[0], "last": lambda v: (_items(v) or [None])[-1],
            "escape": lambda v: html.escape(_to_text(v)), "strip": lambda v: _to_text(v).strip(),
            "downcase": lambda v: _to_text(v).lower(), "upcase": lambda v: _to_text(v).upper(),
        }  # fmt: skip
        if name in simple:
            return simple[name](value)
        if name == "default":
            return value if _truthy(value) and value != "" else arg
        if name == "prepend":
            return _to_text(arg) + _to_text(value)
        if name == "append":
            return _to_text(value) + _to_text(arg)
        if name == "join":
            return _to_text(arg if arg is not None else " ").join(map(_to_text, _items(value)))
        if name in ("remove", "replace"):
            return _to_text(value).replace(_to_text(arg), _to_text(args[1]) if name == "replace"
                                           and len(args) > 1 else "")  # fmt: skip
        if name == "split":
            return _to_text(value).split(_to_text(arg))
        # relative_url, markdownify, sample, date ...: the value as it is.
        return value


def _items(value) -> list:
    if value is None or value == "":
        return []
    if isinstance(value, Mapping) and "content" not in value:
        return [[k, v] for k, v in value.items()]  # Ruby iterates a hash as [key, value] pairs
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def _attribute(value, key):
    if isinstance(value, Mapping):
        if key in value:
            return value[key]
        if key == "size":
            return len(value)
        return None
    if isinstance(value, list | tuple | str):
        if key == "size":
            return len(value)
        if key == "first":
            return value[0] if value else None
        if key == "last":
            return value[-1] if value else None
        if isinstance(key, int) and -len(value) <= key < len(value):
            return value[key]
    return None


def _split_filters(text: str) -> list[str]:
    return [p for p in re.split(r"\|(?=(?:[^\"']|\"[^\"]*\"|'[^']*')*$)", text)]


def _split_args(text: str) -> list[str]:
    return re.split(r",(?=(?:[^\"']|\"[^\"]*\"|'[^']*')*$)", text)


def _truthy(value) -> bool:
    return value is not None and value is not False


def _loose(value):
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


def _number(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _sort_key(value):
    number = _number(value)
    return (0, number, "") if number is not None else (1, 0, _to_text(value))


def _to_text(value) -> str:
    if value is None or value is False:
        return ""
    if value is True:
        return "true"
    if isinstance(value, Mapping):
        content = value.get("content")
        if isinstance(content, str) and content.strip():
            return content
        return person_card(value) or ""  # a document shown with its (theme) layout
    if isinstance(value, list | tuple):
        return "".join(_to_text(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
