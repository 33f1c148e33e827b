"""The ScriptForge extension of a team member's Jupyter server (see the package's docstring)."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from jupyter_server.extension.application import ExtensionApp
from traitlets import Float, Unicode

from .._async import once
from .._signals import restore_interrupt, stop_on_interrupt
from ..api.editor_socket import EditorSocket, serve_before_jupyter_lsp
from ..catalog.workingcopy import WorkingCopies
from .handlers import LANGUAGE_KEY, PACKAGES_KEY, SETTINGS_KEY, member_handlers, not_the_owner
from .language import MemberLanguage, member_language
from .member_copies import MemberCopies
from .member_packages import MemberPackages
from .service_client import ServiceClient

SERVICE_URL_VARIABLE = "SCRIPTFORGE_SERVICE_URL"
# Where images/build.sh puts the interpreter and its python-lsp-server in every image.
IMAGE_INTERPRETER = "/usr/local/bin/scriptforge-python"
IMAGE_LANGUAGE_TOOLS = "/opt/scriptforge/language-tools"

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

    interpreter = Unicode(
        IMAGE_INTERPRETER,
        help="""The interpreter the language server completes for: the container's own
        (the image the user chose at spawn).""",
    ).tag(config=True)

    language_tools_dir = Unicode(
        IMAGE_LANGUAGE_TOOLS,
        help="Where python-lsp-server for that interpreter is installed (pip --target).",
    ).tag(config=True)

    packages_dir = Unicode(
        "~/.cache/scriptforge/packages",
        help="""Where the packages scripts declare (PEP 723) are unpacked for the language
        server, fetched from the service once their environment is built there.""",
    ).tag(config=True)

    language_server_idle_timeout = Float(
        600.0, help="Seconds unused after which the language server stops (it restarts on use)."
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
        language = member_language(
            root,
            self.interpreter,
            Path(self.language_tools_dir),
            self.language_server_idle_timeout,
        )
        self.settings[LANGUAGE_KEY] = language
        self.settings[PACKAGES_KEY] = MemberPackages(
            service,
            Path(self.packages_dir).expanduser(),
            language.interpreter.name,
            language.servers.add_packages,
        )
        stop_on_interrupt(self.serverapp)

    def initialize_handlers(self) -> None:
        self.handlers.extend(member_handlers())
        serverapp = self.serverapp
        assert serverapp is not None
        language: MemberLanguage = self.settings[LANGUAGE_KEY]
        socket = EditorSocket(language.sessions, _owner_only)
        serve_before_jupyter_lsp(serverapp.web_app, serverapp.base_url, socket)

    async def stop_extension(self) -> None:
        if self._stop_once is None:
            self._stop_once = once(self._stop_language)
        await self._stop_once()

    _stop_once: Callable[[], Awaitable[None]] | None = None

    async def _stop_language(self) -> None:
        language: MemberLanguage | None = self.settings.get(LANGUAGE_KEY)
        try:
            if language is not None:
                await language.close()
        finally:
            restore_interrupt(self.serverapp)


async def _owner_only(handler: Any, user: Any) -> str | None:
    return not_the_owner(user)


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
