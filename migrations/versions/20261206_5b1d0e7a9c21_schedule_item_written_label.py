"""schedule item written label

Revision ID: 5b1d0e7a9c21
Revises: 5d1f0c7a9e42
Create Date: 2026-12-06 15:50:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5b1d0e7a9c21"
down_revision = "5d1f0c7a9e42"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("schedule_item", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("written_label", sa.String(length=200), server_default="", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("schedule_item", schema=None) as batch_op:
        batch_op.drop_column("written_label")
