"""workshop series: the editions of one workshop across the years

Adds the `series` table and the workshop's `series_id` (SQLite rebuilds the workshop table in
batch mode, keeping AUTOINCREMENT: records never reuse ids).

Revision ID: 9c3e5a1f7b20
Revises: 1774a08f848b
Create Date: 2026-12-06 19:10:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "9c3e5a1f7b20"
down_revision = "1774a08f848b"
branch_labels = None
depends_on = None

KEEP_IDS = {"sqlite_autoincrement": True}


def upgrade():
    op.create_table(
        "series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("short_name", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_series")),
        sa.UniqueConstraint("slug", name=op.f("uq_series_slug")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("workshop", table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column("series_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_workshop_series_id"), ["series_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_workshop_series_id_series"),
            "series",
            ["series_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("workshop", table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_workshop_series_id_series"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_workshop_series_id"))
        batch_op.drop_column("series_id")
    op.drop_table("series")
