"""The process table as the lifecycle tests see it."""

from __future__ import annotations

import os
from pathlib import Path


def _stat(pid: str) -> tuple[str, int, int] | None:
    """(state, ppid, pgrp) of a process, None if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return fields[0], int(fields[1]), int(fields[2])


def children_of(parent: int | None = None) -> dict[int, str]:
    """pid → state of every direct child of ``parent`` (this process by default)."""
    parent = os.getpid() if parent is None else parent
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _stat(entry)
            if stat is not None and stat[1] == parent:
                found[int(entry)] = stat[0]
    return found


def zombies_of(parent: int | None = None) -> list[int]:
    return [pid for pid, state in children_of(parent).items() if state == "Z"]


def alive(pid: int) -> bool:
    stat = _stat(str(pid))
    return stat is not None and stat[0] != "Z"


def group_members(group: int) -> list[int]:
    """Live processes of a process group. (One that died after its parent is reaped by
    pid 1, not by us: how soon is up to the machine's init.)"""
    return [
        int(entry)
        for entry in os.listdir("/proc")
        if entry.isdigit()
        and (stat := _stat(entry)) is not None
        and stat[2] == group
        and stat[0] != "Z"
    ]


def command_lines(match: str) -> list[int]:
    """Pids whose command line contains ``match``."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                line = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ")
            except OSError:
                continue
            if match.encode() in line:
                found.append(int(entry))
    return found
