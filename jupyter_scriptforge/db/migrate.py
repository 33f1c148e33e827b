"""Bring a database to the newest schema: at every start-up, safe to run again and again."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, text

from .engine import for_writing

MIGRATIONS = Path(__file__).with_name("migrations")
# Any constant will do: it only has to be the same for every ScriptForge server.
_PG_MIGRATION_LOCK = 0x5C817F09


def upgrade(engine: Engine) -> None:
    """Apply every pending migration; concurrent servers wait for each other."""
    with for_writing(engine).connect() as connection:
        _lock(connection)
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.commit()


def _lock(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
