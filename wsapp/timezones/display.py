"""What a page is rendered for: the viewer's display zone and the current instant.

The display zone comes from `?tz=` (shareable), else the `wsapp_tz` cookie (the last choice,
remembered across the site), else the venue's zone. `?tz=venue` asks for venue time and clears the
cookie. An unknown name falls back to venue time and is kept in `rejected` so the page can say so.
"""

from dataclasses import dataclass

from flask import Flask, Response, g, has_request_context, request

from wsapp.timezones.formats import is_valid_zone

COOKIE = "wsapp_tz"
VENUE = "venue"
MAX_AGE = 365 * 24 * 3600


@dataclass(frozen=True)
class DisplayZone:
    name: str  # the IANA zone times are rendered in
    venue: str  # the venue's IANA zone
    explicit: bool = False  # asked for in the URL (the cookie follows it)
    rejected: str | None = None  # an unknown zone that was asked for

    @property
    def is_venue(self) -> bool:
        return self.name == self.venue

    @property
    def key(self) -> str:
        """What `?tz=` carries to show the same view again."""
        return VENUE if self.is_venue else self.name

    def url_args(self) -> dict:
        """`tz` for url_for when the view was chosen in the URL, so polling keeps to it."""
        return {"tz": self.key} if self.explicit else {}


def display_zone() -> DisplayZone:
    """The current request's display zone, resolved once and kept in g."""
    if "display_zone" not in g:
        g.display_zone = _resolve()
    return g.display_zone


def select_timezone() -> str:
    """Flask-Babel's time zone: the viewer's display zone (UTC outside a request)."""
    return display_zone().name if has_request_context() else "UTC"


def rejected_zone() -> str | None:
    """The unknown `?tz=` this request asked for, once its display zone was resolved."""
    zone = g.get("display_zone")
    return zone.rejected if zone is not None else None


def _resolve() -> DisplayZone:
    workshop = g.get("workshop")
    venue = (
        workshop.timezone if workshop is not None and is_valid_zone(workshop.timezone) else "UTC"
    )
    # A form may send a zone from the list and the button pressed; the last one wins.
    asked = next((v.strip() for v in reversed(request.args.getlist("tz")) if v.strip()), None)
    if asked == VENUE:
        return DisplayZone(venue, venue, explicit=True)
    if asked is not None:
        if is_valid_zone(asked):
            return DisplayZone(asked, venue, explicit=True)
        return DisplayZone(venue, venue, rejected=asked[:80])
    remembered = request.cookies.get(COOKIE, "")
    if is_valid_zone(remembered):
        return DisplayZone(remembered, venue)
    return DisplayZone(venue, venue)


def _remember(response: Response) -> Response:
    zone = g.get("display_zone")
    if zone is None:
        return response
    response.vary.add("Cookie")
    if zone.explicit and zone.is_venue:
        response.delete_cookie(COOKIE, samesite="Lax")
    elif zone.explicit:
        response.set_cookie(
            COOKIE,
            zone.name,
            max_age=MAX_AGE,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure,
        )
    elif COOKIE in request.cookies and not is_valid_zone(request.cookies[COOKIE]):
        response.delete_cookie(COOKIE, samesite="Lax")  # a zone this server no longer knows
    return response


def register(app: Flask) -> None:
    app.after_request(_remember)
