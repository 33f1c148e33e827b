"""The assistant's audit log.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

from jupyter_scriptforge.db.types import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assistant_audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("user", sa.String(255), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("model", sa.String(255), nullable=False),
        sa.Column("prompt", sa.Text, nullable=False),
        sa.Column("response", sa.Text, nullable=False),
        sa.Column("verdict", sa.String(32), nullable=False),
        sa.Column("details", sa.JSON, nullable=False),
    )
    op.create_index("ix_assistant_audit_user", "assistant_audit", ["user", "id"])
    op.create_index("ix_assistant_audit_action", "assistant_audit", ["action", "id"])


def downgrade() -> None:
    op.drop_table("assistant_audit")
