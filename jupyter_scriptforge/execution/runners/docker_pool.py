"""A warm pool: started containers of one image, each waiting on stdin for one script.

The pool knows nothing of Docker: it is handed how to make a container and how to throw one
away. A container leaves the pool once and never comes back; taking one starts a refill in
the background, so the next run finds the pool full again.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


class WarmPool:
    """Up to ``size`` ready containers (by id) of one image."""

    def __init__(
        self,
        label: str,
        size: int,
        create: Callable[[], Awaitable[str]],
        discard: Callable[[str], Awaitable[None]],
    ) -> None:
        self.label = label
        self.size = size
        self._create = create
        self._discard = discard
        self._ready: deque[str] = deque()
        self._filling: set[asyncio.Task[None]] = set()
        self._closed = False

    @property
    def ready(self) -> int:
        return len(self._ready)

    def take(self) -> str | None:
        """A ready container, now the caller's to run and remove; None when the pool is empty."""
        container = self._ready.popleft() if self._ready else None
        self.refill()
        return container

    def refill(self) -> None:
        """Start making containers until ready plus in-flight ones reach ``size``."""
        while not self._closed and len(self._ready) + len(self._filling) < self.size:
            task = asyncio.create_task(self._add_one())
            self._filling.add(task)
            task.add_done_callback(self._filling.discard)

    async def filled(self) -> None:
        """Wait for the containers being made right now."""
        while self._filling:
            await asyncio.gather(*self._filling, return_exceptions=True)

    async def close(self) -> None:
        """Throw away every ready container, after those being made are ready."""
        self._closed = True
        await self.filled()
        ready, self._ready = list(self._ready), deque()
        await asyncio.gather(*(self._discard(container) for container in ready))

    async def _add_one(self) -> None:
        try:
            container = await self._create()
        except Exception as error:
            # No retry loop: a missing image would spin. The next take() tries again.
            log.warning("Could not warm a container for %s: %s", self.label, error)
            return
        if self._closed:
            await self._discard(container)
        else:
            self._ready.append(container)
