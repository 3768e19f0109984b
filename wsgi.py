"""WSGI entry point: `gunicorn wsgi:app`."""

from wsapp import create_app

app = create_app()
