"""The one clock: pages, phases, countdowns, voting windows and stored timestamps ask now().

`WSAPP_NOW` fixes the instant (an ISO 8601 date-time with a UTC offset) to preview a workshop's
phases, for demos and tests; config.load checks it at start-up with parse_fixed. Cache lifetimes
and rate-limit windows are not moments of the site's content: they run on real time.
"""

import datetime as dt

from flask import current_app, has_app_context


def parse_fixed(value: object) -> dt.datetime | None:
    """WSAPP_NOW as an aware UTC datetime (None when unset); ValueError saying what is wrong."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(
                f"{value!r} is not an ISO 8601 date-time such as 2023-12-15T16:10:00+00:00"
            ) from None
    if not isinstance(value, dt.datetime):
        raise ValueError(f"{value!r} is not a date-time")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{value.isoformat()} has no UTC offset (add +00:00 or Z)")
    return value.astimezone(dt.UTC)


def now() -> dt.datetime:
    """The current instant, timezone-aware UTC: WSAPP_NOW when the app fixes it, else the clock."""
    return now_for(current_app.config if has_app_context() else None)


def now_for(config) -> dt.datetime:
    """now() for an app's `config` read outside its context (None: the clock)."""
    fixed = config.get("NOW") if config is not None else None
    if fixed:
        return fixed if isinstance(fixed, dt.datetime) else parse_fixed(fixed)
    return dt.datetime.now(dt.UTC)
