"""Mail leaves after the commit, from a worker thread: a request never waits for an SMTP server.

`queue` records an `OutgoingMail` row and keeps the message in the session's `info`. When the
session commits, the messages go to this process's worker thread (started on first use, after
any fork, and ended after a minute without work); a rollback drops them, so a mail never
announces something that was not saved. The worker sends each message, retrying a temporary
failure after MAIL_RETRY_SECONDS, and writes the outcome to its row, which the access and
account pages show. A failure is logged. The message itself lives only in memory: it carries a
single-use link whose token the database must never hold.

`later` hands the worker a whole task instead (look an account up, make its link, queue its
mail), for work whose duration must not show in the request's.

With MAIL_BACKGROUND off (the test suite's rolled-back fixtures) the message is sent inside
the commit instead; the outcome is recorded the same way. On SQLite the worker records outcomes
between requests (gate.py).
"""

import atexit
import logging
import os
import queue as queues
import threading
import time
import weakref
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from email.message import EmailMessage

from flask import Flask, current_app, has_app_context
from sqlalchemy import event, update
from sqlalchemy.orm import Session

from wsapp.extensions import db
from wsapp.models import MailStatus, OutgoingMail
from wsapp.services.mail import gate, transport
from wsapp.services.mail.settings import MailSettings
from wsapp.timezones.clock import now

log = logging.getLogger(__name__)
PENDING = "mail_outbox"
IDLE_SECONDS = 60
_dispatchers: "weakref.WeakSet[Dispatcher]" = weakref.WeakSet()


@dataclass
class Job:
    mail_id: int
    message: EmailMessage


@dataclass
class Task:
    """Work for the worker that decides whether to mail at all (see `later`)."""

    function: Callable[..., None]
    args: tuple


def queue(record: OutgoingMail, message: EmailMessage) -> OutgoingMail:
    """Add `record` and send `message` to its recipient once the session commits."""
    del message["To"]  # the record says who it goes to
    message["To"] = record.recipient
    db.session.add(record)
    db.session.flush()
    db.session.info.setdefault(PENDING, []).append(Job(record.id, message))
    return record


class Dispatcher:
    """This app's mail worker: one thread per process, a queue, and a count of unfinished jobs."""

    def __init__(self, app: Flask):
        self.app = app
        self._jobs: queues.Queue[Job] = queues.Queue()
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._unfinished = 0
        self._thread: threading.Thread | None = None
        self._pid = os.getpid()
        sqlite = app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
        self._gate = gate.install(app) if sqlite else None
        _dispatchers.add(self)

    def submit(self, jobs: list[Job | Task]) -> None:
        if not self.app.config["MAIL_BACKGROUND"]:
            for job in jobs:
                self._run(job)
            return
        with self._lock:
            if self._pid != os.getpid():  # forked: the parent's queue and thread are not ours
                self._jobs, self._thread, self._unfinished = queues.Queue(), None, 0
                self._pid = os.getpid()
            self._unfinished += len(jobs)
            for job in jobs:
                self._jobs.put(job)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="wsapp-mail", daemon=True)
                self._thread.start()

    def wait(self, timeout: float) -> bool:
        """Wait until every submitted message is delivered or has failed; False on time-out."""
        with self._idle:
            return self._idle.wait_for(lambda: self._unfinished == 0, timeout)

    def _work(self) -> None:
        while True:
            try:
                job = self._jobs.get(timeout=IDLE_SECONDS)
            except queues.Empty:
                with self._lock:
                    if self._jobs.empty():
                        self._thread = None
                        return
                continue
            try:
                self._run(job)
            except Exception:  # never let one message stop the worker
                log.exception("mail worker: unexpected error in %s", job)
            finally:
                with self._idle:
                    self._unfinished -= 1
                    self._idle.notify_all()

    def _run(self, job: Job | Task) -> None:
        if isinstance(job, Job):
            self._deliver(job)
            return
        try:
            with self._quiet(), self.app.app_context():
                job.function(*job.args)
                db.session.commit()  # what the task queued is handed over by this commit
        except Exception:
            log.exception("mail worker: %s failed", job.function.__qualname__)

    def _quiet(self):
        """On SQLite, from the worker thread: between requests (gate.py)."""
        background = threading.current_thread() is self._thread
        return self._gate.quiet() if self._gate is not None and background else nullcontext()

    def _deliver(self, job: Job) -> None:
        config = self.app.config
        delays = [float(seconds) for seconds in config["MAIL_RETRY_SECONDS"] or ()]
        attempts = 0
        while True:
            attempts += 1
            try:
                transport.send(MailSettings.parse(config["MAIL_URL"]), job.message)
            except transport.MailError as exc:
                if exc.temporary and delays:
                    log.warning(
                        "mail %s to %s: %s; trying again", job.mail_id, job.message["To"], exc
                    )
                    self._record(job, MailStatus.RETRYING, attempts, str(exc))
                    time.sleep(delays.pop(0))
                    continue
                log.error("mail %s to %s not sent: %s", job.mail_id, job.message["To"], exc)
                self._record(job, MailStatus.FAILED, attempts, str(exc))
                return
            log.info("mail %s sent to %s", job.mail_id, job.message["To"])
            self._record(job, MailStatus.SENT, attempts, None)
            return

    def _record(self, job: Job, status: MailStatus, attempts: int, error: str | None) -> None:
        try:
            with self._quiet(), self.app.app_context():
                db.session.execute(
                    update(OutgoingMail)
                    .where(OutgoingMail.id == job.mail_id)
                    .values(status=status, attempts=attempts, error=error, updated_dt=now())
                )
                db.session.commit()
        except Exception:
            log.exception("mail %s: could not record its status %s", job.mail_id, status)


def later(function: Callable[..., None], *args) -> None:
    """Run `function(*args)` in the worker, in an app context, then commit: for work whose
    duration must not show in the request's (whether an account exists must not be timed).
    The request's own transaction plays no part."""
    dispatcher(current_app).submit([Task(function, args)])


def dispatcher(app: Flask) -> Dispatcher:
    return app.extensions["wsapp_mail"]


@event.listens_for(Session, "after_commit")
def _send_committed(session: Session) -> None:
    jobs = session.info.pop(PENDING, None)
    if jobs and has_app_context():
        dispatcher(current_app).submit(jobs)


@event.listens_for(Session, "after_soft_rollback")
def _drop(session: Session, previous_transaction) -> None:
    session.info.pop(PENDING, None)


@atexit.register
def _drain() -> None:
    """A process that exits (a worker recycled, a command done) first sends what it queued."""
    for each in list(_dispatchers):
        if each._pid == os.getpid():
            each.wait(timeout=15)
