"""Where an interpreter's language server runs: on this machine for an interpreter with a
path, in a container of its image for one that only the Docker runner has."""

from __future__ import annotations

from pathlib import Path

from ..execution.interpreters import Interpreter
from .local_process import LocalServerProcess
from .server import ServerProcess
from .tools import LanguageTools, ToolsInstallError


class ServerStarter:
    def __init__(self, tools: LanguageTools, root_dir: Path) -> None:
        self._tools = tools
        self._root_dir = root_dir

    async def __call__(self, interpreter: Interpreter) -> ServerProcess:
        if interpreter.path:
            try:
                tools = await self._tools.ensure(interpreter.path)
            except ToolsInstallError as error:
                raise LookupError(
                    f"python-lsp-server could not be installed for {interpreter.name}: {error}"
                ) from None
            return await LocalServerProcess.start(interpreter.path, tools, self._root_dir)
        raise LookupError(f"{interpreter.name} has no language server on this machine")
