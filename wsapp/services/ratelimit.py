"""Fixed-window rate limits, in Redis when WSAPP_REDIS_URL is set, else in this process.

A limit allows `limit` hits per key in each window of `window` seconds (windows are aligned to
the epoch, so every process agrees on them). With Redis the counter is one atomic INCR (plus
EXPIRE in the same MULTI) shared by every worker and host. Without Redis each process counts on
its own: with N gunicorn workers a client may get up to N times the limit, so production should
set WSAPP_REDIS_URL. If Redis becomes unreachable the limits fail open (and log an error) rather
than stopping the vote.
"""

import re
import threading
import time
from dataclasses import dataclass

from flask import current_app

UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
PER_UNIT = re.compile(r"(\d+)\s*(?:per|/)\s*(second|minute|hour|day)", re.IGNORECASE)


@dataclass(frozen=True)
class Limit:
    """`limit` hits per `window` seconds, under the counter name `name`."""

    name: str
    limit: int
    window: int

    @classmethod
    def parse(cls, name: str, spec: str) -> "Limit":
        """ "30/600" means 30 hits per 600 seconds; "5 per minute" is also understood."""
        spec = spec.strip()
        if match := PER_UNIT.fullmatch(spec):
            count, unit = match.groups()
            return cls(name, int(count), UNITS[unit.lower()])
        count, _, seconds = spec.partition("/")
        return cls(name, int(count), int(seconds))

    @classmethod
    def parse_all(cls, name: str, spec: str) -> list["Limit"]:
        """Several limits that all apply, separated by ";": "20 per minute; 100 per hour"."""
        parts = [part for part in spec.split(";") if part.strip()]
        return [cls.parse(f"{name}:{part.strip().replace(' ', '')}", part) for part in parts]


@dataclass(frozen=True)
class Outcome:
    allowed: bool
    count: int
    retry_after: int  # seconds until the window resets


class MemoryBackend:
    """Counters in a dict of this process, pruned as windows pass."""

    def __init__(self):
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[int, int]] = {}  # key -> (window index, count)

    def incr(self, key: str, window_index: int, ttl: int) -> int:
        with self._lock:
            index, count = self._counts.get(key, (window_index, 0))
            count = count + 1 if index == window_index else 1
            self._counts[key] = (window_index, count)
            if len(self._counts) > 10_000:
                self._counts = {k: v for k, v in self._counts.items() if v[0] == window_index}
            return count

    def get(self, key: str, window_index: int) -> int:
        with self._lock:
            index, count = self._counts.get(key, (window_index, 0))
            return count if index == window_index else 0


class RedisBackend:
    """Counters in Redis: `INCR` and `EXPIRE` in one MULTI/EXEC, so concurrent hits never race."""

    def __init__(self, url: str):
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._errors = (redis.RedisError, OSError)

    def incr(self, key: str, window_index: int, ttl: int) -> int:
        full = f"wsapp:rl:{key}:{window_index}"
        try:
            pipe = self._redis.pipeline(transaction=True)
            pipe.incr(full)
            pipe.expire(full, ttl)
            count, _ = pipe.execute()
        except self._errors as exc:
            return self._unavailable(exc)
        return int(count)

    def get(self, key: str, window_index: int) -> int:
        try:
            value = self._redis.get(f"wsapp:rl:{key}:{window_index}")
        except self._errors as exc:
            return self._unavailable(exc)
        return int(value) if value else 0

    @staticmethod
    def _unavailable(exc: Exception) -> int:
        # Fail open: an unreachable Redis must not stop a room from voting; it is logged loudly.
        current_app.logger.error("rate limit: redis unavailable, not limiting: %s", exc)
        return 0


def backend():
    """This app's backend, created on first use."""
    store = current_app.extensions.setdefault("wsapp_ratelimit", {})
    if "backend" not in store:
        url = current_app.config.get("REDIS_URL")
        store["backend"] = RedisBackend(url) if url else MemoryBackend()
    return store["backend"]


def _window(limit: Limit, now: float) -> tuple[int, int]:
    index = int(now // limit.window)
    retry_after = max(1, int((index + 1) * limit.window - now + 0.999))
    return index, retry_after


def hit(limit: Limit, key: str, now: float | None = None) -> Outcome:
    """Count one hit for `key`; allowed while the window's count stays within the limit."""
    now = time.time() if now is None else now
    index, retry_after = _window(limit, now)
    count = backend().incr(f"{limit.name}:{key}", index, limit.window + 1)
    return Outcome(count <= limit.limit, count, retry_after)


def peek(limit: Limit, key: str, now: float | None = None) -> Outcome:
    """Whether one more hit would be allowed, without counting one."""
    now = time.time() if now is None else now
    index, retry_after = _window(limit, now)
    count = backend().get(f"{limit.name}:{key}", index)
    return Outcome(count < limit.limit, count, retry_after)


def check_all(limits: list[Limit], key: str) -> Outcome:
    """The first of `limits` that one more hit would exceed, else an allowed outcome."""
    for limit in limits:
        outcome = peek(limit, key)
        if not outcome.allowed:
            return outcome
    return Outcome(True, 0, 0)


def hit_all(limits: list[Limit], key: str) -> None:
    for limit in limits:
        hit(limit, key)
