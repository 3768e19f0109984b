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
        if has_request_context():
            entry["request_id"] = g.get("request_id")
        for key in ("method", "path", "status", "duration_ms", "remote_addr"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def _start():
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish(response):
    response.headers["X-Request-ID"] = g.get("request_id", "")
    duration = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
    access_log.info(
        "%s %s %s",
        request.method,
        request.path,
        response.status_code,
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round(duration, 2),
            "remote_addr": request.remote_addr,
        },
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
