"""Engine creation for the embedded SQLite default and for PostgreSQL."""

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url, text


def default_db_url(data_dir: str | Path) -> str:
    """The embedded default: a SQLite file in the Jupyter data directory."""
    path = Path(data_dir) / "scriptforge" / "scriptforge.db"
    return f"sqlite:///{path}"


def backend_name(url: str) -> str:
    """The database backend of a URL, e.g. ``sqlite`` or ``postgresql``."""
    return make_url(url).get_backend_name()


def redacted(url: str) -> str:
    """The URL with any password hidden, safe to show to users and logs."""
    return make_url(url).render_as_string(hide_password=True)


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL and a busy timeout so readers never block writers."""
    sa_url = make_url(url)
    if sa_url.get_backend_name() != "sqlite":
        return create_engine(sa_url, pool_pre_ping=True)

    if sa_url.database and sa_url.database != ":memory:":
        Path(sa_url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(sa_url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


def ping(engine: Engine) -> None:
    """Raise if the database does not answer a trivial query."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
