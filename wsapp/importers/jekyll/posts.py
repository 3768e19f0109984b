"""Jekyll news posts (layout: post) as wsapp/1 news entries."""

import datetime as dt
import re
from pathlib import Path

from wsapp.importers.jekyll.people import person_key
from wsapp.importers.jekyll.source import COMMENT_MARK, read_source
from wsapp.timezones.formats import zone

JEKYLL_NAME = re.compile(r"(\d{4}-\d\d-\d\d)-(.+)")
RULE = re.compile(r"\n[ \t]*\n[ \t]{0,3}(?:-{3,}|\*{3,}|_{3,})[ \t]*\n")


class PostError(ValueError):
    """A post without a title or a date."""


def read_post(path: Path, tz: str, report) -> dict:
    """Title and date from the front matter (or the file name), the lead before a rule."""
    src = read_source(path)
    report.comments += src.comments
    report.repaired_lines += src.repaired_lines
    title = src.front.get("title", "").strip()
    if not title:
        raise PostError(f"{path.name}: the post has no title in its front matter")
    name = JEKYLL_NAME.fullmatch(path.stem)
    published = _published(src.front.get("date", ""), name[1] if name else None, tz)
    if published is None:
        raise PostError(f"{path.name}: no date in the front matter or the file name")
    slug = src.front.get("slug") or (name[2] if name else _short_slug(title))
    body = "\n".join(
        line for line in src.body.splitlines() if line.strip() != COMMENT_MARK
    ).replace(COMMENT_MARK, "")
    parts = RULE.split("\n" + body, maxsplit=1)
    summary, rest = (parts[0], parts[1]) if len(parts) == 2 else ("", body)
    return {
        "slug": person_key(slug),
        "title": title,
        "published": published.isoformat(),
        "summary_md": summary.strip(),
        "body_md": rest.strip(),
    }


def _published(value: str, from_name: str | None, tz: str) -> dt.datetime | None:
    """Jekyll's "2023-12-05 16:11:00-0400", "2023-12-05" or the file name's date."""
    value = re.sub(r"\s*([+-]\d\d):?(\d\d)$", r"\1:\2", value.strip())
    for text in (value, from_name):
        if not text:
            continue
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            continue
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone(tz))
    return None


def _short_slug(title: str) -> str:
    words = person_key(title).split("-")
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > 80:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug or "post"
