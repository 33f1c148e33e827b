"""Finding and killing what a run left behind, by the user id it ran as."""

import os
import signal
from collections.abc import Collection
from pathlib import Path

_ROUNDS = 50


def processes_of(uids: Collection[int], proc: Path = Path("/proc")) -> list[int]:
    """Pids of the live processes whose real user id is one of ``uids``."""
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue  # gone meanwhile
        for line in status.splitlines():
            if line.startswith("Uid:"):
                if int(line.split()[1]) in uids:
                    found.append(int(entry.name))
                break
    return found


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
