"""support order: the order a conversation last talked about, for a follow-up without its
number ("and the invoice for that one?" was answered about the customer's latest order)

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("support_conversations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("order_id", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("support_conversations", schema=None) as batch_op:
        batch_op.drop_column("order_id")
