"""The express path's one statement: the vote's upsert, guarded, and its commit.

It inserts nothing unless the ballot is this browser's, in this workshop, and the workshop is
still published at the content version the express path checked the vote against (in codes mode,
a ballot opened with a code). It returns the ballot's code hash, the seed of its candidates'
order. On PostgreSQL it runs on a pool of its own, in autocommit: one round trip in all.
"""

import functools

from sqlalchemy import Boolean, Engine, Integer, bindparam, create_engine, text

from wsapp.extensions import db
from wsapp.models import Vote


class VoteStatement:
    def __init__(self, app):
        self.app = app
        self._bind = None
        self._raw = False  # PostgreSQL: the driver's cursor, without SQLAlchemy's execution

    def record(self, values: dict, codes: bool):
        """(ballot id, code hash) of the vote just recorded, or None when the guard held."""
        statement = _statement(codes)
        bind = self._engine()
        if not isinstance(bind, Engine):  # the tests' one connection, in its transaction
            with self.app.app_context():
                row = db.session.execute(statement, values).first()
                db.session.commit()
            return row
        if self._raw:
            return self._record_raw(bind, statement, values)
        with bind.connect() as conn:
            row = conn.execute(statement, values).first()
            conn.commit()
            return row

    def dispose(self) -> None:
        """Close this path's own pooled connections (the app's engine is the app's to close)."""
        if self._raw:
            self._bind.dispose()

    def _record_raw(self, bind, statement, values: dict):
        """On PostgreSQL: the compiled statement on a pooled driver connection in autocommit (the
        values need no conversion: psycopg takes the aware UTC instant as it is)."""
        connection = bind.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute(_compiled(statement, bind.dialect), values)
            row = cursor.fetchone()
            cursor.close()
        except Exception:
            connection.invalidate()  # whatever failed, a new connection for the next vote
            raise
        finally:
            connection.close()
        return row

    def _engine(self):
        """The app's engine; on PostgreSQL a pool of this path's own, in autocommit and without
        a ping before each use: a connection the server has closed fails the statement, Flask
        takes that vote, and the next vote gets a new connection."""
        if self._bind is None:
            with self.app.app_context():
                bind = db.engine
            if isinstance(bind, Engine) and bind.dialect.name == "postgresql":
                bind = create_engine(
                    bind.url,
                    isolation_level="AUTOCOMMIT",
                    pool_pre_ping=False,
                    pool_reset_on_return=None,  # in autocommit there is no transaction to end
                    pool_size=bind.pool.size(),
                )
                self._raw = True
            self._bind = bind
        return self._bind


@functools.cache
def _compiled(statement, dialect) -> str:
    return statement.compile(dialect=dialect).string


@functools.cache
def _statement(codes: bool):
    vote = Vote.__table__
    code_only = "AND ballot.code_id IS NOT NULL" if codes else ""
    return text(
        f"""
        INSERT INTO vote (ballot_id, category_id, paper_id, created_dt, updated_dt)
        SELECT ballot.id, :category, :paper, :at, :at
        FROM ballot JOIN workshop ON workshop.id = ballot.workshop_id
        WHERE ballot.token_hash = :token_hash AND workshop.id = :workshop
          AND workshop.slug = :slug AND workshop.content_version = :version
          AND workshop.is_published = :published {code_only}
        ON CONFLICT (ballot_id, category_id)
        DO UPDATE SET paper_id = excluded.paper_id, updated_dt = excluded.updated_dt
        RETURNING vote.ballot_id, (
          SELECT ballot_code.code_hash FROM ballot JOIN ballot_code
          ON ballot_code.id = ballot.code_id WHERE ballot.id = vote.ballot_id
        )
        """
    ).bindparams(
        bindparam("at", type_=vote.c.created_dt.type),
        bindparam("category", type_=Integer),
        bindparam("paper", type_=Integer),
        bindparam("workshop", type_=Integer),
        bindparam("version", type_=Integer),
        bindparam("published", type_=Boolean),
    )
