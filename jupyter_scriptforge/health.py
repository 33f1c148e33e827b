"""The health report: what this ScriptForge server has to work with."""

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from . import __version__
from ._async import run_blocking
from .environments.cache import EnvironmentCache
from .execution.docker_engine import DockerStatus, docker_status
from .execution.interpreters import InterpreterRegistry
from .execution.runners.isolation import SandboxReport
from .lsp.server import Status as LanguageServerStatus


class HealthService:
    """Collects version, database, runners, interpreters, Docker, language servers and the
    environments of scripts' dependencies."""

    def __init__(
        self,
        database: Callable[[], dict[str, object]],
        interpreters: InterpreterRegistry,
        docker_url: str | None = None,
        local_sandbox: SandboxReport | None = None,
        language_servers: Callable[[], list[LanguageServerStatus]] = list,
        environments: EnvironmentCache | None = None,
    ) -> None:
        # Blocking: the store's status (db/engine.py's database_status).
        self._database = database
        self._interpreters = interpreters
        self._docker_url = docker_url
        self._local_sandbox = local_sandbox
        self._language_servers = language_servers
        self._environments = environments

    async def report(self) -> dict[str, Any]:
        docker = await run_blocking(docker_status, self._docker_url)
        database = await run_blocking(self._database)
        runners = ["local", *(["docker"] if docker.available else [])]
        sandboxes = [
            *([self._local_sandbox] if self._local_sandbox else []),
            _docker_sandbox(docker),
        ]
        return {
            "version": __version__,
            "database": database,
            "runners": runners,
            "interpreters": [i.to_dict() for i in await self._interpreters.list()],
            "docker": asdict(docker),
            "sandboxes": [sandbox.to_dict() for sandbox in sandboxes],
            # Each interpreter's language server the editors used since the start.
            "language_servers": [status.to_dict() for status in self._language_servers()],
            "environments": await self._environments_report(),
        }

    async def _environments_report(self) -> dict[str, Any] | None:
        """The cache of scripts' dependency environments: its cap and what it holds."""
        cache = self._environments
        if cache is None:
            return None
        listing = await run_blocking(cache.listing)
        return {
            "folder": str(cache.folder),
            "cap_bytes": cache.cap_bytes,
            "size_bytes": sum(entry.size_bytes for entry in listing),
            "items": [entry.to_json() for entry in listing],
        }


def _docker_sandbox(docker: DockerStatus) -> SandboxReport:
    if docker.available:
        return SandboxReport(
            "docker",
            "docker",
            "a container per run: no network, a read-only image, its own memory, CPU and "
            "process limits",
        )
    return SandboxReport(
        "docker",
        "unavailable",
        f"no Docker Engine answers ({docker.error or 'not installed'})",
        [
            "Install Docker Engine (apt-get install docker.io), start it, and give the "
            "server's user access to it (root, or the docker group); then build the "
            "interpreter images with make images."
        ],
    )
