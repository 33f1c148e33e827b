"""The one seam through which blocking work leaves the event loop, and a timed wait."""

import asyncio
import contextlib
import contextvars
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

# Threads of ScriptForge's own, as many as AnyIO's default limiter allowed. Not AnyIO's:
# its idle workers outlive an event loop stopped by a signal and keep the process from
# exiting (the team's service, stopped by its hub with SIGINT, hung until killed). Not the
# loop's default executor, which other extensions fill too. Idle workers here end at exit.
_WORKERS = ThreadPoolExecutor(40, thread_name_prefix="scriptforge-blocking")


async def run_blocking(func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a blocking call (database, file system, Docker SDK) in a worker thread.

    A cancelled caller stops waiting at once (a timeout around the call holds); the call
    itself runs to its end in its thread.
    """
    call = partial(contextvars.copy_context().run, func, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(_WORKERS, call)


async def set_within(event: asyncio.Event, seconds: float) -> bool:
    """Wait up to ``seconds`` for ``event``; whether it is set."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(event.wait(), seconds)
    return event.is_set()


def once(action: Callable[[], Awaitable[None]]) -> Callable[[], Awaitable[None]]:
    """``action`` run by the first call alone; later calls wait for that run (a server
    stopped by SIGINT and then SIGTERM cleans up twice at once otherwise)."""
    started: list[asyncio.Future[None]] = []

    async def run() -> None:
        if not started:
            started.append(asyncio.ensure_future(action()))
        await asyncio.shield(started[0])

    return run
