"""roles carry what their workshop shows of a person

A role gets its own name as shown, homepage and photo, copied from its person, so organizers of
one workshop edit what their pages show without changing another workshop's pages (the person is
shared; site admins edit it). Downgrading drops the copies: pages show the person's values again.

Revision ID: 3736309cb67b
Revises: 5f82ffb48e9a
Create Date: 2026-12-06 16:46:48

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3736309cb67b"
down_revision = "5f82ffb48e9a"
branch_labels = None
depends_on = None

# SQLite rebuilds the table for the foreign key: keep AUTOINCREMENT (records never reuse ids)
KEEP = {"table_kwargs": {"sqlite_autoincrement": True}}


def upgrade():
    with op.batch_alter_table("role", **KEEP) as batch_op:
        batch_op.add_column(
            sa.Column("name", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("homepage_url", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("photo_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_role_photo_id_image"), "image", ["photo_id"], ["id"], ondelete="SET NULL"
        )
    role = sa.table(
        "role",
        sa.column("person_id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("homepage_url", sa.String),
        sa.column("photo_id", sa.Integer),
    )
    person = sa.table(
        "person",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("homepage_url", sa.String),
        sa.column("photo_id", sa.Integer),
    )

    def of_person(column: str):
        return sa.select(person.c[column]).where(person.c.id == role.c.person_id).scalar_subquery()

    op.execute(
        role.update().values(
            name=of_person("name"),
            homepage_url=of_person("homepage_url"),
            photo_id=of_person("photo_id"),
        )
    )
    with op.batch_alter_table("role", **KEEP) as batch_op:
        batch_op.alter_column("name", server_default=None)


def downgrade():
    with op.batch_alter_table("role", **KEEP) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_role_photo_id_image"), type_="foreignkey")
        batch_op.drop_column("photo_id")
        batch_op.drop_column("homepage_url")
        batch_op.drop_column("name")
