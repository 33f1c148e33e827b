"""Run ends as they happen, per user: what a user's open JupyterLab listens to, to say that
a run of theirs failed — one they started elsewhere or a schedule started included."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncGenerator
from typing import Any

# Ends kept for a listener that reads slowly; older ones are dropped, not the server.
_QUEUED = 100


class RunEnds:
    def __init__(self) -> None:
        self._listeners: defaultdict[str, set[asyncio.Queue[dict[str, Any]]]] = defaultdict(set)

    def run_ended(self, run: dict[str, Any], tail: str) -> None:
        for queue in self._listeners.get(run["user"], ()):
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(run)

    async def follow(
        self, user: str, keepalive: float
    ) -> AsyncGenerator[dict[str, Any] | None, None]:
        """``user``'s runs as they end; None every ``keepalive`` seconds without one."""
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(_QUEUED)
        self._listeners[user].add(queue)
        try:
            while True:
                try:
                    yield await asyncio.wait_for(queue.get(), keepalive)
                except TimeoutError:
                    yield None
        finally:
            self._listeners[user].discard(queue)
            if not self._listeners[user]:
                del self._listeners[user]
