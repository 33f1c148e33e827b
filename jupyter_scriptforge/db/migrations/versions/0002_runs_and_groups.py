"""Groups, runs and their output.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

from jupyter_scriptforge.db.types import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_STATUSES = "'queued', 'running', 'succeeded', 'failed', 'cancelled', 'timed_out', 'interrupted'"


def upgrade() -> None:
    op.create_table(
        "groups",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("owner", sa.String(255), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("max_concurrency", sa.Integer, nullable=False),
        sa.Column("stop_on_failure", sa.Boolean, nullable=False),
        sa.Column("item_timeout_seconds", sa.Float),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("owner", "name", name="uq_groups_owner_name"),
        sa.CheckConstraint("mode IN ('sequential', 'parallel')", name="ck_groups_mode"),
        sa.CheckConstraint("max_concurrency >= 1", name="ck_groups_max_concurrency"),
    )
    op.create_table(
        "group_items",
        sa.Column(
            "group_id",
            sa.Integer,
            sa.ForeignKey("groups.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("script_id", sa.Integer, sa.ForeignKey("scripts.id"), nullable=False),
        sa.Column("args", sa.JSON, nullable=False),
        sa.Column("interpreter", sa.String(255)),
        sa.Column("timeout_seconds", sa.Float),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("user", sa.String(255), nullable=False),
        sa.Column("instance", sa.String(255), nullable=False),
        sa.Column("script_id", sa.Integer, sa.ForeignKey("scripts.id")),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("versions.id")),
        sa.Column("group_id", sa.Integer, sa.ForeignKey("groups.id", ondelete="SET NULL")),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("runs.id")),
        sa.Column("position", sa.Integer),
        sa.Column("interpreter", sa.String(255)),
        sa.Column("runner", sa.String(32)),
        sa.Column("args", sa.JSON, nullable=False),
        sa.Column("env", sa.JSON, nullable=False),
        sa.Column("timeout_seconds", sa.Float),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("exit_code", sa.Integer),
        sa.Column("error", sa.Text),
        sa.Column("peak_memory_bytes", sa.BigInteger),
        sa.Column("output_chars", sa.Integer, nullable=False),
        sa.Column("output_truncated", sa.Boolean, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("started_at", UTCDateTime),
        sa.Column("finished_at", UTCDateTime),
        sa.CheckConstraint("kind IN ('script', 'group')", name="ck_runs_kind"),
        sa.CheckConstraint(f"status IN ({_STATUSES})", name="ck_runs_status"),
    )
    op.create_index("ix_runs_script", "runs", ["script_id", "id"])
    op.create_index("ix_runs_group", "runs", ["group_id", "id"])
    op.create_index("ix_runs_parent", "runs", ["parent_id", "position"])
    op.create_index("ix_runs_user", "runs", ["user", "id"])
    op.create_index("ix_runs_instance_status", "runs", ["instance", "status"])
    op.create_table(
        "run_output",
        sa.Column(
            "run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("offset", sa.Integer, primary_key=True),
        sa.Column("stream", sa.String(8), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in ("run_output", "runs", "group_items", "groups"):
        op.drop_table(table)
