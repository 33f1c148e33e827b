"""Parameter values of runs and of group items.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Null: a run (or item) with free-form arguments, as every one before this revision.
    with op.batch_alter_table("runs") as runs:
        runs.add_column(sa.Column("parameters", sa.JSON, nullable=True))
    with op.batch_alter_table("group_items") as items:
        items.add_column(sa.Column("parameters", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("group_items") as items:
        items.drop_column("parameters")
    with op.batch_alter_table("runs") as runs:
        runs.drop_column("parameters")
