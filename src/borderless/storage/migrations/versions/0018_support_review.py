"""support review: what the checks found in a reply's translations that were not sent

Revision ID: 0018
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0018"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("support_messages", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "review",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("support_messages", schema=None) as batch_op:
        batch_op.drop_column("review")
