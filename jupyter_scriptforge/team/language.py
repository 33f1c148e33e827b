"""Language intelligence in a team member's server: python-lsp-server on the container's own
interpreter (the image the user chose at spawn), for every Python file under the user's
root, their working copies included. The editor's socket and the ``sources:`` drive are
served here, in the container, as ScriptForge alone serves them: what a user's language
server reads is what their own server can read, nothing of the service's."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from ..execution.interpreters import Interpreter, usual_name
from ..execution.runners.probe import probe_interpreter
from ..lsp.editor_sessions import EditorSessions
from ..lsp.local_process import LocalServerProcess
from ..lsp.manager import LanguageServers
from ..lsp.placement import DocumentPlacement
from ..lsp.server import ServerProcess
from ..lsp.service import LanguageService


class ContainerInterpreter:
    """The one interpreter of the container, asked what it is until it answers."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._found: asyncio.Task[Interpreter | None] | None = None

    async def get(self) -> Interpreter | None:
        if self._found is None:
            self._found = asyncio.ensure_future(self._probe())
        found = await asyncio.shield(self._found)
        if found is None and self._found.done():
            self._found = None  # a slow start, say: ask again next time
        return found

    async def name(self) -> str | None:
        found = await self.get()
        return found.name if found is not None else None

    async def named(self, name: str) -> Interpreter | None:
        found = await self.get()
        return found if found is not None and found.name == name else None

    async def of_file(self, api_path: str) -> str | None:
        found = await self.get()
        return found.name if found is not None else None

    async def _probe(self) -> Interpreter | None:
        answer = await probe_interpreter(self.path)
        if answer is None:
            return None
        implementation, version = answer
        return Interpreter(usual_name(implementation, version), implementation, version, self.path)


@dataclass(frozen=True)
class MemberLanguage:
    interpreter: ContainerInterpreter
    servers: LanguageServers
    placement: DocumentPlacement
    sessions: EditorSessions
    language: LanguageService

    async def close(self) -> None:
        await self.sessions.close()
        await self.servers.close()


def member_language(
    root_dir: Path, interpreter_path: str, tools_dir: Path, idle_timeout: float
) -> MemberLanguage:
    interpreter = ContainerInterpreter(interpreter_path)

    async def start(found: Interpreter) -> ServerProcess:
        if not (tools_dir / "pylsp").is_dir():
            raise LookupError(f"python-lsp-server is not installed in {tools_dir}")
        return await LocalServerProcess.start(interpreter_path, tools_dir, root_dir)

    servers = LanguageServers(
        root_dir, interpreter.named, start, idle_timeout=idle_timeout, max_servers=1
    )
    placement = DocumentPlacement(root_dir, interpreter.of_file)
    sessions = EditorSessions(servers, placement)
    return MemberLanguage(interpreter, servers, placement, sessions, LanguageService(servers))
