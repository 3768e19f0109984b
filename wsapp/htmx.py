"""The one place that decides whether a response is an htmx fragment or a whole page."""

from flask import Response, make_response, render_template, request
from jinja2_fragments.flask import render_block

# The element wrapping a whole page (base.html): an htmx request that targets it, such as the
# language switch, swaps the whole page and so gets the whole page.
PAGE_TARGET = "page"


def is_partial() -> bool:
    """True for an htmx request that wants a fragment: not a history restore, not boosted, not
    aimed at the whole page."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-History-Restore-Request") != "true"
        and headers.get("HX-Boosted") != "true"
        and headers.get("HX-Target") != PAGE_TARGET
    )


def render(template: str, block: str | None = None, status: int = 200, **context) -> Response:
    """Render the whole template, or only `block` of it for an htmx fragment request."""
    if block and is_partial():
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    if block:
        response.vary.update(("HX-Request", "HX-Target"))
    return response


def refuse(template: str, target: str, **context) -> Response | None:
    """For a fragment request that cannot be served: 400 with a message swapped into `target`.

    htmx does not swap error responses by default; static/js/zones.js lets a 400 that names its
    target through HX-Retarget through. Page requests get None: the page shows the notice itself.
    """
    if not is_partial():
        return None
    response = make_response(render_template(template, **context), 400)
    response.headers.update(
        {"HX-Retarget": target, "HX-Reswap": "innerHTML", "HX-Push-Url": "false"}
    )
    response.vary.add("HX-Request")
    return response


def redirect(location: str, status: int = 303) -> Response:
    """Redirect; an htmx request gets HX-Redirect so a page is never swapped into a fragment."""
    if request.headers.get("HX-Request") == "true":
        response = make_response("", 200)
        response.headers["HX-Redirect"] = location
        return response
    response = make_response("", status)
    response.headers["Location"] = location
    return response
