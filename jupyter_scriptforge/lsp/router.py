"""The language server the editor talks to: one LSP conversation with jupyterlab-lsp,
each document routed to the language server of its script's interpreter.

jupyterlab-lsp picks one server per language, never per document, so the choice is made
here: ``didOpen`` finds the document's interpreter, its requests go to that interpreter's
server, and only that server's diagnostics reach the editor. When a script's interpreter
changes, its open documents move to the other server. A location outside what JupyterLab
can open (the standard library, a package) goes back as a path of the read-only
``sources:`` drive (sources.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from . import protocol
from .connection import ServerError
from .documents import apply_changes
from .manager import LanguageServers
from .protocol import Message
from .server import Document, InterpreterLanguageServer
from .sources import LOCATION_METHODS, is_openable, server_uri

log = logging.getLogger(__name__)

# What the servers behind the router answer (a subset of pylsp's own capabilities; a test
# holds the two together). Changes come as full texts, which a moved document needs.
CAPABILITIES: dict[str, Any] = {
    "textDocumentSync": {"openClose": True, "change": 1, "save": {"includeText": True}},
    "completionProvider": {"resolveProvider": True, "triggerCharacters": ["."]},
    "hoverProvider": True,
    "signatureHelpProvider": {"triggerCharacters": ["(", ",", "="]},
    "definitionProvider": True,
    "typeDefinitionProvider": True,
    "referencesProvider": True,
    "documentHighlightProvider": True,
    "documentSymbolProvider": True,
    "foldingRangeProvider": True,
    "renameProvider": True,
}
SERVER_INFO = {"name": "jupyter-scriptforge", "version": "1"}

# (uri) -> the interpreter name of the document, or None for a document no server takes.
InterpreterOf = Callable[[str], Awaitable[str | None]]
Send = Callable[[Message], Awaitable[None]]


class RouterSession:
    """One editor connection (jupyter-lsp's session of our spec) and its documents."""

    def __init__(self, servers: LanguageServers, interpreter_of: InterpreterOf, send: Send) -> None:
        self._servers = servers
        self._interpreter_of = interpreter_of
        self._send = send
        self._documents: dict[str, Document] = {}
        self._routes: dict[str, InterpreterLanguageServer] = {}
        # A sources: document is known to its server by the file it shows (server_uri).
        self._server_uris: dict[str, str] = {}
        # Documents moving to another interpreter's server: their requests wait for it.
        self._moving: dict[str, asyncio.Event] = {}
        self._requests: dict[Any, asyncio.Task[None]] = {}
        self._sending: set[asyncio.Task[None]] = set()
        self._stop_listening = servers.listen(self._diagnosed)
        self.ended = asyncio.Event()

    # --- from the editor --------------------------------------------------------------

    async def receive(self, body: bytes) -> None:
        message = protocol.decode(body)
        if message is None:
            await self._send(
                protocol.error_response(None, protocol.PARSE_ERROR, "not a JSON object")
            )
            return
        method = message.get("method")
        if protocol.is_request(message):
            if not isinstance(method, str):
                await self._send(
                    protocol.error_response(message["id"], protocol.INVALID_REQUEST, "no method")
                )
                return
            # Answered concurrently: a slow completion does not hold back a hover.
            task = asyncio.ensure_future(self._answer(message["id"], method, message.get("params")))
            self._requests[message["id"]] = task
            task.add_done_callback(lambda _: self._requests.pop(message["id"], None))
        elif protocol.is_notification(message) and isinstance(method, str):
            try:
                await self._notified(method, message.get("params"))
            except (ServerError, ConnectionError, LookupError) as error:
                log.info("lsp: %s failed: %s", method, error)
            except (KeyError, TypeError, ValueError) as error:
                log.info("lsp: a malformed %s: %s", method, error)

    async def _answer(self, request_id: Any, method: str, params: Any) -> None:
        try:
            result = await self._result(method, params)
            reply = protocol.response(request_id, result)
        except ServerError as error:
            reply = protocol.error_response(request_id, error.code, error.message)
        except (KeyError, TypeError, ValueError, AttributeError):
            reply = protocol.error_response(
                request_id, protocol.INVALID_PARAMS, f"bad params for {method}"
            )
        except asyncio.CancelledError:
            reply = protocol.error_response(request_id, protocol.SERVER_CANCELLED, "cancelled")
        with contextlib.suppress(ConnectionError):
            await self._send(reply)

    async def _result(self, method: str, params: Any) -> Any:
        if method == "initialize":
            capabilities = (params or {}).get("capabilities")
            if isinstance(capabilities, dict) and capabilities:
                self._servers.client_capabilities = capabilities
            return {"capabilities": CAPABILITIES, "serverInfo": SERVER_INFO}
        if method == "shutdown":
            return None
        if method == "completionItem/resolve":
            uri = ((params or {}).get("data") or {}).get("doc_uri")
            server = self._server_of(uri) if isinstance(uri, str) else None
            return await server.request(method, params) if server is not None else params
        uri = _document_uri(params)
        moving = self._moving.get(uri) if uri is not None else None
        if moving is not None:
            await moving.wait()
        server = self._routes.get(uri) if uri is not None else None
        if uri is None or server is None:
            return None  # a document not opened, or one no language server takes
        result = await server.request(method, self._for_server(uri, params))
        if method in LOCATION_METHODS:
            root = self._servers.root_dir
            result = self._servers.sources.rewrite_locations(
                result, server.interpreter, lambda target: is_openable(root, target)
            )
        return result

    def _server_of(self, server_uri: str) -> InterpreterLanguageServer | None:
        for uri, known_as in self._server_uris.items():
            if known_as == server_uri:
                return self._routes.get(uri)
        return self._routes.get(server_uri)

    def _for_server(self, uri: str, params: Any) -> Any:
        """``params`` naming the document as its server knows it."""
        known_as = self._server_uris.get(uri, uri)
        if known_as == uri:
            return params
        return {**params, "textDocument": {**params["textDocument"], "uri": known_as}}

    async def _notified(self, method: str, params: Any) -> None:
        if method == "textDocument/didOpen":
            item = params["textDocument"]
            document = Document(
                item["uri"], item.get("languageId", "python"), int(item["version"]), item["text"]
            )
            await self._open(document)
        elif method == "textDocument/didChange":
            uri = params["textDocument"]["uri"]
            changed = self._documents.get(uri)
            if changed is not None:
                changed.text = apply_changes(changed.text, params["contentChanges"])
                changed.version = int(params["textDocument"].get("version") or changed.version + 1)
                server = self._routes.get(uri)
                if server is not None:
                    known_as = self._server_uris.get(uri, uri)
                    await server.change(known_as, changed.version, changed.text)
        elif method == "textDocument/didClose":
            uri = params["textDocument"]["uri"]
            self._documents.pop(uri, None)
            known_as = self._server_uris.pop(uri, uri)
            server = self._routes.pop(uri, None)
            if server is not None:
                await server.close(known_as)
        elif method == "textDocument/didSave":
            uri = params["textDocument"]["uri"]
            server = self._routes.get(uri)
            if server is not None:
                await server.notify(method, self._for_server(uri, params))
        elif method == "workspace/didChangeConfiguration":
            await self._servers.configure((params or {}).get("settings") or {})
        elif method == "$/cancelRequest":
            task = self._requests.get((params or {}).get("id"))
            if task is not None:
                task.cancel()
        elif method == "exit":
            await self.end()

    async def _open(self, document: Document) -> None:
        self._documents[document.uri] = document
        interpreter = await self._interpreter_of(document.uri)
        if interpreter is None:
            return
        server = self._servers.server_for(interpreter)
        self._routes[document.uri] = server
        known_as = server_uri(self._servers.root_dir, document.uri)
        if known_as != document.uri:
            self._server_uris[document.uri] = known_as
        await server.open(Document(known_as, document.language_id, document.version, document.text))

    # --- from the servers and the catalog ----------------------------------------------

    def _diagnosed(self, server: InterpreterLanguageServer, uri: str, message: Message) -> None:
        # A sources: document's findings stay here (its server knows it by another URI):
        # the standard library is not the user's to fix.
        if self._routes.get(uri) is server:
            sending = asyncio.ensure_future(self._send(message))
            self._sending.add(sending)
            sending.add_done_callback(self._sending.discard)

    async def interpreter_changed(self, uri: str) -> None:
        """Look up the document's interpreter again; move it if it is another one."""
        document = self._documents.get(uri)
        if document is None:
            return
        interpreter = await self._interpreter_of(uri)
        current = self._routes.get(uri)
        if current is not None and current.interpreter == interpreter:
            return
        moved = self._moving[uri] = asyncio.Event()
        try:
            if current is not None:
                self._routes.pop(uri, None)
                await current.close(self._server_uris.pop(uri, uri))
            # The old server's findings go; the new one publishes its own on open.
            await self._send(
                protocol.notification(
                    "textDocument/publishDiagnostics", {"uri": uri, "diagnostics": []}
                )
            )
            if interpreter is not None:
                await self._open(document)
        finally:
            if self._moving.get(uri) is moved:
                del self._moving[uri]
            moved.set()

    def documents(self) -> list[str]:
        return list(self._documents)

    async def end(self) -> None:
        """The editor went away: close its documents (the servers stay for others)."""
        if self.ended.is_set():
            return
        self.ended.set()
        self._stop_listening()
        for task in list(self._requests.values()):
            task.cancel()
        for uri, server in list(self._routes.items()):
            with contextlib.suppress(ServerError, ConnectionError):
                await server.close(self._server_uris.get(uri, uri))
        self._routes.clear()
        self._server_uris.clear()
        self._documents.clear()


def _document_uri(params: Any) -> str | None:
    if isinstance(params, dict):
        document = params.get("textDocument")
        uri = document.get("uri") if isinstance(document, dict) else None
        if isinstance(uri, str):
            return uri
    return None
