"""What the tests of language intelligence share: python-lsp-server installed from uv's
cache (``make`` fills it: tests never reach an index), the interpreters of this machine by
version, and an editor that speaks LSP to a router session as jupyterlab-lsp does."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

from jupyter_scriptforge.execution.interpreters import Interpreter, discover
from jupyter_scriptforge.lsp import protocol
from jupyter_scriptforge.lsp.manager import LanguageServers
from jupyter_scriptforge.lsp.router import RouterSession
from jupyter_scriptforge.lsp.sources import parse_drive_path, path_of_uri
from jupyter_scriptforge.lsp.starter import ServerStarter
from jupyter_scriptforge.lsp.tools import LanguageTools
from tests import language_tools


def offline_tools(folder: Path = language_tools.TOOLS) -> LanguageTools:
    return LanguageTools(folder, offline=True)


_found: list[Interpreter] | None = None


def interpreter(version: str) -> Interpreter:
    """This machine's CPython ``version`` (e.g. "3.13"), as the server discovers it."""
    global _found
    if _found is None:
        _found = asyncio.run(discover({}))
    for candidate in _found:
        if candidate.implementation == "CPython" and candidate.version.startswith(version + "."):
            return candidate
    raise LookupError(f"no CPython {version} on this machine (pyenv install {version})")


def language_servers(
    root: Path,
    interpreters: dict[str, Interpreter],
    tools: LanguageTools | None = None,
    **settings: Any,
) -> LanguageServers:
    async def resolve(name: str) -> Interpreter | None:
        return interpreters.get(name)

    return LanguageServers(root, resolve, ServerStarter(tools or offline_tools(), root), **settings)


@contextlib.contextmanager
def editing(
    root: Path,
    interpreters: dict[str, Interpreter],
    loop: asyncio.AbstractEventLoop,
    **settings: Any,
) -> Iterator[tuple[Editor, LanguageServers]]:
    """An initialised editor whose documents go to the interpreter named by their file's
    stem, and the language servers behind it; all stopped afterwards."""
    servers = language_servers(root, interpreters, **settings)

    async def interpreter_of(uri: str) -> str | None:
        # As DocumentPlacement: a file under the root has an interpreter (here, by name),
        # a file of the sources: drive the one that pointed to it.
        path = path_of_uri(uri)
        if path is None or not path.is_relative_to(root):
            return None
        source = parse_drive_path(path.relative_to(root).as_posix())
        return source[0] if source is not None else path.stem

    editor = Editor(servers, interpreter_of)
    loop.run_until_complete(editor.initialize())
    try:
        yield editor, servers
    finally:
        loop.run_until_complete(editor.session.end())
        loop.run_until_complete(servers.close())


class Editor:
    """One jupyterlab-lsp connection: requests with ids, notifications, published
    diagnostics by document."""

    def __init__(
        self, servers: LanguageServers, interpreter_of: Callable[[str], Awaitable[str | None]]
    ) -> None:
        self._ids = itertools.count(1)
        self._answers: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.diagnostics: dict[str, list[dict[str, Any]]] = {}
        self._published = asyncio.Event()
        self.session = RouterSession(servers, interpreter_of, self._received)

    async def _received(self, message: dict[str, Any]) -> None:
        message = json.loads(json.dumps(message))  # as it crosses the wire
        if "id" in message and "method" not in message:
            answer = self._answers.pop(message["id"], None)
            if answer is not None and not answer.done():
                answer.set_result(message)
        elif message.get("method") == "textDocument/publishDiagnostics":
            self.diagnostics[message["params"]["uri"]] = message["params"]["diagnostics"]
            self._published.set()

    async def send(self, message: dict[str, Any]) -> None:
        await self.session.receive(json.dumps(message).encode())

    async def call(self, method: str, params: Any, timeout: float = 60) -> dict[str, Any]:  # noqa: ASYNC109
        """The whole answer (``result`` or ``error``)."""
        request_id = next(self._ids)
        answer = asyncio.get_running_loop().create_future()
        self._answers[request_id] = answer
        await self.send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        return await asyncio.wait_for(answer, timeout)

    async def notify(self, method: str, params: Any) -> None:
        await self.send(protocol.notification(method, params))

    async def initialize(self) -> dict[str, Any]:
        answer = await self.call(
            "initialize", {"processId": None, "rootUri": None, "capabilities": {}}
        )
        await self.notify("initialized", {})
        return answer["result"]

    async def open(self, uri: str, text: str, version: int = 1) -> None:
        item = {"uri": uri, "languageId": "python", "version": version, "text": text}
        await self.notify("textDocument/didOpen", {"textDocument": item})

    async def change(self, uri: str, text: str, version: int) -> None:
        await self.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]},
        )

    async def completions(self, uri: str, line: int, character: int) -> list[str]:
        answer = await self.call(
            "textDocument/completion",
            {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}},
        )
        return labels(answer)

    async def hover(self, uri: str, line: int, character: int) -> str:
        answer = await self.call(
            "textDocument/hover",
            {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}},
        )
        contents = (answer.get("result") or {}).get("contents") or ""
        return contents["value"] if isinstance(contents, dict) else str(contents)

    async def definitions(self, uri: str, line: int, character: int) -> list[str]:
        """The URIs of the locations ``textDocument/definition`` answers."""
        answer = await self.call(
            "textDocument/definition",
            {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}},
        )
        return [location["uri"] for location in answer.get("result") or []]

    async def diagnostics_of(
        self,
        uri: str,
        until: Callable[[list[dict[str, Any]]], bool] = bool,
        timeout: float = 60,  # noqa: ASYNC109
    ) -> list[dict[str, Any]]:
        """The document's latest diagnostics once ``until`` holds for them."""
        deadline = asyncio.get_running_loop().time() + timeout
        while not (uri in self.diagnostics and until(self.diagnostics[uri])):
            self._published.clear()
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise TimeoutError(f"diagnostics of {uri}: {self.diagnostics.get(uri)}")
            try:
                await asyncio.wait_for(self._published.wait(), remaining)
            except TimeoutError:
                continue
        return self.diagnostics[uri]


async def eventually(condition: Callable[[], bool], seconds: float = 30.0) -> None:
    """Wait until ``condition()`` holds; fail if it does not within ``seconds``."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "not within the time allowed"
        await asyncio.sleep(0.1)


def labels(completion: dict[str, Any]) -> list[str]:
    """The labels of a completion answer (a list, or a CompletionList)."""
    result = completion.get("result") or []
    items = result.get("items", []) if isinstance(result, dict) else result
    return [item["label"] for item in items]


def messages(diagnostics: list[dict[str, Any]]) -> list[tuple[int, str]]:
    """(1-based line, message) of each diagnostic."""
    return sorted((d["range"]["start"]["line"] + 1, d["message"]) for d in diagnostics)
