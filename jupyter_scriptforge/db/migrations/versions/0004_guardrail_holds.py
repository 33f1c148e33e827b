"""Holds on code the guardrails blocked.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

from jupyter_scriptforge.db.types import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "guardrail_holds",
        sa.Column("sha256", sa.LargeBinary(32), primary_key=True),
        sa.Column("held_for", sa.String(255), primary_key=True),
        sa.Column("findings", sa.JSON, nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("held_at", UTCDateTime, nullable=False),
        sa.Column("released_by", sa.String(255), nullable=True),
        sa.Column("released_at", UTCDateTime, nullable=True),
        sa.Column("reason", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("guardrail_holds")
