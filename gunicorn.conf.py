"""gunicorn settings for a checkout (`gunicorn -c gunicorn.conf.py wsgi:app`): the package's own."""

from wsapp.gunicorn_config import *  # noqa: F403
