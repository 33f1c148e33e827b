"""The folder of built environments: one sub-folder per (interpreter, pins), shared by every
script and version that needs the same set, built once, never changed after.

A build goes to a staging folder (``.<key>-…``) renamed into place when whole, so a kill
mid-build leaves no environment a run could take for complete; staging folders are removed
at start. Above ``cap_bytes``, the least recently used environments go first, never one
that a run is using.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

# Touched when an environment is used: its time orders the evictions.
_USED = ".used"
_COMPLETE = ".complete"
_TOUCH_SECONDS = 60.0


@dataclass(frozen=True)
class CachedEnvironment:
    key: str
    size_bytes: int
    last_used: float
    in_use: bool

    def to_json(self) -> dict[str, object]:
        return {
            "key": self.key,
            "size_bytes": self.size_bytes,
            "last_used": self.last_used,
            "in_use": self.in_use,
        }


def environment_key(target: str, pins: list[str]) -> str:
    """The folder name of ``pins`` installed for ``target`` (an interpreter's kind)."""
    digest = hashlib.sha256("\n".join([target, *sorted(pins)]).encode()).hexdigest()[:16]
    return f"{target}-{digest}"


class EnvironmentCache:
    def __init__(self, folder: Path, cap_bytes: int) -> None:
        self.folder = folder
        self.cap_bytes = cap_bytes
        self._building: dict[str, asyncio.Future[None]] = {}
        self._in_use: Counter[str] = Counter()
        self._touched: dict[str, float] = {}

    def prepare_folder(self) -> None:
        """Create the folder; remove what builds cut off left (blocking)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        os.chmod(self.folder, 0o755)  # noqa: S103 - the runs' users read it
        for entry in self.folder.iterdir():
            if entry.name.startswith("."):
                shutil.rmtree(entry, ignore_errors=True)

    def path_of(self, key: str) -> Path:
        return self.folder / key

    def is_built(self, key: str) -> bool:
        return (self.path_of(key) / _COMPLETE).exists()

    def is_building(self, key: str) -> bool:
        return key in self._building

    async def ensure(self, key: str, build: Callable[[Path], Awaitable[None]]) -> bool:
        """Make sure ``key`` is built, by ``build(staging folder)`` unless it is already or
        another caller is building it (then wait for that one). True if this call built it."""
        if self.is_built(key):
            return False
        running = self._building.get(key)
        if running is not None:
            await asyncio.shield(running)
            return False
        future = asyncio.get_running_loop().create_future()
        self._building[key] = future
        try:
            await self._build(key, build)
            future.set_result(None)
        except BaseException as error:
            future.set_exception(error)
            future.exception()  # retrieved: a failure no one waited for is not logged
            raise
        finally:
            del self._building[key]
        await asyncio.to_thread(self.evict)
        return True

    async def _build(self, key: str, build: Callable[[Path], Awaitable[None]]) -> None:
        await asyncio.to_thread(self.folder.mkdir, parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=self.folder))
        try:
            await build(staging)
            await asyncio.to_thread(_complete, staging, self.path_of(key))
        finally:
            await asyncio.to_thread(shutil.rmtree, staging, True)

    @contextlib.contextmanager
    def using(self, key: str) -> Iterator[Path]:
        """Hold ``key`` for a run: it is not evicted meanwhile."""
        self._in_use[key] += 1
        # When it was last used orders evictions; a minute is fine enough, and spares a
        # write to every run.
        now = time.monotonic()
        if now - self._touched.get(key, -_TOUCH_SECONDS) >= _TOUCH_SECONDS:
            self._touched[key] = now
            with contextlib.suppress(OSError):
                (self.path_of(key) / _USED).touch()
        try:
            yield self.path_of(key)
        finally:
            self._in_use[key] -= 1
            if not self._in_use[key]:
                del self._in_use[key]

    def listing(self) -> list[CachedEnvironment]:
        """The built environments, most recently used first (blocking)."""
        found = []
        with contextlib.suppress(FileNotFoundError):
            for entry in self.folder.iterdir():
                if entry.name.startswith(".") or not (entry / _COMPLETE).exists():
                    continue
                found.append(
                    CachedEnvironment(
                        entry.name,
                        _size(entry),
                        _mtime(entry / _USED),
                        entry.name in self._in_use,
                    )
                )
        return sorted(found, key=lambda e: e.last_used, reverse=True)

    def evict(self) -> list[str]:
        """Remove the least recently used environments not in use until the cache fits its
        cap (blocking). The names removed."""
        cached = self.listing()
        total = sum(e.size_bytes for e in cached)
        removed = []
        for entry in reversed(cached):
            if total <= self.cap_bytes:
                break
            if entry.in_use or entry.key in self._building:
                continue
            # Out of sight first (a rename is atomic), then removed.
            doomed = self.folder / f".evicted-{entry.key}-{time.monotonic_ns()}"
            try:
                self.path_of(entry.key).rename(doomed)
            except OSError:
                continue
            shutil.rmtree(doomed, ignore_errors=True)
            total -= entry.size_bytes
            removed.append(entry.key)
        return removed


def _complete(staging: Path, target: Path) -> None:
    for folder, _, files in os.walk(staging):
        os.chmod(folder, 0o755)  # noqa: S103 - read by the runs' users
        for name in files:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                os.chmod(path, 0o755 if os.access(path, os.X_OK) else 0o644)
    (staging / _COMPLETE).touch()
    (staging / _USED).touch()
    try:
        staging.rename(target)
    except OSError:
        if not (target / _COMPLETE).exists():  # another server built it meanwhile
            raise


def _size(folder: Path) -> int:
    total = 0
    for root, _, files in os.walk(folder):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(root, name)).st_size
    return total


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
