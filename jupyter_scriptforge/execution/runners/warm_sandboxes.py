"""The local runner's warm sandboxes: bubblewrap sandboxes started before their run.

A warm sandbox has everything of a run but the run: its namespaces, its view of the files,
its user id, and the interpreter started with the launcher imported, waiting on stdin
(inside/launch.py, ``_wait_for_run``). A run taken by one costs a pipe write instead of
bubblewrap's set-up and an interpreter start. They are kept per kind (interpreter, runtime
policy or not, size of the working folder), for the few kinds run lately: a kind not run
for a while has its sandboxes thrown away.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from .warm_pool import WarmPool

# Kinds kept warm at once, and how long one stays warm without a run.
_KINDS = 4
_IDLE_SECONDS = 900.0
# How long a warm sandbox thrown away may take to end before it is killed.
_DISCARD_SECONDS = 5.0


@dataclass(frozen=True)
class SandboxKind:
    """What a warm sandbox was started with, so what runs it suits."""

    executable: str
    policy: bool
    tmp_bytes: int
    # The folder of declared packages it holds, on its import path from its start.
    packages: str | None = None


@dataclass(frozen=True)
class WarmSandbox:
    """A started sandbox waiting for a run of its kind: bwrap's process (its stdin is the
    launcher's), the user id lent to it (none in a user namespace), its peak report's
    descriptor."""

    kind: SandboxKind
    process: subprocess.Popen[bytes]
    uid: int | None
    report_fd: int


class WarmSandboxes:
    """Up to ``size`` warm sandboxes per kind, for the kinds run lately."""

    def __init__(
        self,
        size: int,
        create: Callable[[SandboxKind], Awaitable[WarmSandbox]],
        discard: Callable[[WarmSandbox], Awaitable[None]],
    ) -> None:
        self.size = size
        self._create = create
        self._discard = discard
        # By kind, least recently used first; and when each was last used.
        self._pools: dict[SandboxKind, WarmPool[WarmSandbox]] = {}
        self._used_at: dict[SandboxKind, float] = {}
        self._closing: set[asyncio.Task[None]] = set()
        self._idle_check: asyncio.TimerHandle | None = None

    def take(self, kind: SandboxKind) -> WarmSandbox | None:
        """A waiting sandbox of ``kind``, now the caller's; None if none is ready. Either
        way the kind's pool refills in the background."""
        return self._pool(kind).take()

    def warm(self, kind: SandboxKind) -> None:
        """Start filling the pool of ``kind`` before its first run."""
        self._pool(kind).refill()

    def _pool(self, kind: SandboxKind) -> WarmPool[WarmSandbox]:
        """The pool of ``kind``, now the most recently used; the least recently used
        beyond the few kept is thrown away."""
        now = time.monotonic()
        pool = self._pools.pop(kind, None)
        if pool is None:
            pool = WarmPool(kind.executable, self.size, lambda: self._create(kind), self._discard)
        self._pools[kind] = pool
        self._used_at[kind] = now
        while len(self._pools) > _KINDS:
            self._retire(next(iter(self._pools)))
        if self._idle_check is None:
            self._idle_check = asyncio.get_running_loop().call_later(
                _IDLE_SECONDS, self._retire_idle
            )
        return pool

    def _retire_idle(self) -> None:
        """Throw away the pools of kinds unused for ``_IDLE_SECONDS``; look again later
        while any pool is left."""
        now = time.monotonic()
        for kind in [k for k, used in self._used_at.items() if now - used >= _IDLE_SECONDS]:
            self._retire(kind)
        self._idle_check = None
        if self._pools:
            oldest = min(self._used_at.values())
            self._idle_check = asyncio.get_running_loop().call_later(
                oldest + _IDLE_SECONDS - now, self._retire_idle
            )

    def waiting(self) -> list[WarmSandbox]:
        """The sandboxes ready now (tests tell their processes from a run's leftovers)."""
        return [sandbox for pool in self._pools.values() for sandbox in pool.items()]

    async def filled(self) -> None:
        """Wait for the sandboxes being started now (tests, benchmarks)."""
        await asyncio.gather(*(pool.filled() for pool in self._pools.values()))

    async def close(self) -> None:
        if self._idle_check is not None:
            self._idle_check.cancel()
            self._idle_check = None
        for kind in list(self._pools):
            self._retire(kind)
        while self._closing:
            await asyncio.gather(*self._closing, return_exceptions=True)

    def _retire(self, kind: SandboxKind) -> None:
        pool = self._pools.pop(kind)
        del self._used_at[kind]
        task = asyncio.create_task(pool.close())
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)


def run_message(argv: list[str], env: dict[str, str], content: str) -> bytes:
    """A run for a warm sandbox's launcher (inside/launch.py, ``_wait_for_run``)."""
    fields = [*argv, *(f"{name}={value}" for name, value in env.items())]
    head = [str(len(argv)), str(len(env)), *fields]
    return b"\0".join([*(os.fsencode(field) for field in head), content.encode()])


def hand_over(process: subprocess.Popen[bytes], message: bytes) -> None:
    """Blocking: the launcher reads as it is written, so a long script may fill the pipe."""
    assert process.stdin is not None
    try:
        process.stdin.write(message)
    finally:
        process.stdin.close()


def end_warm(process: subprocess.Popen[bytes]) -> None:
    """Blocking: close a waiting launcher's stdin, so it exits; kill what will not."""
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
    try:
        process.wait(_DISCARD_SECONDS)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
