"""copy: generated marketing copy, versioned per product, kind and language, with its review

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "copy_drafts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("grounding", JSON, nullable=False),
        sa.Column("length", JSON, nullable=False),
        sa.Column("options", JSON, nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("template", sa.String(length=100), nullable=False),
        sa.Column("edited_from", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["sku"], ["products.sku"]),
        sa.ForeignKeyConstraint(["edited_from"], ["copy_drafts.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sku", "kind", "language", "version", name="uq_copy_drafts_version"),
    )
    op.create_index("ix_copy_drafts_status", "copy_drafts", ["status", "language", "kind"])


def downgrade() -> None:
    op.drop_index("ix_copy_drafts_status", table_name="copy_drafts")
    op.drop_table("copy_drafts")
