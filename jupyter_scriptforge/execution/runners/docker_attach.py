"""The Docker runner's attach socket: the payload in, the container's output out.

Blocking, run on the runner's threads. The engine multiplexes stdout and stderr into
frames; ``Relay`` splits them and cuts out the boot program's end mark (inside/container.py),
which carries the exit status and the peak memory.
"""

from __future__ import annotations

import codecs
import contextlib
import socket
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

import docker
from docker.errors import DockerException
from requests.exceptions import RequestException

from .base import Stream

# The attach socket is a SocketIO, a socket or an SSL socket depending on the transport.
AttachSocket = Any
# The attach stream's frame header, and the stream ids in it.
_HEADER = struct.Struct(">BxxxL")
_STREAMS: dict[int, Stream] = {1: "stdout", 2: "stderr"}
_READ_BYTES = 1 << 16
# What may follow the end mark's token: "255 18446744073709551615 +\n" at most.
_MAX_MARK_FIGURES = 32


def attach(api: docker.APIClient, container: str) -> AttachSocket:
    params = {"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1}
    return api.attach_socket(container, params=params)


def _raw(sock: AttachSocket) -> socket.socket:
    # A SocketIO wraps the socket we must half-close; an (SSL) socket is its own.
    return cast(socket.socket, getattr(sock, "_sock", sock))


def pump(
    api: docker.APIClient,
    container: str,
    sock: AttachSocket,
    payload: bytes,
    relay: Relay,
) -> tuple[int | None, int | None]:
    """Send the payload, relay output until the script's end.

    Returns the exit code (None if the container vanished) and the peak memory if known.
    """
    raw = _raw(sock)
    try:
        # The client's request timeout would end a script that is silent for a minute.
        raw.settimeout(None)
        raw.sendall(payload)
        raw.shutdown(socket.SHUT_WR)
        while relay.exit_code is None and (chunk := raw.recv(_READ_BYTES)):
            relay.feed(chunk)
    except OSError:
        pass  # killed while we wrote or read: the engine tells the rest
    finally:
        relay.flush()
        hang_up(sock)
    try:
        if relay.exit_code is not None:
            # Only the exiting interpreter is left; the engine needs some 30 ms more to
            # notice, and the container's removal kills it in any case.
            return relay.exit_code, relay.peak_memory
        return int(api.wait(container)["StatusCode"]), None
    except (DockerException, RequestException):
        return None, None


class Relay:
    """Splits the engine's multiplexed stream into stdout and stderr text.

    Each frame is an 8-byte header (stream id, 3 zero bytes, big-endian length) and its
    data. Frames of one stream that arrive together go out as one write, so a chatty script
    wakes the event loop once per read, not once per line. The boot program's end mark is
    cut out of each stream; the run has ended once both marks are in, as the engine copies
    the two streams independently.
    """

    def __init__(self, emit: Callable[[Stream, str], None], mark: bytes) -> None:
        self._emit = emit
        self._mark = mark
        self._frames = bytearray()
        self._streams = {stream_id: _StreamState() for stream_id in _STREAMS}

    @property
    def exit_code(self) -> int | None:
        """The status the end marks report, once both streams carried one."""
        codes = {state.code for state in self._streams.values()}
        return codes.pop() if len(codes) == 1 else None

    @property
    def peak_memory(self) -> int | None:
        return self._streams[2].peak

    @property
    def output_waiting(self) -> bool:
        """Whether the end mark says the script left output, which waits to be packed."""
        return self._streams[2].output_waiting

    def feed(self, chunk: bytes) -> None:
        self._frames += chunk
        offset, pending_id, pending = 0, 0, bytearray()
        while len(self._frames) - offset >= _HEADER.size:
            stream_id, size = _HEADER.unpack_from(self._frames, offset)
            start = offset + _HEADER.size
            if len(self._frames) - start < size:
                break
            if stream_id in _STREAMS:
                if stream_id != pending_id:
                    self._take(pending_id, pending)
                    pending_id, pending = stream_id, bytearray()
                pending += self._frames[start : start + size]
            offset = start + size
        self._take(pending_id, pending)
        del self._frames[:offset]

    def flush(self) -> None:
        """The stream ended: what was held back as a possible mark is output after all."""
        for stream_id, state in self._streams.items():
            text = state.decoder.decode(bytes(state.held), final=True)
            state.held.clear()
            if text:
                self._emit(_STREAMS[stream_id], text)

    def _take(self, stream_id: int, data: bytearray) -> None:
        state = self._streams.get(stream_id)
        if state is None or not data or state.code is not None:
            return
        data = state.held + data
        state.held = bytearray()
        at = data.find(self._mark)
        if at >= 0:
            end = data.find(b"\n", at)
            figures = data[at + len(self._mark) : end].split() if end >= 0 else []
            waiting = figures[-1:] == [b"+"]
            figures = figures[:-1] if waiting else figures
            if 1 <= len(figures) <= 2 and all(figure.isdigit() for figure in figures):
                state.code = int(figures[0])
                state.peak = int(figures[1]) if len(figures) == 2 else None
                state.output_waiting = waiting
                data = data[:at]
            elif end < 0 and len(data) - at <= len(self._mark) + _MAX_MARK_FIGURES:
                state.held, data = data[at:], data[:at]
        else:
            keep = _mark_prefix_at_end(data, self._mark)
            if keep:
                state.held, data = data[-keep:], data[:-keep]
        text = state.decoder.decode(bytes(data))
        if text:
            self._emit(_STREAMS[stream_id], text)


@dataclass
class _StreamState:
    decoder: codecs.IncrementalDecoder = field(
        default_factory=lambda: codecs.getincrementaldecoder("utf-8")(errors="replace")
    )
    # Bytes that may be the start of the end mark, kept until the next read shows.
    held: bytearray = field(default_factory=bytearray)
    output_waiting: bool = False
    code: int | None = None
    peak: int | None = None


def _mark_prefix_at_end(data: bytearray, mark: bytes) -> int:
    """Length of the longest tail of ``data`` that the mark starts with."""
    at = data.find(mark[:1], max(0, len(data) - len(mark) + 1))
    while at >= 0:
        if mark.startswith(data[at:]):
            return len(data) - at
        at = data.find(mark[:1], at + 1)
    return 0


def hang_up(sock: AttachSocket) -> None:
    """Close both ways, then the HTTP response the socket came from (it owns the socket)."""
    with contextlib.suppress(OSError):
        _raw(sock).shutdown(socket.SHUT_RDWR)
    response = getattr(sock, "_response", None)
    for closable in (response, sock):
        if closable is not None:
            with contextlib.suppress(OSError, ValueError):
                closable.close()
