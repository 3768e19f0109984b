"""Template helpers and context."""

from flask import Flask, g
from flask_babel import get_locale
from flask_login import current_user

from wsapp.blueprints.common import workshop_pages
from wsapp.services import accounts, editions, richtext
from wsapp.timezones import display
from wsapp.timezones import formats as timefmt


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        markdown=richtext.render_markdown,
        inline_md=richtext.render_inline,
        plain=richtext.plain_text,
    )
    app.jinja_env.globals["format_deadline"] = _format_deadline
    app.jinja_env.globals["workshop_pages"] = workshop_pages
    app.jinja_env.globals["other_editions"] = _other_editions
    app.jinja_env.globals["edition_label"] = editions.edition_label
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.context_processor(_template_context)
    display.register(app)


def _template_context() -> dict:
    locale = str(get_locale())
    return {
        "locale": locale,
        "html_lang": locale.replace("_", "-"),
        "current_workshop": g.get("workshop"),
    }


def _other_editions(workshop) -> list:
    """The editions of the workshop's series a visitor may see: published ones, and drafts for
    those who manage them (a cached page is an anonymous visitor's: published ones only)."""
    return editions.editions(workshop, lambda w: accounts.can_manage(current_user, w))


def _format_deadline(instant, day, tz: str) -> str:
    return timefmt.format_deadline(instant, day, tz, str(get_locale()))
