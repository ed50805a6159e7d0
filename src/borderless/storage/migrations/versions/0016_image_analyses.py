"""image analyses: tags, checks, OCR text, hash and features of each catalog image

Revision ID: 0016
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0016"
down_revision = "0004"
branch_labels = None
depends_on = None

Json = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "image_analyses",
        sa.Column("handle", sa.String(length=255), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("src", sa.String(length=1000), nullable=False),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("tags", Json, nullable=False),
        sa.Column("category", sa.String(length=64), nullable=True),
        sa.Column("phash", sa.String(length=16), nullable=True),
        sa.Column("checks", Json, nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("features", sa.LargeBinary(), nullable=True),
        sa.Column("image_model", sa.String(length=64), nullable=False),
        sa.Column("analysed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("handle", "sku", "src"),
    )


def downgrade() -> None:
    op.drop_table("image_analyses")
