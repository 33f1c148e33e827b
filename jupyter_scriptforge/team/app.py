"""The ScriptForge extension of a team member's Jupyter server (see the package's docstring)."""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path
from typing import Any

from jupyter_server.extension.application import ExtensionApp
from traitlets import Unicode

from ..catalog.workingcopy import WorkingCopies
from .handlers import SETTINGS_KEY, member_handlers
from .member_copies import MemberCopies
from .service_client import ServiceClient

SERVICE_URL_VARIABLE = "SCRIPTFORGE_SERVICE_URL"

log = logging.getLogger(__name__)


class TeamMemberApp(ExtensionApp):
    name = "jupyter_scriptforge"

    service_url = Unicode(
        help="""The team's ScriptForge service (``<url>/services/scriptforge/``). Defaults to
        the ``SCRIPTFORGE_SERVICE_URL`` environment variable the spawner sets.""",
    ).tag(config=True)

    scripts_dir = Unicode(
        "scripts",
        help="Where working copies are written, relative to the server root (as alone).",
    ).tag(config=True)

    def initialize_settings(self) -> None:
        url = self.service_url or os.environ.get(SERVICE_URL_VARIABLE, "")
        # The server's own token: the hub gives it the user's ScriptForge scopes and nothing
        # beyond them (jupyterhub_config.py, server_token_scopes).
        token = os.environ.get("JUPYTERHUB_API_TOKEN", "")
        service = ServiceClient(url, token)
        root = Path(self.serverapp.root_dir)  # type: ignore[union-attr]
        copies = MemberCopies(WorkingCopies(root, self.scripts_dir), service)
        self.settings[SETTINGS_KEY] = (service, copies)
        self.serverapp.contents_manager.register_post_save_hook(  # type: ignore[union-attr]
            _saved_by(copies)
        )

    def initialize_handlers(self) -> None:
        self.handlers.extend(member_handlers())


def _saved_by(copies: MemberCopies) -> Any:
    tasks: set[asyncio.Task[None]] = set()

    def post_save(model: dict[str, Any], os_path: str, contents_manager: Any) -> None:
        if model.get("type") != "file" or not os_path.endswith(".py"):
            return
        task = asyncio.get_event_loop().create_task(copies.saved(os_path))
        tasks.add(task)
        task.add_done_callback(_logged(tasks))

    return post_save


def _logged(tasks: set[asyncio.Task[None]]) -> Any:
    def done(task: asyncio.Task[None]) -> None:
        tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("ScriptForge: a save did not reach the service: %s", task.exception())

    return done
