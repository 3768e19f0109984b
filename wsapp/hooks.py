"""Template helpers, context and error pages."""

from flask import Flask, current_app, g, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from wsapp.blueprints.common import workshop_pages
from wsapp.services import richtext
from wsapp.services.images.errors import megabytes
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


# Werkzeug's names and default descriptions are English: each status gets its own words here;
# a description a view gave (abort(404, _("..."))) is already translated and is kept.
STATUS_TEXT = {
    400: (
        _l("Bad request"),
        _l("The request could not be understood: check the address or the form and try again."),
    ),
    403: (_l("Forbidden"), _l("You do not have permission to see this page.")),
    404: (_l("Page not found"), _l("There is no page at this address.")),
    405: (_l("Method not allowed"), _l("This address does not accept this kind of request.")),
    409: (_l("Conflict"), _l("This request conflicts with the current state of the site.")),
    410: (_l("Gone"), _l("This page is no longer available.")),
    413: (_l("Request too large"), _l("The request is larger than this site accepts.")),
    422: (_l("Invalid input"), _l("The input could not be processed.")),
    429: (
        _l("Too many requests"),
        _l("Too many requests in a short time. Wait a minute, then try again."),
    ),
}


def _http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    template = "errors/404.html" if error.code == 404 else "errors/error.html"
    name, default = STATUS_TEXT.get(error.code, (error.name, error.description))
    custom = bool(error.description) and error.description != type(error).description
    description = str(error.description if custom else default)
    return render_template(
        template, error=error, name=str(name), description=description, custom=custom
    ), error.code


def _csrf_error(error: CSRFError):
    # Flask-WTF's reasons are English; wsapp.forms.messages marks them for translation.
    name = str(STATUS_TEXT[400][0])
    description = _(
        "This form could not be accepted: %(reason)s Go back, reload the page and send it again.",
        reason=_(error.description),
    )
    return render_template(
        "errors/error.html", error=error, name=name, description=description
    ), 400


def _too_large(error: RequestEntityTooLarge):
    limit = megabytes(current_app.config["MAX_IMAGE_BYTES"])
    error.description = _(
        "The upload is too large: images may be at most %(limit)s. Go back and choose a smaller"
        " file.",
        limit=limit,
    )
    name = str(STATUS_TEXT[413][0])
    return render_template(
        "errors/error.html", error=error, name=name, description=error.description
    ), 413


def _server_error(error: Exception):
    from flask import current_app

    if isinstance(error, HTTPException):  # pragma: no cover - routed to _http_error
        return _http_error(error)
    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    return render_template("errors/500.html"), 500
