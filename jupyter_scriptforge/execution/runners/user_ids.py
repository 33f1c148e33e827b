"""The user ids the bwrap sandbox lends to runs (as root): one per concurrent run, from a
range of its own per server, away from the ids of real accounts."""

from __future__ import annotations

import zlib

from .base import RunnerUnavailableError

# User ids the bwrap sandbox may lend, from the first one on: more than runs ever overlap.
UID_RANGE = 1024


def uid_range_of(instance: str) -> int:
    """The first sandbox user id of a server, from its instance name: 100000 up to 4.3 M,
    away from the ids of real accounts."""
    return 100_000 + (zlib.crc32(instance.encode()) % 4096) * UID_RANGE


class UserIds:
    """Unprivileged user ids lent to runs, one per concurrent run."""

    def __init__(self, first: int) -> None:
        self._first = first
        self._free: list[int] = []
        self._next = first

    def take(self) -> int:
        if self._free:
            return self._free.pop()
        if self._next >= self._first + UID_RANGE:
            raise RunnerUnavailableError(f"All {UID_RANGE} sandbox user ids are in use.")
        uid = self._next
        self._next += 1
        return uid

    def give_back(self, uid: int) -> None:
        self._free.append(uid)

    def all_lendable(self) -> range:
        return range(self._first, self._first + UID_RANGE)
