"""What the commands share: one line (and what to do) instead of a traceback.

`@needs_database` on a command checks, before it runs, that the database answers and that its
schema is the one this code's migrations build; otherwise the command ends with one line and
the command that fixes it ("run `.venv/bin/flask --app wsapp db upgrade` first"). Files a
command writes are checked with `output_file` and written with `write_file`.
"""

import functools
import os
import sys
from pathlib import Path

import click
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import inspect
from sqlalchemy.exc import DBAPIError

from wsapp.extensions import db

# A table every schema since the first migration has: without it, nothing was created yet.
FIRST_TABLE = "workshop"


def flask_command(*args: str) -> str:
    """A flask command as this one was started (`.venv/bin/flask --app wsapp ...`)."""
    program = sys.argv[0] if os.path.basename(sys.argv[0]) == "flask" else "flask"
    return " ".join([program, "--app", "wsapp", *args])


def upgrade_hint() -> str:
    return f"run `{flask_command('db', 'upgrade')}` first"


def database_name() -> str:
    """The database URL as people may see it (no password)."""
    return db.engine.engine.url.render_as_string(hide_password=True)  # (tests bind a Connection)


def check_database() -> None:
    """Raise a one-line ClickException when the database cannot serve this code."""
    try:
        connection = db.session.connection()
        current = set(MigrationContext.configure(connection).get_current_heads())
        has_tables = inspect(connection).has_table(FIRST_TABLE)
    except DBAPIError as exc:
        db.session.rollback()
        raise unreachable(exc) from None
    if not current:
        if not has_tables:
            raise click.ClickException(
                f"the database {database_name()} has no tables yet: {upgrade_hint()}"
            )
        return  # made by db.create_all() (the tests): no revision to compare
    script = _scripts()
    heads = set(script.get_heads())
    if current == heads:
        return
    unknown = sorted(rev for rev in current if not _known(script, rev))
    if unknown:
        raise click.ClickException(
            f"the database {database_name()} is at revision {', '.join(unknown)}, which this"
            " version of wsapp does not know: run the wsapp release that made it"
        )
    raise click.ClickException(
        f"the database {database_name()} is at revision {', '.join(sorted(current))}, this"
        f" version of wsapp needs {', '.join(sorted(heads))}: {upgrade_hint()}"
    )


def _scripts() -> ScriptDirectory:
    migrate = current_app.extensions["migrate"]
    return ScriptDirectory.from_config(migrate.migrate.get_config(migrate.directory))


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except Exception:  # alembic raises several kinds for an unknown or ambiguous id
        return False


def unreachable(error: DBAPIError) -> click.ClickException:
    """The one line for a database that cannot be connected to."""
    return click.ClickException(
        f"cannot reach the database {database_name()}: {first_line(error.orig)}"
    )


def first_line(error: BaseException | None) -> str:
    text = str(error or "").strip()
    return text.splitlines()[0] if text else type(error).__name__


def needs_database(command):
    """Check the database (see check_database) before the command runs; a connection lost on
    the way also ends in one line."""

    @with_appcontext
    @functools.wraps(command)
    def run(*args, **kwargs):
        check_database()
        try:
            return command(*args, **kwargs)
        except DBAPIError as exc:
            if not (exc.connection_invalidated or not exc.statement):
                raise  # a failing query is a bug: keep its traceback
            raise click.ClickException(
                f"lost the database {database_name()}: {first_line(exc.orig)}"
            ) from None

    return run


def output_file(path: Path) -> Path:
    """A file the command may write: its folder must exist, and it must not be a folder."""
    folder = path.expanduser().resolve().parent
    if not folder.is_dir():
        raise click.ClickException(f"cannot write {path}: the folder {folder} does not exist")
    if path.is_dir():
        raise click.ClickException(f"cannot write {path}: it is a folder")
    return path


def write_file(path: Path, text: str) -> None:
    """Write text to a file checked by output_file; an OS refusal ends in one line."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"cannot write {path}: {exc.strerror or exc}") from None
