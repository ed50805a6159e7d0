"""reviews: the review's market, a stable key for idempotent imports, where it came from, and
its scored sentiment and aspects

Revision ID: 0007
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0004"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review_key", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("market", sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column("source", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("sentiment", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("sentiment_score", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("aspects", JSON, nullable=True))
        batch_op.create_index("ix_reviews_key", ["review_key"], unique=True)
        batch_op.create_index("ix_reviews_filters", ["language", "market", "rating"])


def downgrade() -> None:
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_index("ix_reviews_filters")
        batch_op.drop_index("ix_reviews_key")
        for name in ("aspects", "sentiment_score", "sentiment", "source", "market", "review_key"):
            batch_op.drop_column(name)
