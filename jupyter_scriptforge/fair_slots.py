"""Fair slots: a server-wide and a per-user cap on concurrent work (runs, analyses), handed
out fairly.

Waiters queue first-in first-out per user, and users take turns: when a slot frees up it
goes to the next user in line who is under their own cap, so one user's hundred queued runs
do not keep another user's single run waiting behind them.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import OrderedDict, deque
from collections.abc import AsyncIterator


class FairSlots:
    def __init__(self, total: int, per_user: int) -> None:
        if total < 1 or per_user < 1:
            raise ValueError("slot caps must be at least 1")
        self.total = total
        self.per_user = per_user
        self._running: dict[str, int] = {}
        # Users with waiting runs, in turn order; each with their own FIFO of waiters.
        self._waiting: OrderedDict[str, deque[asyncio.Future[None]]] = OrderedDict()

    @property
    def running(self) -> int:
        return sum(self._running.values())

    def queued(self, user: str | None = None) -> int:
        if user is not None:
            return len(self._waiting.get(user, ()))
        return sum(len(waiters) for waiters in self._waiting.values())

    @contextlib.asynccontextmanager
    async def slot(self, user: str) -> AsyncIterator[None]:
        """Hold one of ``user``'s slots for the duration of the block."""
        await self._acquire(user)
        try:
            yield
        finally:
            self._release(user)

    async def _acquire(self, user: str) -> None:
        waiter = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(user, deque()).append(waiter)
        # Granted at once when a slot is free and nobody eligible is ahead in line.
        self._grant()
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self._release(user)  # granted just as we were cancelled: hand it on
            else:
                self._forget(user, waiter)
            raise

    def _release(self, user: str) -> None:
        self._running[user] -= 1
        if not self._running[user]:
            del self._running[user]
        self._grant()

    def _free_for(self, user: str) -> bool:
        return self.running < self.total and self._running.get(user, 0) < self.per_user

    def _take(self, user: str) -> None:
        self._running[user] = self._running.get(user, 0) + 1

    def _grant(self) -> None:
        for user in list(self._waiting):
            if self.running >= self.total:
                return
            if not self._free_for(user):
                continue
            waiters = self._waiting.pop(user)
            waiter = waiters.popleft()
            while waiter.done() and waiters:
                waiter = waiters.popleft()  # cancelled, its task not yet told: skip it
            if waiters:
                self._waiting[user] = waiters  # back of the line: the next user goes first
            if waiter.done():
                continue
            self._take(user)
            waiter.set_result(None)

    def _forget(self, user: str, waiter: asyncio.Future[None]) -> None:
        waiters = self._waiting.get(user)
        if waiters is not None and waiter in waiters:
            waiters.remove(waiter)
            if not waiters:
                del self._waiting[user]
