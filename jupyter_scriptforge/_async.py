"""The one seam through which blocking work leaves the event loop."""

from collections.abc import Callable
from functools import partial
from typing import ParamSpec, TypeVar

import anyio.to_thread

P = ParamSpec("P")
T = TypeVar("T")


async def run_blocking(func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a blocking call (database, file system, Docker SDK) in a worker thread."""
    return await anyio.to_thread.run_sync(partial(func, *args, **kwargs))
