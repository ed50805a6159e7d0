"""attributes: what each product is, with the span of text that backs each value

Revision ID: 0008
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "product_attributes",
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value_key", sa.String(length=500), nullable=False),
        sa.Column("value", sa.String(length=500), nullable=False),
        sa.Column("span", sa.String(length=500), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=False),
        sa.Column("span_end", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["sku"], ["products.sku"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("sku", "name", "value_key"),
    )
    op.create_index(
        "ix_product_attributes_value", "product_attributes", ["name", "value_key", "status"]
    )


def downgrade() -> None:
    op.drop_index("ix_product_attributes_value", table_name="product_attributes")
    op.drop_table("product_attributes")
