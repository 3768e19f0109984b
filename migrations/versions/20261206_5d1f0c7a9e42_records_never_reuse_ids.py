"""records never reuse ids (SQLite AUTOINCREMENT)

SQLite gives a new row the largest id + 1, so deleting the newest record and adding another
reused its id and mixed the two records' change logs. AUTOINCREMENT forbids that; SQLite can only
declare it when a table is created, so each record table is rebuilt (batch mode). PostgreSQL's
sequences never reuse ids: nothing to do there.

Revision ID: 5d1f0c7a9e42
Revises: 2c8c67b4298a
Create Date: 2026-12-06 16:30:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "5d1f0c7a9e42"
down_revision = "2c8c67b4298a"
branch_labels = None
depends_on = None

TABLES = (
    "workshop",
    "person",
    "role",
    "paper",
    "schedule_item",
    "call_for_papers",
    "important_date",
    "sponsor",
    "institution",
    "news_post",
    "announcement",
    "award_category",
)


def _rebuild(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in TABLES:
        with op.batch_alter_table(
            name, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass


def upgrade():
    _rebuild(True)


def downgrade():
    _rebuild(False)
