"""Finding and killing what a run left behind, by the user id it ran as."""

import os
import signal
from collections.abc import Collection, Iterator
from pathlib import Path

_ROUNDS = 50


def processes_of(uids: Collection[int], proc: Path = Path("/proc")) -> list[int]:
    """Pids of the live processes whose real user id is one of ``uids``."""
    return [pid for pid, status in _statuses(proc) if _field(status, "Uid") in uids]


def tasks_of_user(uid: int, proc: Path = Path("/proc")) -> int:
    """How many tasks (processes and threads, what ``RLIMIT_NPROC`` counts) ``uid`` has."""
    return sum(
        _field(status, "Threads") for _, status in _statuses(proc) if _field(status, "Uid") == uid
    )


def _statuses(proc: Path) -> Iterator[tuple[int, str]]:
    """Each live process and its ``status`` file (a snapshot: processes come and go)."""
    for entry in proc.iterdir():
        if entry.name.isdigit():
            try:
                yield int(entry.name), (entry / "status").read_text()
            except OSError:
                continue  # gone meanwhile


def _field(status: str, name: str) -> int:
    """The first number of a ``status`` line (``Uid:`` gives the real user id)."""
    for line in status.splitlines():
        if line.startswith(f"{name}:"):
            return int(line.split()[1])
    return -1


def kill_user_processes(uids: Collection[int]) -> int:
    """SIGKILL every process of ``uids`` until none is left; returns how many were killed.

    Repeats because a process that forks while we scan adds children we did not see.
    Blocking: call it through ``run_blocking``.
    """
    if not uids:
        return 0
    killed = 0
    for _ in range(_ROUNDS):
        pids = processes_of(set(uids))
        if not pids:
            break
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
                killed += 1
            except ProcessLookupError:
                pass
    return killed
