"""Values as Liquid sees them: lookups, truth, filters, text; and the person card a theme
include would have drawn for a record that names a person."""

import html
import re
from collections.abc import Mapping

PERSON_FIELDS = {
    "name": ("name", "title", "speaker"),
    "href": ("redirect", "website", "webpage", "homepage", "url", "link"),
    "affiliation": ("affiliation", "affiliations", "affil", "institution", "description"),
    "position": ("position", "role"),
    "photo": ("img", "image", "photo", "picture", "img_path"),
}


def person_card(item: Mapping) -> str | None:
    """A <wsapp-person> element for a record that names a person, else None."""
    values = {}
    for name, keys in PERSON_FIELDS.items():
        values[name] = next(
            (
                str(item[k]).strip()
                for k in keys
                if filled(item.get(k)) and not (name == "href" and str(item[k]).startswith("/"))
            ),
            "",
        )
    if re.search(r"\b(speaker|panelist|organi[sz]er)s?\b", values["position"], re.I):
        values["position"] = ""  # "role: Speaker" is the list the card is in, not a position
    if not values["name"] or len(values["name"]) > 120:
        return None
    attrs = " ".join(f'{k}="{html.escape(v)}"' for k, v in values.items() if v)
    return f"<wsapp-person {attrs}></wsapp-person>"


def filled(value) -> bool:
    return isinstance(value, str | int | float) and str(value).strip() != ""


def apply_filter(name: str, value, args: list):
    """A Liquid filter; one the importer does not know leaves the value as it is."""
    arg = args[0] if args else None
    if name in ("sort", "sort_natural"):
        items = items_of(value)
        return sorted(items, key=lambda x: sort_key(attribute(x, arg) if arg else x))
    if name == "where":
        return [x for x in items_of(value) if loose(attribute(x, arg)) == loose(args[1])]
    simple = {
        "reverse": lambda v: items_of(v)[::-1], "size": lambda v: len(v) if v else 0,
        "first": lambda v: (items_of(v) or [None])[0],
        "last": lambda v: (items_of(v) or [None])[-1],
        "escape": lambda v: html.escape(to_text(v)), "strip": lambda v: to_text(v).strip(),
        "downcase": lambda v: to_text(v).lower(), "upcase": lambda v: to_text(v).upper(),
    }  # fmt: skip
    if name in simple:
        return simple[name](value)
    if name == "default":
        return value if truthy(value) and value != "" else arg
    if name == "prepend":
        return to_text(arg) + to_text(value)
    if name == "append":
        return to_text(value) + to_text(arg)
    if name == "join":
        return to_text(arg if arg is not None else " ").join(map(to_text, items_of(value)))
    if name in ("remove", "replace"):
        return to_text(value).replace(to_text(arg), to_text(args[1]) if name == "replace"
                                       and len(args) > 1 else "")  # fmt: skip
    if name == "split":
        return to_text(value).split(to_text(arg))
    # relative_url, markdownify, sample, date ...: the value as it is.
    return value


def items_of(value) -> list:
    """What a for loop walks: a list's items, a mapping's [key, value] pairs (as Ruby does)."""
    if value is None or value == "":
        return []
    if isinstance(value, Mapping) and "content" not in value:
        return [[k, v] for k, v in value.items()]  # Ruby iterates a hash as [key, value] pairs
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def attribute(value, key):
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


def split_filters(text: str) -> list[str]:
    return [p for p in re.split(r"\|(?=(?:[^\"']|\"[^\"]*\"|'[^']*')*$)", text)]


def split_args(text: str) -> list[str]:
    return re.split(r",(?=(?:[^\"']|\"[^\"]*\"|'[^']*')*$)", text)


def truthy(value) -> bool:
    return value is not None and value is not False


def loose(value):
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


def number(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def sort_key(value):
    as_number = number(value)
    return (0, as_number, "") if as_number is not None else (1, 0, to_text(value))


def to_text(value) -> str:
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
        return "".join(to_text(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
