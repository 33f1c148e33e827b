"""A language server on this machine: a process group of its own, stopped as a whole."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import stat
from pathlib import Path

from .._async import run_blocking

# pylsp from the interpreter's tools folder (lsp/tools.py); -I keeps the server's
# PYTHONPATH and user site out, so what jedi sees is the interpreter's own environment.
LAUNCH = (
    "import sys; sys.path.insert(0, sys.argv.pop(1)); sys.argv[0] = 'pylsp'; "
    "from pylsp.__main__ import main; main()"
)
# What a language server inherits from the server's environment: none of its secrets.
_KEPT_VARIABLES = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR")
# A PyPy server collects once its heap grows by 30%, not 82%: idle at ~125 MiB, not
# ~155 (bench_lsp.py). Its young generation is 4 MiB, whatever the processor: PyPy sizes
# it from the largest cache, and a machine reporting a 480 MiB L3 gave each of pylsp and
# jedi's process ~320 MiB (2026-12-03). CPython ignores both.
SERVER_VARIABLES = {"PYPY_GC_MAJOR_COLLECT": "1.3", "PYPY_GC_NURSERY": "4M"}
STOP_GRACE_SECONDS = 3.0


class LocalServerProcess:
    """pylsp on ``interpreter``, run from ``tools``; its stdin and stdout are the stream."""

    def __init__(self, process: asyncio.subprocess.Process, executable: str) -> None:
        self._process = process
        self.executable = executable
        self.pid = process.pid
        assert process.stdout is not None
        assert process.stdin is not None
        self.reader: asyncio.StreamReader = process.stdout
        self.writer = process.stdin

    @classmethod
    async def start(cls, interpreter: str, tools: Path, cwd: Path) -> LocalServerProcess:
        environment = {name: os.environ[name] for name in _KEPT_VARIABLES if name in os.environ}
        environment.update(SERVER_VARIABLES)
        process = await asyncio.create_subprocess_exec(
            interpreter,
            "-I",
            "-c",
            LAUNCH,
            str(tools),
            "--check-parent-process",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            cwd=cwd,
            env=environment,
            start_new_session=True,  # its own process group: jedi's helpers stop with it
            limit=2**24,
        )
        return cls(process, interpreter)

    @property
    def where(self) -> str:
        return f"pid {self.pid}"

    async def exited(self) -> int:
        return await self._process.wait()

    def returncode(self) -> int | None:
        return self._process.returncode

    async def stop(self) -> None:
        """TERM the whole group, wait, then KILL it; the process is reaped either way."""
        with contextlib.suppress(Exception):
            self.writer.close()
        if self._process.returncode is None:
            _signal_group(self.pid, signal.SIGTERM)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._process.wait(), STOP_GRACE_SECONDS)
        # The leader may be gone while a helper of its group lives on.
        _signal_group(self.pid, signal.SIGKILL)
        await self._process.wait()

    def memory_bytes(self) -> int | None:
        """Resident memory of the group (pylsp and jedi's helper processes)."""
        return group_rss(self.pid)

    async def read_file(self, path: str, limit: int) -> bytes:
        return await run_blocking(read_capped, Path(path), limit)


def read_capped(path: Path, limit: int) -> bytes:
    """A regular file's bytes; ValueError past ``limit``."""
    with path.open("rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            raise OSError(f"{path} is not a regular file")
        data = file.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"{path} is larger than {limit} bytes")
    return data


def _signal_group(group: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signum)


def group_rss(group: int, proc: Path = Path("/proc")) -> int | None:
    total, found = 0, False
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) != group:  # pgrp, after state and ppid
                continue
            status = (entry / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
                found = True
    return total if found else None
