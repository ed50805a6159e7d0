"""catalog state: a generation counter search processes watch for catalog changes

Revision ID: 0017
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catalog_state",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("catalog_state")
