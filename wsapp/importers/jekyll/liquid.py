"""Liquid as Jekyll runs it, enough to see what a reader of the built page sees.

Pages loop over `site.data.*`, collections and `_config.yml` lists, assign, test and include
the site's own `_includes/`. That subset is rendered here; anything else (an unknown tag, a theme
include that is not in the repository) renders nothing and is noted. A theme include given a
person (`{% include people.html name="..." %}`, or inside a loop over people) renders a person
card (`<wsapp-person>`) that the people reader takes.
"""

import re
from collections.abc import Callable, Mapping
from pathlib import Path

from wsapp.importers.jekyll.liquid_parse import LiquidError, Node, parse
from wsapp.importers.jekyll.liquid_values import (
    apply_filter,
    attribute,
    items_of,
    loose,
    number,
    person_card,
    split_args,
    split_filters,
    to_text,
    truthy,
)

PART = re.compile(r"""\.?([\w-]+\??)|\[([^\]]*)\]""")
OPERATOR = re.compile(r"\s*(==|!=|<>|<=|>=|<|>)\s*|\s+(contains)\s+")
INCLUDE_PARAM = re.compile(r"""([\w-]+)\s*=\s*("[^"]*"|'[^']*'|[\w.\[\]"'-]+)""")
MAX_OUTPUT = 2_000_000  # characters: a loop that never ends is cut


class Template:
    """A parsed Liquid template; render() with the page's variables."""

    def __init__(self, source: str):
        self.nodes = parse(source)

    def render(self, variables: dict, includes: Path | None, note: Callable[[str], None]) -> str:
        out: list[str] = []
        _Renderer(includes, note).block(self.nodes, [dict(variables)], out)
        return "".join(out)


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
                out.append(to_text(value))
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
        items = items_of(source)
        params = dict(re.findall(r"(limit|offset)\s*:\s*(\S+)", m[3]))
        if "offset" in params:
            items = items[int(number(self.expression(params["offset"], scopes)) or 0) :]
        if "limit" in params:
            items = items[: int(number(self.expression(params["limit"], scopes)) or 0)]
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
            return truthy(self.expression(text, scopes))
        left = self.expression(text[: m.start()], scopes)
        right = self.expression(text[m.end() :], scopes)
        op = m[1] or m[2]
        if op == "contains":
            return isinstance(left, str | list) and right is not None and str(right) in left
        if op in ("==", "!=", "<>"):
            return (loose(left) == loose(right)) == (op == "==")
        a, b = number(left), number(right)
        if a is None or b is None:
            return False
        return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]

    def expression(self, text: str, scopes):
        pieces = split_filters(text)
        value = self._value(pieces[0].strip(), scopes)
        for piece in pieces[1:]:
            name, _, args = piece.partition(":")
            arguments = [self._value(a.strip(), scopes) for a in split_args(args)] if args else []
            value = apply_filter(name.strip(), value, arguments)
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
            lo, hi = number(self._value(m[1], scopes)), number(self._value(m[2], scopes))
            return list(range(int(lo or 0), int(hi or 0) + 1))
        value, first = None, True
        for part in PART.finditer(text):
            key = part[1] if part[1] is not None else self._value(part[2].strip(), scopes)
            if first:
                value = next((s[key] for s in scopes if isinstance(s, dict) and key in s), None)
                first = False
            else:
                value = attribute(value, key)
        return value
