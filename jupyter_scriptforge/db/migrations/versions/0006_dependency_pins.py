"""The pins each version's dependencies resolved to, per kind of interpreter.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

from jupyter_scriptforge.db.types import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dependency_pins",
        sa.Column(
            "version_id",
            sa.Integer,
            sa.ForeignKey("versions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("target", sa.String(64), primary_key=True),
        sa.Column("pins", sa.JSON, nullable=False),
        sa.Column("resolved_at", UTCDateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("dependency_pins")
