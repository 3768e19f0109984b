"""Flask extensions, created unbound and bound to the app in the factory."""

from flask import Flask, has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from flask_babel import Babel
from flask_compress import Compress
from flask_htmx import HTMX
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from wsapp.resources import folder

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
babel = Babel()
compress = Compress()
login_manager = LoginManager()
htmx = HTMX()


class SessionInterface(SecureCookieSessionInterface):
    """The session cookie is Secure whenever the request came over HTTPS, or when configured."""

    def get_cookie_secure(self, app: Flask) -> bool:
        configured = super().get_cookie_secure(app)
        return configured or (has_request_context() and request.is_secure)


def render_item(type_, obj, autogen_context):
    """Alembic autogenerate hook: a column type of our own (a TypeDecorator such as UTCDateTime)
    is written as the plain type it stores as, so migrations never import the app."""
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


def init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(folder("migrations")),
        render_as_batch=True,
        compare_type=True,
        render_item=render_item,
    )
    csrf.init_app(app)
    compress.init_app(app)
    login_manager.init_app(app)
    htmx.init_app(app)
    app.session_interface = SessionInterface()
    listen_once(Engine, "connect", _sqlite_connect)
    listen_once(Engine, "begin", _sqlite_begin)


def listen_once(target, name: str, hook) -> None:
    """A SQLAlchemy event hook, installed by the app factory; a second app adds no second call."""
    if not event.contains(target, name, hook):
        event.listen(target, name, hook)


def _sqlite_connect(dbapi_connection, connection_record) -> None:
    # SQLite ignores ON DELETE CASCADE unless asked, and pysqlite's own transaction handling
    # breaks SAVEPOINTs; SQLAlchemy then emits BEGIN itself (see _sqlite_begin).
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def _sqlite_begin(connection) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")
