"""shipments: shipments per order with carrier scans, delivery promises, fulfilment lanes

Revision ID: 0014
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "shipments",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("carrier", sa.String(length=64), nullable=False),
        sa.Column("tracking", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_shipments_order", "shipments", ["order_id"])
    op.create_table(
        "shipment_events",
        sa.Column("shipment_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("location", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(["shipment_id"], ["shipments.id"]),
        sa.PrimaryKeyConstraint("shipment_id", "seq"),
    )
    op.create_table(
        "delivery_promises",
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["country"], ["markets.code"]),
        sa.PrimaryKeyConstraint("country"),
    )
    op.create_table(
        "fulfilment_lanes",
        sa.Column("warehouse", sa.String(length=64), nullable=False),
        sa.Column("carrier", sa.String(length=64), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("cost_per_order", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("cost_per_kg", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("lead_time_days", sa.Integer(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["country"], ["markets.code"]),
        sa.PrimaryKeyConstraint("warehouse", "carrier", "country"),
    )


def downgrade() -> None:
    op.drop_table("fulfilment_lanes")
    op.drop_table("delivery_promises")
    op.drop_table("shipment_events")
    op.drop_index("ix_shipments_order", table_name="shipments")
    op.drop_table("shipments")
