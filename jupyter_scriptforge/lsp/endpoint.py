"""The router's socket: each bridge that jupyter-lsp starts connects here, and gets a
``RouterSession`` of its own."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import struct
from pathlib import Path

from . import protocol
from .bridge import socket_path
from .manager import LanguageServers
from .placement import DocumentPlacement
from .protocol import Message
from .router import RouterSession

log = logging.getLogger(__name__)
_PEER = struct.Struct("3i")  # struct ucred: pid, uid, gid


class RouterEndpoint:
    def __init__(self, servers: LanguageServers, placement: DocumentPlacement) -> None:
        self._servers = servers
        self._placement = placement
        self.path = Path(socket_path(os.getpid()))
        self.sessions: set[RouterSession] = set()
        self._server: asyncio.AbstractServer | None = None
        self._handlers: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        self.path.parent.mkdir(mode=0o700, exist_ok=True)
        os.chmod(self.path.parent, 0o700)
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()  # left by a server that had this pid before
        self._server = await asyncio.start_unix_server(
            self._serve, path=str(self.path), limit=2**24
        )
        os.chmod(self.path, 0o600)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        pid, uid = _peer(writer)
        if uid != os.getuid():
            log.warning("lsp: refused a connection from uid %s", uid)
            writer.close()
            self._handlers.discard(task)
            return
        bridge = _pidfd(pid)
        lock = asyncio.Lock()

        async def send(message: Message) -> None:
            async with lock:
                writer.write(protocol.encode(message))
                await writer.drain()

        session = RouterSession(self._servers, self._placement.interpreter_of, send)
        self.sessions.add(session)
        try:
            while (body := await protocol.read_message(reader)) is not None:
                await session.receive(body)
        except protocol.ProtocolError as error:
            log.info("lsp: the editor's stream broke: %s", error)
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            self.sessions.discard(session)
            await session.end()
            writer.close()
            self._handlers.discard(task)
            if bridge is not None:
                reaping = asyncio.ensure_future(_reap(bridge))
                self._handlers.add(reaping)
                reaping.add_done_callback(self._handlers.discard)

    def follow(self, api_path: str) -> None:
        """A script changed (maybe its interpreter): move its open documents if so."""
        if self.sessions:
            task = asyncio.ensure_future(self._follow(api_path))
            self._handlers.add(task)
            task.add_done_callback(self._handlers.discard)

    async def _follow(self, api_path: str) -> None:
        for session in list(self.sessions):
            for uri in session.documents():
                if self._placement.api_path(uri) == api_path:
                    await session.interpreter_changed(uri)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._handlers):
            task.cancel()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


def _peer(writer: asyncio.StreamWriter) -> tuple[int, int]:
    connection: socket.socket = writer.get_extra_info("socket")
    pid, uid, _ = _PEER.unpack(
        connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _PEER.size)
    )
    return pid, uid


def _pidfd(pid: int) -> int | None:
    """A handle on the bridge process itself (a pid may be reused, a pidfd cannot)."""
    try:
        return os.pidfd_open(pid)
    except OSError:
        return None


async def _reap(pidfd: int) -> None:
    """jupyter-lsp stops the bridge with a bare terminate() and never waits for it: reap it
    here, so no <defunct> bridge stays in the process table (our child: we are its parent)."""
    try:
        for _ in range(100):
            try:
                # WNOHANG: asks, never waits.
                if os.waitid(os.P_PIDFD, pidfd, os.WEXITED | os.WNOHANG) is not None:  # noqa: ASYNC222
                    return
            except ChildProcessError:
                return  # reaped already (subprocess does it when it next starts a process)
            await asyncio.sleep(0.1)
    finally:
        os.close(pidfd)
