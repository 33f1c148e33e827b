"""Catalog, content-addressed blobs, versions, labels, working copies and search.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

from jupyter_scriptforge.db.types import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    live = sa.text("deleted_at IS NULL")
    op.create_table(
        "scripts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("folder", sa.String(1024), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("interpreter", sa.String(255)),
        sa.Column("owner", sa.String(255), nullable=False),
        sa.Column("visibility", sa.String(16), nullable=False),
        sa.Column("head_version_id", sa.Integer),
        sa.Column("published_version_id", sa.Integer),
        sa.Column("indexed_version_id", sa.Integer),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("deleted_at", UTCDateTime),
        sa.CheckConstraint("visibility IN ('private', 'team')", name="ck_scripts_visibility"),
    )
    op.create_index(
        "ix_scripts_folder_name_live",
        "scripts",
        ["folder", "name"],
        unique=True,
        sqlite_where=live,
        postgresql_where=live,
    )
    op.create_index("ix_scripts_owner", "scripts", ["owner"])
    op.create_table(
        "script_tags",
        sa.Column(
            "script_id",
            sa.Integer,
            sa.ForeignKey("scripts.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("tag", sa.String(64), primary_key=True),
    )
    op.create_index("ix_script_tags_tag", "script_tags", ["tag"])
    op.create_table(
        "blobs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.LargeBinary(32), nullable=False, unique=True),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("base_id", sa.Integer, sa.ForeignKey("blobs.id")),
        sa.Column("depth", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("script_id", sa.Integer, sa.ForeignKey("scripts.id"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("blob_id", sa.Integer, sa.ForeignKey("blobs.id"), nullable=False),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("versions.id")),
        sa.Column("restored_from_id", sa.Integer, sa.ForeignKey("versions.id")),
        sa.Column("author", sa.String(255), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.UniqueConstraint("script_id", "seq", name="uq_versions_script_seq"),
    )
    if dialect != "sqlite":  # SQLite cannot add constraints to an existing table
        op.create_foreign_key(
            "fk_scripts_head_version", "scripts", "versions", ["head_version_id"], ["id"]
        )
        op.create_foreign_key(
            "fk_scripts_published_version", "scripts", "versions", ["published_version_id"], ["id"]
        )
    op.create_table(
        "version_labels",
        sa.Column("version_id", sa.Integer, sa.ForeignKey("versions.id"), primary_key=True),
        sa.Column("label", sa.String(100), primary_key=True),
        sa.Column("script_id", sa.Integer, sa.ForeignKey("scripts.id"), nullable=False),
        sa.UniqueConstraint("script_id", "label", name="uq_version_labels_label"),
    )
    op.create_table(
        "working_copies",
        sa.Column(
            "script_id",
            sa.Integer,
            sa.ForeignKey("scripts.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("user", sa.String(255), primary_key=True),
        sa.Column("path", sa.String(2048), nullable=False),
        sa.Column("sha256", sa.LargeBinary(32), nullable=False),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("versions.id")),
        sa.Column("synced_at", UTCDateTime, nullable=False),
    )
    # Full-text search over name, description and the head version's content.
    if dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE script_search USING fts5("
            "name, description, content, tokenize = 'unicode61 remove_diacritics 2')"
        )
    else:
        op.execute(
            "CREATE TABLE script_search ("
            " script_id INTEGER PRIMARY KEY REFERENCES scripts(id) ON DELETE CASCADE,"
            " name TEXT NOT NULL, description TEXT NOT NULL, content TEXT NOT NULL,"
            " document tsvector GENERATED ALWAYS AS (to_tsvector('simple',"
            " name || ' ' || description || ' ' || content)) STORED)"
        )
        op.execute("CREATE INDEX ix_script_search_document ON script_search USING gin (document)")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS script_search")
    for table in ("working_copies", "version_labels"):
        op.drop_table(table)
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_scripts_head_version", "scripts", type_="foreignkey")
        op.drop_constraint("fk_scripts_published_version", "scripts", type_="foreignkey")
    for table in ("versions", "blobs", "script_tags", "scripts"):
        op.drop_table(table)
