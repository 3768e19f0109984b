"""Rate limits, counted by the `limits` package: in Redis when WSAPP_REDIS_URL is set (shared by
every worker and host), else in this process's memory.

Windows are fixed and counted by the storage's own clock (Redis key expiry), not by
WSAPP_NOW: a fixed preview instant must not lock anyone out for good. Without Redis each process
counts on its own: with N gunicorn workers a client may get up to N times the limit, so
production sets WSAPP_REDIS_URL. If Redis becomes unreachable the limits fail open (and log an
error) rather than stopping a room from voting or organizers from logging in.
"""

import math
import re
import time
from dataclasses import dataclass

from flask import Flask, current_app
from limits import RateLimitItem, RateLimitItemPerSecond, parse_many
from limits.errors import StorageError
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

SECONDS = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")  # "30/600": 30 per 600 seconds


@dataclass(frozen=True)
class Limit:
    """A number of hits allowed per window, counted under the name `name` for each key."""

    name: str
    item: RateLimitItem

    @classmethod
    def parse(cls, name: str, spec: str) -> "Limit":
        """ "30/600" is 30 hits per 600 seconds; "5 per minute" is also understood."""
        if match := SECONDS.fullmatch(spec):
            count, seconds = map(int, match.groups())
            return cls(name, RateLimitItemPerSecond(count, seconds))
        return cls.parse_all(name, spec)[0]

    @classmethod
    def parse_all(cls, name: str, spec: str) -> list["Limit"]:
        """Several limits that all apply, separated by ";": "20 per minute; 100 per hour"."""
        return [cls(f"{name}:{item}".replace(" ", ""), item) for item in parse_many(spec)]

    @property
    def limit(self) -> int:
        return self.item.amount

    @property
    def window(self) -> int:
        return self.item.get_expiry()


@dataclass(frozen=True)
class Outcome:
    allowed: bool
    retry_after: int  # seconds until the window resets (0 when allowed)


def init_app(app: Flask) -> None:
    """Create the app's limiter (before any request: threads must share one)."""
    url = app.config.get("REDIS_URL")
    storage = (
        storage_from_string(url, wrap_exceptions=True, socket_timeout=2) if url else MemoryStorage()
    )
    app.extensions["wsapp_ratelimit"] = FixedWindowRateLimiter(storage)


def limiter() -> FixedWindowRateLimiter:
    """This app's limiter."""
    return current_app.extensions["wsapp_ratelimit"]


def hit(limit: Limit, key: str) -> Outcome:
    """Count one hit for `key`; allowed while the window's count stays within the limit."""
    return _ask(limiter().hit, limit, key)


def peek(limit: Limit, key: str) -> Outcome:
    """Whether one more hit would be allowed, without counting one."""
    return _ask(limiter().test, limit, key)


def _ask(question, limit: Limit, key: str) -> Outcome:
    try:
        if question(limit.item, limit.name, key):
            return Outcome(True, 0)
        return Outcome(False, _retry_after(limit, key))
    except StorageError as exc:
        return _unavailable(exc)


def check_all(limits: list[Limit], key: str) -> Outcome:
    """The first of `limits` that one more hit would exceed, else an allowed outcome."""
    for limit in limits:
        outcome = peek(limit, key)
        if not outcome.allowed:
            return outcome
    return Outcome(True, 0)


def hit_all(limits: list[Limit], key: str) -> None:
    for limit in limits:
        hit(limit, key)


def _retry_after(limit: Limit, key: str) -> int:
    reset = limiter().get_window_stats(limit.item, limit.name, key).reset_time
    return max(1, math.ceil(reset - time.time()))


def _unavailable(exc: Exception) -> Outcome:
    # Fail open: an unreachable Redis must not stop a room from voting; it is logged loudly.
    current_app.logger.error("rate limit: redis unavailable, not limiting: %s", exc)
    return Outcome(True, 0)
