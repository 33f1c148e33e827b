"""Where an interpreter's language server runs: on this machine for an interpreter with a
path, in a container of its image for one that only the Docker runner has."""

from __future__ import annotations

from pathlib import Path

from ..execution.interpreters import Interpreter
from .docker_process import DockerServerProcess
from .local_process import LocalServerProcess
from .server import ServerProcess
from .tools import LanguageTools, ToolsInstallError


class ServerStarter:
    def __init__(
        self,
        tools: LanguageTools,
        root_dir: Path,
        instance: str = "scriptforge",
        docker_url: str | None = None,
        packages_dir: Path | None = None,
    ) -> None:
        """``packages_dir``: the folder of scripts' installed dependencies (environments/),
        which a container's server reads at the same path."""
        self._tools = tools
        self._root_dir = root_dir
        self._instance = instance
        self._docker_url = docker_url
        self._packages_dir = packages_dir

    async def __call__(self, interpreter: Interpreter) -> ServerProcess:
        if interpreter.path:
            try:
                tools = await self._tools.ensure(interpreter.path)
            except ToolsInstallError as error:
                raise LookupError(
                    f"python-lsp-server could not be installed for {interpreter.name}: {error}"
                ) from None
            return await LocalServerProcess.start(interpreter.path, tools, self._root_dir)
        if interpreter.image:
            try:
                return await DockerServerProcess.start(
                    interpreter.image,
                    self._root_dir,
                    self._instance,
                    self._docker_url,
                    self._packages_dir,
                )
            except Exception as error:
                raise LookupError(
                    f"no language server container of {interpreter.image}: {error}"
                ) from None
        raise LookupError(f"{interpreter.name} has neither a path nor an image")
