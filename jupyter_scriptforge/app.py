"""ScriptForgeApp: the jupyter-server extension, its configuration and the wiring of its parts."""

import getpass
import os
from pathlib import Path

from jupyter_core.paths import jupyter_data_dir
from jupyter_server.extension.application import ExtensionApp
from traitlets import Bool, Dict, Float, Int, Unicode, default

from . import api
from .catalog.background import CatalogBackground
from .catalog.service import CatalogService
from .catalog.workingcopy import WorkingCopies
from .db.engine import default_db_url, make_engine
from .db.migrate import upgrade
from .db.store import Store
from .execution.interpreters import InterpreterRegistry
from .health import HealthService
from .versions.service import VersionService


class ScriptForgeApp(ExtensionApp):
    """ScriptForge inside a Jupyter server: catalog, versions, runs and the assistant."""

    name = "jupyter_scriptforge"
    description = __doc__

    db_url = Unicode(
        help="""SQLAlchemy URL of the ScriptForge store.

        Defaults to the ``SCRIPTFORGE_DB_URL`` environment variable, or else to a SQLite
        file ``scriptforge/scriptforge.db`` in the Jupyter data directory. In team mode,
        every user server points at the same PostgreSQL database, e.g.
        ``postgresql+psycopg://scriptforge@db.example/scriptforge``.
        """,
    ).tag(config=True)

    @default("db_url")
    def _default_db_url(self) -> str:
        return os.environ.get("SCRIPTFORGE_DB_URL") or default_db_url(jupyter_data_dir())

    scripts_dir = Unicode(
        "scripts",
        help="""Folder, relative to the server root, that holds the scripts' working copies.

        Defaults to ``scripts``: a script ``report`` in folder ``sales`` is edited as
        ``scripts/sales/report.py``.
        """,
    ).tag(config=True)

    max_script_bytes = Int(
        1 << 20,
        help="Largest script content accepted, in bytes. Defaults to 1 MiB.",
    ).tag(config=True)

    scan_interval = Float(
        10.0,
        help="""Seconds between scans of the scripts folder for files edited outside Jupyter.

        A scan also runs at start-up. Defaults to 10; 0 scans only at start-up.
        """,
    ).tag(config=True)

    interpreters = Dict(
        key_trait=Unicode(),
        value_trait=Unicode(),
        help="""Interpreters to offer by name, as ``{name: path to the executable}``.

        They come first; interpreters found on this machine (``PATH`` and pyenv versions)
        are added after them unless ``discover_interpreters`` is False.
        """,
    ).tag(config=True)

    discover_interpreters = Bool(
        True,
        help="Look for Python interpreters on PATH and in pyenv's versions. Defaults to True.",
    ).tag(config=True)

    docker_url = Unicode(
        "",
        help="""Address of the Docker Engine used by the Docker runner.

        Defaults to empty, which means ``DOCKER_HOST`` or the local socket.
        """,
    ).tag(config=True)

    def initialize_settings(self) -> None:
        serverapp = self.serverapp
        assert serverapp is not None, "ScriptForge runs inside a Jupyter server"
        engine = make_engine(self.db_url)
        upgrade(engine)  # before the server serves anything, so no request sees an old schema
        store = Store(engine)
        versions = VersionService(store, max_script_bytes=self.max_script_bytes)
        files = WorkingCopies(Path(serverapp.root_dir), self.scripts_dir)
        catalog = CatalogService(store, versions, files)
        server_user = os.environ.get("JUPYTERHUB_USER") or getpass.getuser()
        background = CatalogBackground(catalog, server_user, self.scan_interval)
        serverapp.contents_manager.register_post_save_hook(background.post_save)  # type: ignore[no-untyped-call]
        interpreters = InterpreterRegistry(self.interpreters, self.discover_interpreters)
        self.settings.update(
            {
                "scriptforge.engine": engine,
                "scriptforge.server_user": server_user,
                "scriptforge.versions": versions,
                "scriptforge.catalog": catalog,
                "scriptforge.background": background,
                "scriptforge.interpreters": interpreters,
                "scriptforge.health": HealthService(
                    engine, interpreters, docker_url=self.docker_url or None
                ),
            }
        )
        self.log.info("ScriptForge store: %s", engine.url.render_as_string(hide_password=True))

    def initialize_handlers(self) -> None:
        self.handlers.extend(api.handlers())

    async def _start_jupyter_server_extension(self, serverapp: object) -> None:
        self.settings["scriptforge.background"].start()

    async def stop_extension(self) -> None:
        background = self.settings.get("scriptforge.background")
        if background is not None:
            await background.stop()
        engine = self.settings.get("scriptforge.engine")
        if engine is not None:
            engine.dispose()
