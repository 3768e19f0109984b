"""The schema comes from the migrations: they build an empty database and match the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from wsapp.extensions import db, render_item


def _diff(connection):
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "render_item": render_item}
    )
    return compare_metadata(context, db.metadata)


def test_upgrade_from_empty_matches_models_then_downgrades(fresh_app):
    app = fresh_app()
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            assert set(db.metadata.tables) <= tables
            assert _diff(connection) == []
        downgrade(revision="base")
        with db.engine.connect() as connection:
            assert set(inspect(connection).get_table_names()) <= {"alembic_version"}


def test_cli_upgrade_and_demo_load(fresh_app):
    app = fresh_app()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "bugs-2023, synthetic-2024" in result.output
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert "already has workshops" in result.output
    client = app.test_client()
    assert client.get("/bugs-2023/schedule").status_code == 200
