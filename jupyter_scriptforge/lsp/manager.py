"""LanguageServers: one language server per interpreter in use, within a cap, stopped when
idle and when the Jupyter server stops."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from ..execution.interpreters import Interpreter
from .protocol import Message
from .server import InterpreterLanguageServer, ServerProcess, Status, merged
from .sources import SourceFiles

log = logging.getLogger(__name__)

# What a script author wants by default: pyflakes' errors, not style (pycodestyle is
# installed, so a user may turn it on in the language server's settings).
# Package folders of scripts an interpreter's server reads, the most recent.
_PACKAGE_FOLDERS_KEPT = 16
DEFAULT_SETTINGS: dict[str, Any] = {
    "pylsp": {
        "plugins": {
            "pycodestyle": {"enabled": False},
            "mccabe": {"enabled": False},
            "pyflakes": {"enabled": True},
        }
    }
}
# Capabilities of a client that has not said (the server-side LanguageService).
DEFAULT_CLIENT_CAPABILITIES: dict[str, Any] = {
    "textDocument": {
        "synchronization": {"didSave": True},
        "completion": {"completionItem": {"snippetSupport": False}},
        "hover": {"contentFormat": ["markdown", "plaintext"]},
        "publishDiagnostics": {},
    }
}

Resolve = Callable[[str], Awaitable[Interpreter | None]]
ProcessStarter = Callable[[Interpreter], Awaitable[ServerProcess]]
DiagnosticsListener = Callable[[InterpreterLanguageServer, str, Message], None]


class LanguageServers:
    def __init__(
        self,
        root_dir: Path,
        resolve: Resolve,
        start_process: ProcessStarter,
        idle_timeout: float = 600.0,
        max_servers: int = 4,
    ) -> None:
        self.root_dir = root_dir.resolve()
        self._resolve = resolve
        self._start_process = start_process
        self.idle_timeout = idle_timeout
        self.max_servers = max_servers
        self._servers: dict[str, InterpreterLanguageServer] = {}
        self.sources = SourceFiles()
        self._listeners: list[DiagnosticsListener] = []
        self.client_capabilities: dict[str, Any] = DEFAULT_CLIENT_CAPABILITIES
        self._user_settings: dict[str, Any] = {}
        # By interpreter: folders of scripts' declared packages its server reads too.
        self._packages: dict[str, list[str]] = {}
        self._reaper: asyncio.Task[None] | None = None
        self._stopping: set[asyncio.Task[None]] = set()

    # --- servers ----------------------------------------------------------------------

    def server_for(self, interpreter: str) -> InterpreterLanguageServer:
        """The language server of ``interpreter`` (by name); started by its first use."""
        server = self._servers.get(interpreter)
        if server is None:
            server = InterpreterLanguageServer(
                interpreter,
                start=lambda: self._start(interpreter),
                initialize_params=self._initialize_params,
                settings=lambda: self._settings_for(interpreter),
                on_diagnostics=self._diagnosed,
                on_state=self._state_changed,
            )
            self._servers[interpreter] = server
            self._start_reaper()
        return server

    async def _start(self, name: str) -> ServerProcess:
        interpreter = await self._resolve(name)
        if interpreter is None:
            raise LookupError(f"the interpreter {name!r} is not available on this server")
        return await self._start_process(interpreter)

    def _state_changed(self, server: InterpreterLanguageServer) -> None:
        if server.state == "starting":
            self._make_room(server)

    def _make_room(self, starting: InterpreterLanguageServer) -> None:
        """Stop the least recently used servers beyond the cap."""
        running = [
            s
            for s in self._servers.values()
            if s is not starting and s.state in ("starting", "ready")
        ]
        excess = len(running) + 1 - self.max_servers
        for server in sorted(running, key=lambda s: s.last_used)[: max(excess, 0)]:
            log.info("stopping the language server of %s: over the cap", server.interpreter)
            stopping = asyncio.ensure_future(server.stop("stopped to make room for another"))
            self._stopping.add(stopping)
            stopping.add_done_callback(self._stopping.discard)

    def statuses(self) -> list[Status]:
        return [server.status() for server in self._servers.values()]

    # --- what every server is given ---------------------------------------------------

    def _initialize_params(self) -> dict[str, Any]:
        root = self.root_dir.as_uri()
        return {
            "processId": os.getpid(),
            "rootUri": root,
            "rootPath": str(self.root_dir),
            "workspaceFolders": [{"uri": root, "name": self.root_dir.name or "/"}],
            "capabilities": self.client_capabilities,
            "initializationOptions": {},
        }

    def settings(self) -> dict[str, Any]:
        return merged(DEFAULT_SETTINGS, self._user_settings)

    def _settings_for(self, interpreter: str) -> dict[str, Any]:
        packages = self._packages.get(interpreter)
        if not packages:
            return self.settings()
        extra = {"pylsp": {"plugins": {"jedi": {"extra_paths": list(packages)}}}}
        return merged(self.settings(), extra)

    async def add_packages(self, interpreter: str, folder: str) -> None:
        """Let the server of ``interpreter`` see a script's installed packages (its
        environment, environments/): completion, hover and definitions of what the script
        declared. Every script on that interpreter sees them; the last few are kept."""
        packages = self._packages.setdefault(interpreter, [])
        if folder in packages:
            return
        packages.append(folder)
        del packages[:-_PACKAGE_FOLDERS_KEPT]
        server = self._servers.get(interpreter)
        if server is not None:
            await server.configure()

    async def configure(self, settings: dict[str, Any]) -> None:
        """The client's settings (``workspace/didChangeConfiguration``), for every server."""
        self._user_settings = settings if isinstance(settings, dict) else {}
        await asyncio.gather(*(server.configure() for server in self._servers.values()))

    # --- diagnostics ------------------------------------------------------------------

    def listen(self, listener: DiagnosticsListener) -> Callable[[], None]:
        """Call ``listener`` with each server's diagnostics; returns how to stop listening."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _diagnosed(self, server: InterpreterLanguageServer, uri: str, message: Message) -> None:
        for listener in list(self._listeners):
            listener(server, uri, message)

    # --- idle and shutdown ------------------------------------------------------------

    def _start_reaper(self) -> None:
        if self._reaper is None or self._reaper.done():
            self._reaper = asyncio.ensure_future(self._stop_idle_servers())

    async def _stop_idle_servers(self) -> None:
        interval = max(0.2, min(30.0, self.idle_timeout / 4))
        while True:
            await asyncio.sleep(interval)
            for server in list(self._servers.values()):
                if server.state == "ready" and server.idle_seconds() > self.idle_timeout:
                    log.info("stopping the idle language server of %s", server.interpreter)
                    await server.stop("stopped after being idle")

    async def close(self) -> None:
        if self._reaper is not None:
            self._reaper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reaper
        await asyncio.gather(*self._stopping, return_exceptions=True)
        await asyncio.gather(
            *(server.stop("the Jupyter server stopped") for server in self._servers.values())
        )
