"""One JSON-RPC conversation with a language server over its stdin and stdout."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections.abc import Callable
from typing import Any

from . import protocol
from .protocol import Message

log = logging.getLogger(__name__)


class ServerError(Exception):
    """A request the language server answered with an error, or could not answer."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class Connection:
    """Requests with their own ids (a caller never sees the server's numbering), the
    server's notifications handed to ``on_notification``, and its own requests to the client
    (progress tokens, capability registration) answered with an empty result."""

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        on_notification: Callable[[Message], None],
    ) -> None:
        self._reader = reader
        self._writer = writer
        self._on_notification = on_notification
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._write_lock = asyncio.Lock()
        self.closed = asyncio.Event()
        self._reading = asyncio.ensure_future(self._read_all())

    async def request(self, method: str, params: Any) -> Any:
        """The server's result; ``ServerError`` if it answered an error or went away."""
        request_id = next(self._ids)
        answer: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[request_id] = answer
        try:
            await self._send(
                {"jsonrpc": "2.0", "id": request_id, "method": method, "params": params}
            )
            return await answer
        except asyncio.CancelledError:
            self._pending.pop(request_id, None)
            if not self.closed.is_set():
                with contextlib.suppress(ConnectionError):
                    await self.notify("$/cancelRequest", {"id": request_id})
            raise
        finally:
            self._pending.pop(request_id, None)

    async def notify(self, method: str, params: Any) -> None:
        await self._send(protocol.notification(method, params))

    async def _send(self, message: Message) -> None:
        if self.closed.is_set():
            raise ConnectionError("the language server has stopped")
        async with self._write_lock:
            self._writer.write(protocol.encode(message))
            await self._writer.drain()

    async def _read_all(self) -> None:
        try:
            while (body := await protocol.read_message(self._reader)) is not None:
                message = protocol.decode(body)
                if message is not None:
                    await self._dispatch(message)
        except (protocol.ProtocolError, ConnectionError) as error:
            log.warning("language server stream ended: %s", error)
        finally:
            self.closed.set()
            for answer in self._pending.values():
                if not answer.done():
                    answer.set_exception(
                        ServerError(protocol.REQUEST_FAILED, "the language server stopped")
                    )
            self._pending.clear()

    async def _dispatch(self, message: Message) -> None:
        if protocol.is_response(message):
            answer = self._pending.get(message["id"]) if isinstance(message["id"], int) else None
            if answer is None or answer.done():
                return
            if "error" in message:
                error = message["error"] or {}
                answer.set_exception(
                    ServerError(
                        error.get("code", protocol.INTERNAL_ERROR), error.get("message", "")
                    )
                )
            else:
                answer.set_result(message.get("result"))
        elif protocol.is_request(message):
            with contextlib.suppress(ConnectionError):
                await self._send(protocol.response(message["id"], None))
        else:
            self._on_notification(message)

    async def close(self) -> None:
        """Stop reading; the process behind it is stopped by its owner."""
        self._reading.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reading
        with contextlib.suppress(Exception):
            self._writer.close()
