"""Template helpers, context and error pages."""

from flask import Flask, current_app, g, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from wsapp import display
from wsapp.services import richtext, timefmt
from wsapp.services.images.errors import megabytes


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        markdown=richtext.render_markdown,
        inline_md=richtext.render_inline,
        plain=richtext.plain_text,
    )
    app.jinja_env.globals["format_deadline"] = _format_deadline
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.context_processor(_template_context)
    display.register(app)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _server_error)


def _template_context() -> dict:
    locale = str(get_locale())
    return {
        "locale": locale,
        "html_lang": locale.replace("_", "-"),
        "current_workshop": g.get("workshop"),
    }


def _format_deadline(instant, day, tz: str) -> str:
    return timefmt.format_deadline(instant, day, tz, str(get_locale()))


def _http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    template = "errors/404.html" if error.code == 404 else "errors/error.html"
    return render_template(template, error=error), error.code


def _csrf_error(error: CSRFError):
    return render_template("errors/error.html", error=error), 400


def _too_large(error: RequestEntityTooLarge):
    limit = megabytes(current_app.config["MAX_IMAGE_BYTES"])
    error.description = _(
        "The upload is too large: images may be at most %(limit)s. Go back and choose a smaller"
        " file.",
        limit=limit,
    )
    return render_template("errors/error.html", error=error), 413


def _server_error(error: Exception):
    from flask import current_app

    if isinstance(error, HTTPException):  # pragma: no cover - routed to _http_error
        return _http_error(error)
    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    return render_template("errors/500.html"), 500
