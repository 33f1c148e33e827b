"""The Language Server Protocol's wire format: JSON-RPC messages behind a Content-Length
header, read from and written to asyncio streams."""

from __future__ import annotations

import asyncio
import json
from typing import Any

Message = dict[str, Any]

# JSON-RPC and LSP error codes an answer of ours may carry.
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
REQUEST_FAILED = -32803
SERVER_CANCELLED = -32802

MAX_MESSAGE_BYTES = 16 * 1024 * 1024


class ProtocolError(Exception):
    """The peer sent something that is not an LSP message; the stream cannot go on."""


async def read_message(reader: asyncio.StreamReader) -> bytes | None:
    """The body of the next message, or None at the end of the stream."""
    length = None
    while True:
        line = await reader.readline()
        if not line:
            return None
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.decode("ascii", "replace").partition(":")
        if name.strip().lower() == "content-length":
            try:
                length = int(value.strip())
            except ValueError:
                raise ProtocolError(f"bad Content-Length {value.strip()!r}") from None
    if length is None or not 0 <= length <= MAX_MESSAGE_BYTES:
        raise ProtocolError(f"a message needs a Content-Length up to {MAX_MESSAGE_BYTES}")
    try:
        return await reader.readexactly(length)
    except asyncio.IncompleteReadError:
        return None


def decode(body: bytes) -> Message | None:
    """The message in ``body``; None if it is not a JSON object."""
    try:
        message = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    return message if isinstance(message, dict) else None


def encode(message: Message) -> bytes:
    body = json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode()
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


def response(request_id: Any, result: Any) -> Message:
    return {"jsonrpc": "2.0", "id": request_id, "result": result}


def error_response(request_id: Any, code: int, message: str) -> Message:
    return {"jsonrpc": "2.0", "id": request_id, "error": {"code": code, "message": message}}


def notification(method: str, params: Any) -> Message:
    return {"jsonrpc": "2.0", "method": method, "params": params}


def is_request(message: Message) -> bool:
    return "method" in message and "id" in message


def is_notification(message: Message) -> bool:
    return "method" in message and "id" not in message


def is_response(message: Message) -> bool:
    return "method" not in message and "id" in message
