"""The language server of one interpreter: started when first needed, restarted after a
crash with its documents opened again, stopped when idle."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from .connection import Connection, ServerError
from .protocol import REQUEST_FAILED, Message

log = logging.getLogger(__name__)

State = Literal["stopped", "starting", "ready", "failed"]
_INITIALIZE_TIMEOUT_SECONDS = 60.0
# A server that could not start is tried again after this long, not on every keystroke.
RETRY_SECONDS = 10.0


class ServerProcess(Protocol):
    """A running language server: its stream, where it runs, and how to stop it."""

    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    # The interpreter's executable where the server runs: jedi's environment. Left to
    # itself, jedi takes any `bin/python3` beside an executable not named python*
    # (a PyPy's, an image's scriptforge-python), e.g. the system's CPython.
    executable: str

    @property
    def where(self) -> str: ...

    async def exited(self) -> int: ...

    async def stop(self) -> None: ...

    def memory_bytes(self) -> int | None: ...

    async def read_file(self, path: str, limit: int) -> bytes:
        """A file as the server sees it (its machine or its image); OSError if it cannot
        be read, ValueError if it is larger than ``limit``."""
        ...


Starter = Callable[[], Awaitable[ServerProcess]]


@dataclass
class Document:
    uri: str
    language_id: str
    version: int
    text: str


@dataclass(frozen=True)
class Status:
    interpreter: str
    state: State
    reason: str | None
    where: str | None
    memory_bytes: int | None
    idle_seconds: float
    documents: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "interpreter": self.interpreter,
            "state": self.state,
            "reason": self.reason,
            "where": self.where,
            "memory_bytes": self.memory_bytes,
            "idle_seconds": round(self.idle_seconds, 1),
            "documents": self.documents,
        }


class InterpreterLanguageServer:
    """Every editor of one interpreter shares it. Documents are kept here (their latest full
    text), so a new process after a crash or an idle stop is brought back to where the
    editors are."""

    def __init__(
        self,
        interpreter: str,
        start: Starter,
        initialize_params: Callable[[], dict[str, Any]],
        settings: Callable[[], dict[str, Any]],
        on_diagnostics: Callable[[InterpreterLanguageServer, str, Message], None],
        on_state: Callable[[InterpreterLanguageServer], None] = lambda server: None,
    ) -> None:
        self.interpreter = interpreter
        self._start = start
        self._initialize_params = initialize_params
        self._settings = settings
        self._on_diagnostics = on_diagnostics
        self._on_state = on_state
        self.documents: dict[str, Document] = {}
        self.state: State = "stopped"
        self.reason: str | None = None
        self.capabilities: dict[str, Any] = {}
        self.last_used = time.monotonic()
        self._process: ServerProcess | None = None
        self._connection: Connection | None = None
        self._starting: asyncio.Task[Connection] | None = None
        self._watch: asyncio.Task[None] | None = None
        self._start_failed_at: float | None = None
        self._busy = 0

    # --- what editors do --------------------------------------------------------------

    async def open(self, document: Document) -> None:
        self.documents[document.uri] = document
        connection = await self._running()
        await connection.notify("textDocument/didOpen", {"textDocument": _item(document)})

    async def change(self, uri: str, version: int, text: str) -> None:
        document = self.documents.get(uri)
        if document is None:
            return
        document.version, document.text = version, text
        connection = await self._running()
        await connection.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]},
        )

    async def close(self, uri: str) -> None:
        if self.documents.pop(uri, None) is None:
            return
        connection = self._connection
        if connection is not None and self.state == "ready":
            with contextlib.suppress(ConnectionError):
                await connection.notify("textDocument/didClose", {"textDocument": {"uri": uri}})

    async def notify(self, method: str, params: Any) -> None:
        connection = await self._running()
        await connection.notify(method, params)

    async def request(self, method: str, params: Any) -> Any:
        self._busy += 1
        try:
            connection = await self._running()
            return await connection.request(method, params)
        finally:
            self._busy -= 1
            self.last_used = time.monotonic()

    async def read_file(self, path: str, limit: int) -> bytes:
        """A file of the server's environment (starting the server if it is not running)."""
        await self._running()
        process = self._process
        if process is None:
            raise ServerError(REQUEST_FAILED, self.reason or "the language server stopped")
        return await process.read_file(path, limit)

    def idle_seconds(self) -> float:
        """How long nothing has been asked of it (none while a request is under way)."""
        return 0.0 if self._busy else time.monotonic() - self.last_used

    async def configure(self) -> None:
        """Send the current settings, if running (a new process gets them when it starts)."""
        if self._connection is not None and self.state == "ready":
            with contextlib.suppress(ConnectionError):
                await self._connection.notify(
                    "workspace/didChangeConfiguration",
                    {"settings": self._settings_of(self._process)},
                )

    # --- lifecycle --------------------------------------------------------------------

    async def _running(self) -> Connection:
        """The live connection, starting a process (again) if there is none."""
        self.last_used = time.monotonic()
        connection = self._connection
        if connection is not None and not connection.closed.is_set() and self.state == "ready":
            return connection
        if self._starting is None or self._starting.done():
            if self._start_failed_at and time.monotonic() - self._start_failed_at < RETRY_SECONDS:
                raise ServerError(REQUEST_FAILED, self.reason or "the language server failed")
            self._starting = asyncio.ensure_future(self._start_process())
        try:
            return await asyncio.shield(self._starting)
        except ServerError:
            raise
        except Exception as error:  # the reason is in self.reason; the caller gets an LSP error
            raise ServerError(REQUEST_FAILED, self.reason or str(error)) from None

    async def _start_process(self) -> Connection:
        self._set_state("starting", None)
        try:
            process = await self._start()
        except Exception as error:
            self._start_failed_at = time.monotonic()
            self._set_state("failed", str(error) or type(error).__name__)
            raise
        self._process = process
        connection = Connection(process.reader, process.writer, self._received)
        try:
            result = await asyncio.wait_for(
                connection.request("initialize", self._initialize_params()),
                _INITIALIZE_TIMEOUT_SECONDS,
            )
            await connection.notify("initialized", {})
            await connection.notify(
                "workspace/didChangeConfiguration", {"settings": self._settings_of(process)}
            )
            for document in list(self.documents.values()):
                await connection.notify("textDocument/didOpen", {"textDocument": _item(document)})
        except asyncio.CancelledError:
            await connection.close()  # stop() stops the process
            raise
        except (TimeoutError, ServerError, ConnectionError) as error:
            await connection.close()
            await process.stop()
            self._process = None
            why = "did not answer initialize" if isinstance(error, TimeoutError) else str(error)
            self._start_failed_at = time.monotonic()
            self._set_state("failed", f"the language server {why}")
            raise ServerError(REQUEST_FAILED, self.reason or "") from None
        self.capabilities = (result or {}).get("capabilities", {})
        self._start_failed_at = None
        self._connection = connection
        self._set_state("ready", None)
        self._watch = asyncio.ensure_future(self._watch_exit(process, connection))
        return connection

    async def _watch_exit(self, process: ServerProcess, connection: Connection) -> None:
        code = await process.exited()
        await connection.closed.wait()
        await process.stop()  # reap what is left of its group
        if self._process is process:  # not a stop of ours
            self._process = self._connection = None
            self._set_state("failed", f"the language server exited ({_exit_reason(code)})")
            log.warning("language server of %s: %s", self.interpreter, self.reason)

    async def stop(self, reason: str | None = None) -> None:
        """Stop the process (the documents stay: the next request starts a new one)."""
        if self._starting is not None and not self._starting.done():
            self._starting.cancel()
            with contextlib.suppress(BaseException):
                await self._starting
        process, connection = self._process, self._connection
        self._process = self._connection = None
        if connection is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(connection.request("shutdown", None), 1.0)
                await connection.notify("exit", None)
            await connection.close()
        if process is not None:
            await process.stop()
        if self._watch is not None:
            self._watch.cancel()
        self._set_state("stopped", reason)

    def _settings_of(self, process: ServerProcess | None) -> dict[str, Any]:
        """The settings, with jedi bound to the interpreter (whatever the client says)."""
        if process is None:
            return self._settings()
        bound = {"pylsp": {"plugins": {"jedi": {"environment": process.executable}}}}
        return merged(self._settings(), bound)

    def _set_state(self, state: State, reason: str | None) -> None:
        self.state, self.reason = state, reason
        self._on_state(self)

    def _received(self, message: Message) -> None:
        if message.get("method") == "textDocument/publishDiagnostics":
            params = message.get("params") or {}
            uri = params.get("uri")
            if isinstance(uri, str) and uri in self.documents:
                self._on_diagnostics(self, uri, message)

    def status(self) -> Status:
        process = self._process
        return Status(
            interpreter=self.interpreter,
            state=self.state,
            reason=self.reason,
            where=process.where if process is not None else None,
            memory_bytes=process.memory_bytes() if process is not None else None,
            idle_seconds=self.idle_seconds(),
            documents=len(self.documents),
        )


def merged(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """``base`` updated by ``override``, nested dictionaries merged key by key."""
    result = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merged(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def _item(document: Document) -> dict[str, Any]:
    return {
        "uri": document.uri,
        "languageId": document.language_id,
        "version": document.version,
        "text": document.text,
    }


def _exit_reason(code: int) -> str:
    if code < 0:
        import signal

        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-code).name}"
    return f"exit status {code}"
