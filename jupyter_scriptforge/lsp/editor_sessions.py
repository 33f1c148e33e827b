"""The editors connected to the language servers: one ``RouterSession`` per WebSocket of
jupyterlab-lsp (api/editor_socket.py), and the scripts whose interpreter changed under them."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from typing import Any

from .manager import LanguageServers
from .placement import DocumentPlacement
from .router import RouterSession, Send


class EditorSessions:
    def __init__(self, servers: LanguageServers, placement: DocumentPlacement) -> None:
        self._servers = servers
        self._placement = placement
        self.sessions: set[RouterSession] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    def open_session(self, send: Send) -> RouterSession:
        """A new editor connection; ``send`` delivers the router's messages to it."""
        session = RouterSession(self._servers, self._placement.interpreter_of, send)
        self.sessions.add(session)
        return session

    def end_session(self, session: RouterSession) -> None:
        """The connection closed: its documents close (the servers stay for others)."""
        self.sessions.discard(session)
        self._spawn(session.end())

    def follow(self, api_path: str) -> None:
        """A script changed (maybe its interpreter): move its open documents if so."""
        if self.sessions:
            self._spawn(self._follow(api_path))

    async def _follow(self, api_path: str) -> None:
        for session in list(self.sessions):
            for uri in session.documents():
                if self._placement.api_path(uri) == api_path:
                    await session.interpreter_changed(uri)

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        for session in list(self.sessions):
            await session.end()
        self.sessions.clear()
        for task in list(self._tasks):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
