"""Requests checked where they enter, by the rules of wsapp/rules.py: URL converters that match
no path segment with a control character and no id the database cannot hold (a 404 before any
view runs), and a 400 for a Host header no URL can be built from or a NUL in the query string."""

from flask import abort, request
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter, UnicodeConverter

from wsapp.rules import MAX_INT, is_host_header

# URL converters: a path segment with a control character (a NUL from `%00`) or an integer the
# database cannot hold matches no route, so it is a 404 before any view or query runs.


class TextConverter(UnicodeConverter):
    """The default converter (`<slug>`, `<string(length=69):name>`), without control characters."""

    def __init__(self, map, *args, **kwargs):
        super().__init__(map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", r"[^/\x00-\x1f\x7f]", 1)


class IdConverter(IntegerConverter):
    """`<int:...>`: an id in the database's integer range (0 to 2**31 - 1)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_INT)
        super().__init__(map, *args, **kwargs)


def check_request(endpoint, values) -> None:
    """The request's own parts, before any view or workshop loader reads them: a Host header
    werkzeug cannot build a URL from, or a NUL character in the query string, is a 400."""
    if not is_host_header(request.host):
        abort(400, _("The Host header %(host)s is not a valid host name.", host=request.host[:80]))
    if any("\x00" in key + value for key, value in request.args.items(multi=True)):
        abort(400, _("The address contains a NUL character; remove it."))


def register(app) -> None:
    """Check every request first: app-level URL value preprocessors run before the blueprints'
    (which load the workshop) and before any before_request hook."""
    app.url_value_preprocessor(check_request)


def register_converters(url_map) -> None:
    """Install the converters above; call before any route is added."""
    url_map.converters.update(default=TextConverter, string=TextConverter, int=IdConverter)
