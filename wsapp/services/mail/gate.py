"""On SQLite, the mail worker records a delivery only between this process's requests.

SQLite refuses at once ("database is locked", without waiting) a transaction that has read and
now wants to write while another connection is writing: were the worker to record a delivery at
any moment, a request saving something at that moment would fail. So on SQLite the worker's
write waits for a moment when no request of this process is running (at most WAIT seconds), and
a request that starts during the write (a few milliseconds) waits for it. PostgreSQL has no such
failure and no gate. Other processes on the same SQLite file are not covered: they conflict with
each other in the same way, mail or not (use PostgreSQL with several workers).
"""

import threading
from contextlib import contextmanager

from flask import Flask, g, request_started

WAIT = 30.0  # seconds a delivery's record waits for a quiet moment before it writes anyway


class RequestGate:
    def __init__(self):
        self._state = threading.Condition()
        self._requests = 0
        self._writing = False

    def enter(self) -> None:
        with self._state:
            self._state.wait_for(lambda: not self._writing, timeout=WAIT)
            self._requests += 1

    def leave(self) -> None:
        with self._state:
            self._requests -= 1
            self._state.notify_all()

    @contextmanager
    def quiet(self):
        """Hold new requests back while the body runs, once none is running."""
        with self._state:
            self._state.wait_for(lambda: self._requests == 0, timeout=WAIT)
            self._writing = True
        try:
            yield
        finally:
            with self._state:
                self._writing = False
                self._state.notify_all()


def install(app: Flask) -> RequestGate:
    """A gate counting the app's requests, from before their first query to their teardown."""
    gate = RequestGate()

    def started(sender, **extra) -> None:
        gate.enter()
        g.mail_gate_entered = True

    def finished(error=None) -> None:
        if g.pop("mail_gate_entered", False):
            gate.leave()

    request_started.connect(started, app, weak=False)
    app.teardown_request(finished)
    return gate
