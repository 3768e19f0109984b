"""What a process knows of the content's versions without asking on every page-cache hit.

Each edit is announced as it commits, and each process listens in a thread of its own:

- **PostgreSQL without Redis** (`VersionWatch`): every transaction that changes what pages show
  sends `NOTIFY wsapp_content`, delivered at its commit (models/events.py). A process forgets the
  versions it read when a notice arrives, so a hit reads the version from memory and an edit
  committed by any server is seen at once.
- **Redis** (`GenerationWatch`): `RedisCache.bump` publishes the new generation. A process that
  holds it answers hits from the entries it fetched before (`RedisCache`), with no round trip.

What a watch knows is trusted only while it listens (a notice sent while it did not would be
lost), and for at most MAX_TRUST seconds: an edit made outside the app (SQL typed by hand, a
flushed Redis) sends no notice, and is seen after that time.
"""

import logging
import threading
import time

import psycopg
from sqlalchemy.engine import URL

from wsapp.models.events import CONTENT_CHANNEL

MAX_TRUST = 10.0  # seconds
RETRY = 1.0  # seconds between attempts to listen again
POLL = 0.1  # seconds a listener waits for a notice before it looks whether to stop
log = logging.getLogger(__name__)


class _Watch:
    """A listening thread; subclasses connect and call `heard` for each notice."""

    name = "watch"

    def __init__(self):
        self._epoch = 0  # moves at every notice, connection and disconnection
        self._listening = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"wsapp-{self.name}", daemon=True)
        self._thread.start()

    def epoch(self) -> int:
        """Read before reading what a notice would change, for `_keep`."""
        return self._epoch

    def trusted(self, since: float) -> bool:
        """Whether a value read at `since` (time.monotonic()) may still be used."""
        return self._listening and time.monotonic() - since <= MAX_TRUST

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def stopping(self) -> bool:
        return self._stop.is_set()

    def heard(self, listening: bool | None = None) -> None:
        """A notice (or a connection made or lost): what was known is old."""
        with self._lock:
            self._epoch += 1
            self._forget()
            if listening is not None:
                self._listening = listening

    def _forget(self) -> None:
        raise NotImplementedError

    def _listen(self) -> None:
        """Connect, call heard(listening=True), then heard() per notice until stopping()."""
        raise NotImplementedError

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._listen()
            except Exception as exc:  # noqa: BLE001 - any failure: stop trusting, listen again
                if not self._stop.is_set():
                    log.warning("page cache: not listening for edits (%s); retrying", exc)
            self.heard(listening=False)
            self._stop.wait(RETRY)


class VersionWatch(_Watch):
    """PostgreSQL's notices; the content versions read from the database, by workshop slug."""

    name = "version-watch"

    def __init__(self, url: URL):
        self._conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._known: dict = {}  # workshop slug (None: the site) -> (version, read at)
        super().__init__()

    def known(self, slug: str | None) -> str | None:
        """The version of `slug`'s pages, if known and still trusted."""
        found = self._known.get(slug)
        return found[0] if found is not None and self.trusted(found[1]) else None

    def remember(self, slug: str | None, version: str, epoch: int) -> None:
        """Keep a version read from the database, unless a notice came while it was read."""
        with self._lock:
            if self._listening and epoch == self._epoch:
                self._known[slug] = (version, time.monotonic())

    def _forget(self) -> None:
        self._known = {}

    def _listen(self) -> None:
        with psycopg.connect(self._conninfo, autocommit=True) as conn:
            conn.execute(f"LISTEN {CONTENT_CHANNEL}")
            self.heard(listening=True)
            while not self.stopping():
                for _notice in conn.notifies(timeout=POLL):
                    self.heard()


class GenerationWatch(_Watch):
    """Redis's messages; the site's content generation and the entries fetched at it."""

    name = "generation-watch"

    def __init__(self, client, key: str, channel: str, max_entries: int = 256):
        self._client, self._key, self._channel = client, key, channel
        self._generation: tuple[int, float] | None = None  # (generation, read at)
        self._entries: dict = {}  # Redis key -> entry, fetched at the known generation
        self._max_entries = max_entries
        super().__init__()

    def generation(self) -> int | None:
        found = self._generation
        return found[0] if found is not None and self.trusted(found[1]) else None

    def entry(self, name: str):
        return self._entries.get(name) if self.generation() is not None else None

    def keep(self, name: str, entry, generation: int, epoch: int) -> None:
        """Keep an entry fetched at `generation`, unless a message came meanwhile."""
        with self._lock:
            if not self._listening or epoch != self._epoch:
                return
            if self._generation is None or self._generation[0] != generation:
                self._generation = (generation, time.monotonic())
                self._entries = {}
            if len(self._entries) >= self._max_entries:
                self._entries = {}
            self._entries[name] = entry

    def _forget(self) -> None:
        self._generation = None
        self._entries = {}

    def _listen(self) -> None:
        pubsub = self._client.pubsub()
        try:
            pubsub.subscribe(self._channel)
            deadline = time.monotonic() + 5
            while (pubsub.get_message(timeout=POLL) or {}).get("type") != "subscribe":
                if time.monotonic() > deadline or self.stopping():
                    raise TimeoutError("no confirmation of the subscription")
            self.heard(listening=True)
            while not self.stopping():
                if (pubsub.get_message(timeout=POLL) or {}).get("type") == "message":
                    self.heard()
        finally:
            pubsub.close()
