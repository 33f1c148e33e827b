"""Schedules, the fire times servers claim, and the schedule that started a run.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

from jupyter_scriptforge.db.types import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "schedules",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("owner", sa.String(255), nullable=False),
        sa.Column("cron", sa.String(255), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("run", sa.JSON, nullable=False),
        sa.Column("missed", sa.String(8), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("stopped_because", sa.Text),
        sa.Column("next_fire_at", UTCDateTime),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_schedules_due", "schedules", ["active", "next_fire_at"])
    op.create_table(
        "schedule_fires",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "schedule_id",
            sa.Integer,
            sa.ForeignKey("schedules.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("fire_at", UTCDateTime, nullable=False),
        sa.Column("claimed_by", sa.String(255), nullable=False),
        sa.Column("claimed_at", UTCDateTime, nullable=False),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="SET NULL")),
        sa.Column("error", sa.Text),
        sa.UniqueConstraint("schedule_id", "fire_at", name="uq_schedule_fires_time"),
    )
    with op.batch_alter_table("runs") as runs:
        runs.add_column(
            sa.Column(
                "schedule_id",
                sa.Integer,
                sa.ForeignKey("schedules.id", name="fk_runs_schedule", ondelete="SET NULL"),
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("runs") as runs:
        runs.drop_column("schedule_id")
    op.drop_table("schedule_fires")
    op.drop_index("ix_schedules_due", "schedules")
    op.drop_table("schedules")
