"""Request ids, structured (JSON) logs and an access log line per request."""

import json
import logging
import re
import sys
import time
import uuid

from flask import Flask, g, has_request_context, request

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")
access_log = logging.getLogger("wsapp.access")


class JSONFormatter(logging.Formatter):
    """One JSON object per line, with the request id when there is a request."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if hasattr(record, "request_id"):
            entry["request_id"] = record.request_id
        elif has_request_context():
            entry["request_id"] = g.get("request_id")
        for key in ("method", "path", "status", "duration_ms", "remote_addr"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def request_id_from(incoming: str) -> str:
    """The client's (or proxy's) X-Request-ID when it looks like one, else a new id."""
    return incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex


def current_request_id() -> str:
    """This request's id (made now when the request failed before `_start` ran)."""
    if "request_id" not in g:
        g.request_id = request_id_from(request.headers.get("X-Request-ID", ""))
    return g.request_id


def log_access(
    method: str,
    path: str,
    status: int,
    duration_ms: float,
    remote_addr: str | None,
    request_id: str,
) -> None:
    """One access log line; also written by the page cache for the pages it answers itself."""
    if not access_log.isEnabledFor(logging.INFO):
        return
    access_log.info(
        "%s %s %s",
        method,
        path,
        status,
        extra={
            "method": method,
            "path": path,
            "status": status,
            "duration_ms": round(duration_ms, 2),
            "remote_addr": remote_addr,
            "request_id": request_id,
        },
    )


def _start():
    g.request_id = request_id_from(request.headers.get("X-Request-ID", ""))
    g.request_started = time.perf_counter()


def _finish(response):
    response.headers["X-Request-ID"] = g.get("request_id", "")
    duration = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
    log_access(
        request.method,
        request.path,
        response.status_code,
        duration,
        request.remote_addr,
        g.get("request_id", ""),
    )
    return response


def configure_logging(app: Flask) -> None:
    """JSON lines on stderr when WSAPP_LOG_FORMAT=json (the production default)."""
    fmt = app.config.get("LOG_FORMAT") or ("json" if app.config["ENV"] == "production" else "text")
    if fmt != "json" or app.testing:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JSONFormatter())
    for logger in (app.logger, access_log):
        logger.handlers[:] = [handler]
        logger.setLevel(str(app.config.get("LOG_LEVEL") or "INFO").upper())
        logger.propagate = False


def register(app: Flask) -> None:
    configure_logging(app)
    app.before_request(_start)
    app.after_request(_finish)
