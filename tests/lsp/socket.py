"""jupyterlab-lsp's side of ScriptForge's editor socket, for tests that speak to a real
server's ``/lsp/ws/scriptforge-python``."""

from __future__ import annotations

import asyncio
import itertools
import json
from typing import Any, Protocol

from tornado.httpclient import HTTPRequest
from tornado.websocket import WebSocketClientConnection, websocket_connect

from .editors import labels

SPEC = "scriptforge-python"


def authorized(url: str, token: str | None) -> HTTPRequest:
    """A WebSocket request with the token in its header (JupyterHub takes one in the URL
    only from a browser, which says ``Sec-Fetch-Mode: websocket``)."""
    return HTTPRequest(url, headers={"Authorization": f"token {token}"} if token else {})


class Reachable(Protocol):
    """A Jupyter server: its URL (base URL included) and a token for it."""

    url: str
    token: str


class Socket:
    """jupyterlab-lsp's side of /lsp/ws/<spec>: one JSON-RPC message per frame."""

    def __init__(self, connection: WebSocketClientConnection) -> None:
        self.connection = connection
        self.ids = itertools.count(1)
        self.diagnostics: dict[str, list[dict[str, Any]]] = {}

    @classmethod
    async def open(cls, server: Reachable) -> Socket:
        url = server.url.replace("http", "ws", 1) + f"/lsp/ws/{SPEC}"
        socket = cls(await websocket_connect(authorized(url, server.token)))
        await socket.call("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
        await socket.notify("initialized", {})
        return socket

    async def notify(self, method: str, params: Any) -> None:
        await self.connection.write_message(
            json.dumps({"jsonrpc": "2.0", "method": method, "params": params})
        )

    async def call(self, method: str, params: Any, timeout: float = 60) -> dict[str, Any]:  # noqa: ASYNC109
        request_id = next(self.ids)
        await self.connection.write_message(
            json.dumps({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        )
        async with asyncio.timeout(timeout):
            while True:
                message = await self._next()
                if message.get("id") == request_id and "method" not in message:
                    return message

    async def _next(self) -> dict[str, Any]:
        frame = await self.connection.read_message()
        assert frame is not None, "the WebSocket closed"
        message = json.loads(frame)
        if message.get("method") == "textDocument/publishDiagnostics":
            self.diagnostics[message["params"]["uri"]] = message["params"]["diagnostics"]
        return message

    async def diagnostics_until(self, uri: str, holds, timeout: float = 60) -> list[dict[str, Any]]:  # noqa: ASYNC109
        async with asyncio.timeout(timeout):
            while not (uri in self.diagnostics and holds(self.diagnostics[uri])):
                await self._next()
        return self.diagnostics[uri]

    async def open_document(self, uri: str, text: str) -> None:
        item = {"uri": uri, "languageId": "python", "version": 1, "text": text}
        await self.notify("textDocument/didOpen", {"textDocument": item})

    async def completions(self, uri: str, line: int, character: int) -> list[str]:
        answer = await self.call(
            "textDocument/completion",
            {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}},
        )
        return labels(answer)

    def close(self) -> None:
        self.connection.close()

    async def hang_up(self) -> None:
        """Close, and wait until the server closed too (before the event loop ends)."""
        await closed(self.connection)


async def closed(connection: WebSocketClientConnection) -> None:
    connection.close()
    async with asyncio.timeout(10):
        while await connection.read_message() is not None:
            pass
