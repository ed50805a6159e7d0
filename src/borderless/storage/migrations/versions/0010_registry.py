"""registry: model versions with their evaluations, the active one per task, champion/challenger
comparisons, staff corrections as labelled examples, and per-minute monitoring samples

Revision ID: 0010
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010"
down_revision = "0004"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "model_versions",
        sa.Column("task", sa.String(length=32), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("parameters", JSON, nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.Column("metrics", JSON, nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("train_seconds", sa.Float(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("replaced", sa.String(length=64), nullable=True),
        sa.Column("promoted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("task", "version"),
    )
    op.create_table(
        "model_tasks",
        sa.Column("task", sa.String(length=32), nullable=False),
        sa.Column("active_version", sa.String(length=64), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("task"),
    )
    op.create_table(
        "model_comparisons",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("task", sa.String(length=32), nullable=False),
        sa.Column("champion", sa.String(length=64), nullable=True),
        sa.Column("challenger", sa.String(length=64), nullable=False),
        sa.Column("metric", sa.String(length=64), nullable=False),
        sa.Column("champion_score", sa.Float(), nullable=True),
        sa.Column("challenger_score", sa.Float(), nullable=True),
        sa.Column("margin", sa.Float(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("detail", JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_model_comparisons_task", "model_comparisons", ["task", "created_at"])
    op.create_table(
        "model_feedback",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("task", sa.String(length=32), nullable=False),
        sa.Column("input", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("predicted", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("model_version", sa.String(length=64), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("task", "source", "subject", name="uq_model_feedback_subject"),
    )
    op.create_index("ix_model_feedback_task", "model_feedback", ["task", "id"])
    op.create_table(
        "monitor_samples",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("minute", sa.DateTime(), nullable=False),
        sa.Column("capability", sa.String(length=32), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("worker", sa.String(length=32), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("p50_ms", sa.Float(), nullable=True),
        sa.Column("p95_ms", sa.Float(), nullable=True),
        sa.Column("p99_ms", sa.Float(), nullable=True),
        sa.Column("signals", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_monitor_samples_minute", "monitor_samples", ["capability", "minute"])


def downgrade() -> None:
    op.drop_index("ix_monitor_samples_minute", table_name="monitor_samples")
    op.drop_table("monitor_samples")
    op.drop_index("ix_model_feedback_task", table_name="model_feedback")
    op.drop_table("model_feedback")
    op.drop_index("ix_model_comparisons_task", table_name="model_comparisons")
    op.drop_table("model_comparisons")
    op.drop_table("model_tasks")
    op.drop_table("model_versions")
