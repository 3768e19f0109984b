"""The one place that decides whether a response is an htmx fragment or a whole page.

Requests are read through flask-htmx's `HTMX` extension (`wsapp.extensions.htmx`) and htmx's
response headers written by its `make_response`; views call `render`, `refuse` and `redirect`
and never read an HX-* header themselves.
"""

from flask import Response, render_template
from flask import make_response as plain_response
from flask_htmx import make_response
from jinja2_fragments.flask import render_block

from wsapp.extensions import htmx

# The element wrapping a whole page (base.html): an htmx request that targets it, such as the
# language switch, swaps the whole page and so gets the whole page.
PAGE_TARGET = "page"


def is_partial() -> bool:
    """True for an htmx request that wants a fragment: not a history restore, not boosted, not
    aimed at the whole page."""
    return (
        bool(htmx)
        and not htmx.history_restore_request
        and not htmx.boosted
        and htmx.target != PAGE_TARGET
    )


def environ_is_partial(environ) -> bool:
    """`is_partial` for a WSGI environ read before Flask (the vote's express path), by the same
    headers and the same rule."""
    return (
        environ.get("HTTP_HX_REQUEST") == "true"
        and environ.get("HTTP_HX_HISTORY_RESTORE_REQUEST") != "true"
        and environ.get("HTTP_HX_BOOSTED") != "true"
        and environ.get("HTTP_HX_TARGET") != PAGE_TARGET
    )


def render(
    template: str,
    block: str | None = None,
    status: int = 200,
    fragment: str | None = None,
    **context,
) -> Response:
    """Render the whole template, or for an htmx fragment request only `block` of it, or the
    template `fragment` when the fragment is a template of its own."""
    if fragment and is_partial():
        body = render_template(fragment, **context)
    elif block and is_partial():
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    response = plain_response(body, status)
    if block or fragment:
        response.vary.update(("HX-Request", "HX-Target"))
    return response


def refuse(template: str, target: str, **context) -> Response | None:
    """For a fragment request that cannot be served: 400 with a message swapped into `target`.

    htmx does not swap error responses by default; static/js/site.js lets a 400 that names its
    target through HX-Retarget through. Page requests get None: the page shows the notice itself.
    """
    if not is_partial():
        return None
    response = make_response(
        render_template(template, **context),
        400,
        retarget=target,
        reswap="innerHTML",
        push_url=False,
    )
    response.vary.add("HX-Request")
    return response


def redirect(location: str, status: int = 303) -> Response:
    """Redirect; an htmx request gets HX-Redirect so a page is never swapped into a fragment."""
    if htmx:
        return make_response("", 200, redirect=location)
    response = plain_response("", status)
    response.headers["Location"] = location
    return response
