"""The schema comes from the migrations: they build an empty database and match the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from wsapp.extensions import db, render_item
from wsapp.models.record import by_table


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
            if connection.dialect.name == "sqlite":  # later migrations keep what this one made
                for model in by_table().values():
                    sql = connection.exec_driver_sql(
                        "SELECT sql FROM sqlite_master WHERE name = ?", (model.__tablename__,)
                    ).scalar()
                    assert "AUTOINCREMENT" in sql, model.__tablename__
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


def test_roles_get_their_persons_name_homepage_and_photo(fresh_app):
    """Migrating existing data: each role shows what its person showed before the upgrade."""
    app = fresh_app()
    with app.app_context():
        upgrade(revision="5d1f0c7a9e42")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO image (id, kind, width, height, file_1x, file_2x, bytes_1x,"
                    " bytes_2x, original_sha256, created_dt) VALUES (7, 'photo', 10, 10, 'a.webp',"
                    " 'b.webp', 1, 2, 'c', '2023-01-01 00:00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO workshop (id, version, content_version, slug, title, tagline_md,"
                    " description_md, conference_name, city, country, venue, room, timezone,"
                    " default_locale, is_published, is_featured, updated_dt) VALUES (1, 1, 1, 'w',"
                    " 'W', '', '', '', '', '', '', '', 'UTC', 'en', true, false, '2023-01-01')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO person (id, version, key, name, homepage_url, photo_id) VALUES"
                    " (1, 1, 'bo-li', 'Bo Li', 'https://bo.example', 7),"
                    " (2, 1, 'al', 'Al', NULL, NULL)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO role (id, version, workshop_id, person_id, kind, position,"
                    " affiliation, sort_order) VALUES (1, 1, 1, 1, 'speaker', 'Prof', 'UIUC', 0),"
                    " (2, 1, 1, 1, 'panelist', '', '', 0), (3, 1, 1, 2, 'organizer', '', '', 0)"
                )
            )
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT id, name, homepage_url, photo_id FROM role ORDER BY id")
            ).all()
            assert [tuple(r) for r in rows] == [
                (1, "Bo Li", "https://bo.example", 7),
                (2, "Bo Li", "https://bo.example", 7),
                (3, "Al", None, None),
            ]
            assert _diff(connection) == []
            if connection.dialect.name == "sqlite":  # the rebuilt table still never reuses ids
                ddl = connection.execute(
                    text("SELECT sql FROM sqlite_master WHERE name = 'role'")
                ).scalar()
                assert "AUTOINCREMENT" in ddl
