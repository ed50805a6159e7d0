"""supply: stock and lead time per product and market, market service levels, demand forecasts

Revision ID: 0006
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stock_levels",
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("on_hand", sa.Integer(), nullable=False),
        sa.Column("on_order", sa.Integer(), nullable=False),
        sa.Column("lead_time_days", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["sku"], ["products.sku"]),
        sa.ForeignKeyConstraint(["country"], ["markets.code"]),
        sa.PrimaryKeyConstraint("sku", "country"),
    )
    op.create_table(
        "market_supply",
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("service_level", sa.Float(), nullable=False),
        sa.Column("lead_time_days", sa.Integer(), nullable=True),
        sa.Column("review_days", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["country"], ["markets.code"]),
        sa.PrimaryKeyConstraint("country"),
    )
    op.create_table(
        "forecast_series",
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("frequency", sa.String(length=8), nullable=False),
        sa.Column("series_id", sa.String(length=80), nullable=False),
        sa.Column("model", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("sigma", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("level", "frequency", "series_id"),
    )
    op.create_table(
        "demand_forecasts",
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("frequency", sa.String(length=8), nullable=False),
        sa.Column("series_id", sa.String(length=80), nullable=False),
        sa.Column("ds", sa.DateTime(), nullable=False),
        sa.Column("yhat", sa.Float(), nullable=False),
        sa.Column("lo_80", sa.Float(), nullable=False),
        sa.Column("hi_80", sa.Float(), nullable=False),
        sa.Column("lo_95", sa.Float(), nullable=False),
        sa.Column("hi_95", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("level", "frequency", "series_id", "ds"),
    )


def downgrade() -> None:
    op.drop_table("demand_forecasts")
    op.drop_table("forecast_series")
    op.drop_table("market_supply")
    op.drop_table("stock_levels")
