"""gunicorn settings for wsapp: `gunicorn -c python:wsapp.gunicorn_config 'wsapp:create_app()'`.

They ship with the package, so an installed wsapp runs from any folder; the checkout's
gunicorn.conf.py reads them from here. The WSAPP_* variables below override them.
"""

import multiprocessing
import os

bind = os.environ.get("WSAPP_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WSAPP_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("WSAPP_THREADS", "2"))
worker_class = "gthread"
timeout = 30
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak can never grow without bound (0: never). Each
# recycle reloads the app in a new process, a pause for the requests waiting on that worker, so
# it is rare by default; bench/site.py turns it off to measure memory growth as it really is.
max_requests = int(os.environ.get("WSAPP_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
# The app writes its own JSON access log with request ids (wsapp.observability).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("WSAPP_LOG_LEVEL", "info").lower()
forwarded_allow_ips = os.environ.get("WSAPP_FORWARDED_ALLOW_IPS", "127.0.0.1")
preload_app = False


def on_starting(server):
    """Check every WSAPP_* setting in the master, before any worker: a wrong one stops gunicorn
    with one line naming it (a worker failing at start would be replaced, again and again)."""
    from wsapp.config import check_environment

    check_environment()


def post_worker_init(worker):
    """Move the loaded app's objects out of the garbage collector's sight (gc.freeze): they live
    as long as the process, and a full collection would otherwise walk all of them, a pause of
    tens of milliseconds in the middle of some request."""
    import gc

    gc.collect()
    gc.freeze()
