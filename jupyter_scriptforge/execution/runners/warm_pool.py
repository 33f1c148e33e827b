"""A warm pool: sandboxes started ahead of their run, each waiting on stdin for one script.

The pool knows nothing of what it holds (the Docker runner's containers, the local runner's
bubblewrap sandboxes): it is handed how to make one and how to throw one away. An item
leaves the pool once and never comes back; taking one starts a refill in the background, so
the next run finds the pool full again.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


class WarmPool(Generic[T]):
    """Up to ``size`` ready items of one kind (a Docker image, an interpreter)."""

    def __init__(
        self,
        label: str,
        size: int,
        create: Callable[[], Awaitable[T]],
        discard: Callable[[T], Awaitable[None]],
    ) -> None:
        self.label = label
        self.size = size
        self._create = create
        self._discard = discard
        self._ready: deque[T] = deque()
        self._filling: set[asyncio.Task[None]] = set()
        self._closed = False

    @property
    def ready(self) -> int:
        return len(self._ready)

    def items(self) -> list[T]:
        """The ready items, still the pool's."""
        return list(self._ready)

    def take(self) -> T | None:
        """A ready item, now the caller's to run and throw away; None when the pool is empty."""
        item = self._ready.popleft() if self._ready else None
        self.refill()
        return item

    def refill(self) -> None:
        """Start making items until ready plus in-flight ones reach ``size``."""
        while not self._closed and len(self._ready) + len(self._filling) < self.size:
            task = asyncio.create_task(self._add_one())
            self._filling.add(task)
            task.add_done_callback(self._filling.discard)

    async def filled(self) -> None:
        """Wait for the items being made right now."""
        while self._filling:
            await asyncio.gather(*self._filling, return_exceptions=True)

    async def close(self) -> None:
        """Throw away every ready item, after those being made are ready."""
        self._closed = True
        await self.filled()
        ready, self._ready = list(self._ready), deque()
        await asyncio.gather(*(self._discard(item) for item in ready))

    async def _add_one(self) -> None:
        try:
            item = await self._create()
        except Exception as error:
            # No retry loop: a missing image would spin. The next take() tries again.
            log.warning("Could not warm a sandbox for %s: %s", self.label, error)
            return
        if self._closed:
            await self._discard(item)
        else:
            self._ready.append(item)
