"""Engine creation for the embedded SQLite default and for PostgreSQL."""

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.exc import SQLAlchemyError


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


def sqlite_folder_of(url: str) -> str | None:
    """The folder of a SQLite store's file (sandboxes hide it); None for other stores."""
    sa_url = make_url(url)
    if sa_url.get_backend_name() != "sqlite" or not sa_url.database:
        return None
    return str(Path(sa_url.database).parent)


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL and a busy timeout so readers never block writers."""
    sa_url = make_url(url)
    if sa_url.get_backend_name() != "sqlite":
        return create_engine(sa_url, pool_pre_ping=True)

    if sa_url.database and sa_url.database != ":memory:":
        Path(sa_url.database).parent.mkdir(parents=True, exist_ok=True)
    # LIFO: the connection used last has the warmest page cache.
    engine = create_engine(sa_url, connect_args={"timeout": 30}, pool_use_lifo=True)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        # We issue BEGIN ourselves (below); pysqlite's own transaction handling would not.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL loses nothing when a process dies, only on power loss.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(connection: Connection) -> None:
        # Writers take the write lock up front: two deferred transactions that both
        # try to upgrade to writing would make one fail instead of wait.
        immediate = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


# Execution option that marks a connection as about to write (see ``_sqlite_begin``).
WRITE_OPTION = "scriptforge_write"


def for_writing(engine: Engine) -> Engine:
    """The engine to use for transactions that write."""
    return engine.execution_options(**{WRITE_OPTION: True})


def ping(engine: Engine) -> None:
    """Raise if the database does not answer a trivial query."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def database_status(engine: Engine) -> dict[str, object]:
    """The store as the health report shows it: backend, URL without its password, and
    whether it answers (blocking: one trivial query)."""
    error = None
    try:
        ping(engine)
    except SQLAlchemyError as failure:
        error = str(failure.__cause__ or failure).splitlines()[0]
    return {
        "backend": engine.dialect.name,
        "url": redacted(engine.url.render_as_string(hide_password=False)),
        "ok": error is None,
        "error": error,
    }
