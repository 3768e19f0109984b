"""papers hosted on the site: PDFs, abstracts, poster boards, import ids, spotlight talks

Adds the `document` table (hosted PDFs), the paper's new columns, the workshop's Google Scholar
setting, and "spotlight" to the presentation kinds of papers and award categories (their CHECK
constraints are rebuilt: on SQLite batch mode copies the table).

Revision ID: 1774a08f848b
Revises: 3736309cb67b
Create Date: 2026-12-06 16:49:17

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "1774a08f848b"
down_revision = "3736309cb67b"
branch_labels = None
depends_on = None

OLD = ("oral", "poster")
NEW = ("oral", "spotlight", "poster")
# SQLite rebuilds a table in batch mode: keep AUTOINCREMENT (records never reuse ids)
KEEP_IDS = {"sqlite_autoincrement": True}


def _presentation(values) -> sa.Enum:
    return sa.Enum(
        *values, name="presentation", native_enum=False, create_constraint=True, length=24
    )


def _document_fk(batch_op, column: str) -> None:
    batch_op.add_column(sa.Column(column, sa.Integer(), nullable=True))
    batch_op.create_foreign_key(
        batch_op.f(f"fk_paper_{column}_document"), "document", [column], ["id"]
    )


def upgrade():
    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("bytes", sa.Integer(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
        sa.UniqueConstraint("sha256", name=op.f("uq_document_sha256")),
    )
    with op.batch_alter_table("paper", table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column("source_id", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("abstract_md", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("poster_session", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("board", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("video_url", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("slides_url", sa.String(length=500), nullable=True))
        for column in ("pdf_id", "poster_pdf_id", "slides_pdf_id"):
            _document_fk(batch_op, column)
        batch_op.create_unique_constraint(
            batch_op.f("uq_paper_workshop_id"), ["workshop_id", "source_id"]
        )
        batch_op.alter_column(
            "presentation",
            existing_type=_presentation(OLD),
            type_=_presentation(NEW),
            existing_nullable=False,
        )
    with op.batch_alter_table("paper", table_kwargs=KEEP_IDS) as batch_op:
        batch_op.alter_column("abstract_md", server_default=None, existing_type=sa.Text())
    with op.batch_alter_table("award_category", table_kwargs=KEEP_IDS) as batch_op:
        batch_op.alter_column(
            "presentation",
            existing_type=_presentation(OLD),
            type_=_presentation(NEW),
            existing_nullable=True,
        )
    with op.batch_alter_table("workshop", table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(
            sa.Column("scholar_tags", sa.Boolean(), server_default=sa.true(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("workshop", table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_column("scholar_tags")
    # spotlight papers and categories become posters: the older schema has no such kind
    for table in ("paper", "award_category"):
        op.execute(
            sa.text(f"UPDATE {table} SET presentation = 'poster' WHERE presentation = 'spotlight'")
        )
    with op.batch_alter_table("award_category", table_kwargs=KEEP_IDS) as batch_op:
        batch_op.alter_column(
            "presentation",
            existing_type=_presentation(NEW),
            type_=_presentation(OLD),
            existing_nullable=True,
        )
    with op.batch_alter_table("paper", table_kwargs=KEEP_IDS) as batch_op:
        batch_op.alter_column(
            "presentation",
            existing_type=_presentation(NEW),
            type_=_presentation(OLD),
            existing_nullable=False,
        )
        for column in ("slides_pdf_id", "poster_pdf_id", "pdf_id"):
            batch_op.drop_constraint(batch_op.f(f"fk_paper_{column}_document"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_paper_workshop_id"), type_="unique")
        for column in (
            "slides_pdf_id",
            "poster_pdf_id",
            "pdf_id",
            "slides_url",
            "video_url",
            "board",
            "poster_session",
            "abstract_md",
            "source_id",
        ):
            batch_op.drop_column(column)
    op.drop_table("document")
