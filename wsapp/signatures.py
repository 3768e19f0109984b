"""Signed values (the session cookie, CSRF tokens, the ballot cookie) checked once per value.

A browser sends the same signed values with each of its requests. Their signature is checked the
first time a process sees each one and kept by the value's exact text, so a value that is not the
one signed (a forged or altered one) never matches a kept check and is checked in full. A timed
value's age is checked at every use, as itsdangerous checks it.
"""

import functools
import time

from itsdangerous import BadData, Serializer

MAX_KEPT = 4096
INVALID = object()


class Verified:
    """`serializer.loads`, kept per value; `timed` for a TimedSerializer (its max_age applies)."""

    def __init__(self, serializer: Serializer, timed: bool):
        self.serializer = serializer
        self.timed = timed
        self._checked = functools.lru_cache(maxsize=MAX_KEPT)(self._check)

    def _check(self, value: str):
        if self.timed:
            payload, signed_at = self.serializer.loads(value, return_timestamp=True)
            return payload, int(signed_at.timestamp())
        return self.serializer.loads(value), None

    def loads(self, value: str, max_age: int | None = None):
        """The payload (shared: never change it), or INVALID."""
        try:
            payload, signed_at = self._checked(value)
        except BadData:
            return INVALID
        if max_age is not None and signed_at is not None:
            age = int(time.time()) - signed_at
            if age < 0 or age > max_age:  # itsdangerous's SignatureExpired
                return INVALID
        return payload
