"""Error pages that cannot fail: every 4xx and 5xx answer, with the request id.

The full page (the site's header, the visitor's language, links) needs a URL adapter (none when
the Host header is malformed), the session and, for a logged-in visitor, the database (the
header loads the user). When any of these is missing the same words are sent on a plain page
rendered from `errors/plain.html` without them; if even that fails, a fixed English page. Every
answer carries the request id, in its header and on the page, for a bug report.
"""

from flask import Flask, Response, current_app, render_template, request
from flask.globals import request_ctx
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from wsapp import observability
from wsapp.extensions import db
from wsapp.rules import is_host_header
from wsapp.services.images.errors import megabytes

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
    500: (
        _l("Something went wrong"),
        _l(
            "The server could not answer this request. The error has been logged; please try"
            " again in a moment."
        ),
    ),
    503: (
        _l("Temporarily unavailable"),
        _l("The site cannot reach its database right now. Please try again in a minute."),
    ),
}
BEING_UPGRADED = _l("The site is being set up or upgraded. Please try again in a few minutes.")
# SQLSTATEs of a schema older than the code (PostgreSQL); SQLite says it in words.
UNDEFINED = ("42P01", "42703")  # undefined_table, undefined_column
PLAIN = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{code} {name}</title></head>
<body><main><h1>{name}</h1><p>{description}</p><p>Request id: {request_id}</p></main></body>
</html>
"""


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _server_error)


def _http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    name, default = STATUS_TEXT.get(error.code, (error.name, error.description))
    custom = bool(error.description) and error.description != type(error).description
    description = error.description if custom else default
    template = "errors/404.html" if error.code == 404 else "errors/error.html"
    return error_page(error.code, name, description, template, error=error, custom=custom)


def _csrf_error(error: CSRFError):
    # Flask-WTF's reasons are English; wsapp.forms.messages marks them for translation.
    description = _(
        "This form could not be accepted: %(reason)s Go back, reload the page and send it again.",
        reason=_(error.description),
    )
    return error_page(400, STATUS_TEXT[400][0], description, error=error)


def _too_large(error: RequestEntityTooLarge):
    limit = megabytes(current_app.config["MAX_IMAGE_BYTES"])
    description = _(
        "The upload is too large: images may be at most %(limit)s, PDFs %(pdf_limit)s. Go back"
        " and choose a smaller file.",
        limit=limit,
        pdf_limit=megabytes(current_app.config["MAX_PDF_BYTES"]),
    )
    return error_page(413, STATUS_TEXT[413][0], description, error=error)


def _server_error(error: Exception):
    if isinstance(error, HTTPException):  # pragma: no cover - routed to _http_error
        return _http_error(error)
    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    _rollback()
    cause = _database_unavailable(error)
    if cause is None:
        return error_page(500, *STATUS_TEXT[500])
    if cause == "schema":
        current_app.logger.error("the database schema is behind the code: run `flask db upgrade`")
    name, description = STATUS_TEXT[503]
    response = error_page(503, name, BEING_UPGRADED if cause == "schema" else description)
    response.headers["Retry-After"] = "30"
    return response


def _database_unavailable(error: Exception) -> str | None:
    """ "unreachable" (no connection, or one lost), "schema" (tables or columns the code needs
    are missing: before or during `db upgrade`), or None for any other error."""
    if not isinstance(error, DBAPIError):
        return None
    if error.connection_invalidated or not error.statement:
        return "unreachable"
    message = str(error.orig)
    if getattr(error.orig, "sqlstate", None) in UNDEFINED or message.startswith(
        ("no such table", "no such column")
    ):
        return "schema"
    return None


def _rollback() -> None:
    """Leave the failed transaction, so the page can load the visitor (when the database can)."""
    try:
        db.session.rollback()
    except Exception:  # the database is gone: the page is rendered without it
        current_app.logger.warning("error page: rollback failed", exc_info=True)


def error_page(code: int, name, description, template="errors/error.html", **context) -> Response:
    """The error page for `code`: the full one when it can render, else the plain one."""
    request_id = observability.current_request_id()
    words = {"code": code, "name": _text(name), "description": _text(description)}
    body = None
    # Without a URL adapter, or with a Host header no URL can be built from, nothing links.
    if request_ctx.url_adapter is not None and is_host_header(request.host):
        try:
            body = render_template(template, request_id=request_id, **words, **context)
        except Exception:
            current_app.logger.warning("error page %s: sending the plain page", code, exc_info=True)
    if body is None:
        body = _plain(words, request_id)
    response = Response(body, code, mimetype="text/html")
    response.headers["X-Request-ID"] = request_id
    return response


def _plain(words: dict, request_id: str) -> str:
    """The page from errors/plain.html (no links, user or session); fixed English if even that
    fails."""
    try:
        template = current_app.jinja_env.get_template("errors/plain.html")
        return template.render(request_id=request_id, html_lang=_html_lang(), **_links(), **words)
    except Exception:
        current_app.logger.warning("error page: plain template failed", exc_info=True)
        return PLAIN.format(
            code=words["code"],
            name=escape(words["name"]),
            description=escape(words["description"]),
            request_id=escape(request_id),
        )


def _text(value) -> str:
    """A (lazily) translated text; its English original when translating fails."""
    try:
        return str(value)
    except Exception:
        return str(getattr(value, "_args", [value])[0])


def _links() -> dict:
    """The home page and stylesheet addresses, built without the request's Host (which may be
    what is wrong); none if even that fails."""
    try:
        adapter = current_app.url_map.bind("localhost", script_name=request.script_root or "/")
        return {
            "home_url": adapter.build("site.index"),
            "stylesheet_url": adapter.build("static", {"filename": "css/site.css"}),
        }
    except Exception:
        return {}


def _html_lang() -> str:
    from flask_babel import get_locale

    return str(get_locale()).replace("_", "-")
