"""Where runs' artifacts are kept: one folder per run below the server's artifacts folder,
within a cap per run and in all, for a retention time.

A run's files arrive in ``.incoming-<run id>`` and are renamed to ``<run id>`` once whole,
so a crash mid-way leaves nothing a listing shows (the next sweep removes it). Above the
total cap the oldest runs' folders go first. Blocking throughout: callers use threads.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from ..errors import NotFound
from .unpack import Kept, unpack_output

log = logging.getLogger(__name__)

_INCOMING = ".incoming-"


@dataclass(frozen=True)
class Caps:
    run_bytes: int
    run_files: int
    total_bytes: int
    # 0: kept until the total cap needs the room.
    retention_days: float


@dataclass(frozen=True)
class Artifact:
    path: str
    size: int
    modified: datetime

    def to_dict(self) -> dict[str, object]:
        return {"path": self.path, "size": self.size, "modified": self.modified.isoformat()}


class Intake:
    """Receives one run's output archive (``receive``, given to the runner), then tells what
    was kept."""

    def __init__(self, folders: ArtifactFolders, run_id: int) -> None:
        self._folders = folders
        self.run_id = run_id
        self.kept = Kept()

    def receive(self, stream: BinaryIO) -> None:
        try:
            self.kept = self._folders.unpack(self.run_id, stream)
        except Exception:  # a run's outcome is its script's, whatever befalls its files
            log.exception("Could not keep the output files of run %s", self.run_id)
            self.kept = Kept()
            self.kept.leave_out("not kept: ScriptForge failed (see the server log)")

    @property
    def folder(self) -> Path | None:
        """The run's artifacts folder, if it kept any file."""
        return self._folders.folder_of(self.run_id) if self.kept.files else None


class ArtifactFolders:
    def __init__(self, root: Path, caps: Caps) -> None:
        self.root = root
        self.caps = caps
        # Each kept run's bytes and when it was kept: read from disk once, then kept up.
        self._index: dict[int, tuple[int, float]] | None = None
        self._lock = threading.Lock()

    def intake(self, run_id: int) -> Intake:
        """The intake of a run about to start (nothing is touched until it keeps files)."""
        return Intake(self, run_id)

    def unpack(self, run_id: int, stream: BinaryIO) -> Kept:
        """Keep the files of ``stream`` as run ``run_id``'s, then make room within the caps."""
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        incoming = self.root / f"{_INCOMING}{run_id}"
        shutil.rmtree(incoming, ignore_errors=True)
        # Readable by the runs of later group items it is mounted into (whatever the
        # server's umask); the root folder above stays closed.
        incoming.mkdir()
        incoming.chmod(0o755)
        try:
            kept = unpack_output(stream, incoming, self.caps.run_bytes, self.caps.run_files)
            if kept.files:
                # A folder of its id is another store's (the store was replaced).
                shutil.rmtree(self.root / str(run_id), ignore_errors=True)
                incoming.rename(self.root / str(run_id))
                with self._lock:
                    self._known()[run_id] = (kept.bytes, _now())
        finally:
            shutil.rmtree(incoming, ignore_errors=True)
        if kept.files:
            self.sweep()
        return kept

    def folder_of(self, run_id: int) -> Path | None:
        folder = self.root / str(run_id)
        return folder if folder.is_dir() else None

    def listing(self, run_id: int) -> list[Artifact]:
        """Run ``run_id``'s files, by name (none if it kept none, or they expired)."""
        folder = self.folder_of(run_id)
        if folder is None:
            return []
        found = []
        for top, _, names in os.walk(folder):
            for name in names:
                path = Path(top, name)
                try:
                    info = path.stat()
                except FileNotFoundError:
                    continue  # removed by a sweep meanwhile
                found.append(
                    Artifact(
                        path.relative_to(folder).as_posix(),
                        info.st_size,
                        datetime.fromtimestamp(info.st_mtime, UTC),
                    )
                )
        return sorted(found, key=lambda artifact: artifact.path)

    def file(self, run_id: int, name: str) -> Path:
        """The kept file ``name`` of run ``run_id``; NotFound for any other name."""
        folder = self.folder_of(run_id)
        relative = PurePosixPath(name)
        if (
            folder is None
            or relative.is_absolute()
            or not relative.parts
            or any(part in ("..", ".") for part in relative.parts)
        ):
            raise NotFound(f"Run {run_id} kept no file {name!r}.")
        path = folder.joinpath(*relative.parts)
        # Only what unpacking made is there: regular files and folders, no links.
        if not path.is_file() or path.is_symlink():
            raise NotFound(f"Run {run_id} kept no file {name!r}.")
        return path

    def sweep(self, now: float | None = None) -> list[int]:
        """Remove runs' folders older than the retention time, then the oldest ones until
        the rest fit the total cap, and what a crash left half-made. The removed run ids."""
        now = _now() if now is None else now
        with self._lock:
            known = self._known()
            order = sorted(known, key=lambda run: known[run][1])
            total = sum(size for size, _ in known.values())
            horizon = now - self.caps.retention_days * 86400
            removed = []
            for run in order:
                size, kept_at = known[run]
                expired = self.caps.retention_days > 0 and kept_at < horizon
                if not expired and total <= self.caps.total_bytes:
                    break
                removed.append(run)
                total -= size
                del known[run]
        for run in removed:
            self._remove(run)
        return removed

    def _remove(self, run_id: int) -> None:
        with self._lock:
            if self._index is not None:
                self._index.pop(run_id, None)
        shutil.rmtree(self.root / str(run_id), ignore_errors=True)

    def _known(self) -> dict[int, tuple[int, float]]:
        """The index, read from disk on first use (under the lock)."""
        if self._index is None:
            self._index = {}
            if self.root.is_dir():
                for entry in self.root.iterdir():
                    if entry.name.startswith(_INCOMING):
                        shutil.rmtree(entry, ignore_errors=True)
                    elif entry.name.isdigit() and entry.is_dir():
                        files = [path for path in entry.rglob("*") if path.is_file()]
                        size = sum(path.stat().st_size for path in files)
                        self._index[int(entry.name)] = (size, entry.stat().st_mtime)
        return self._index


def _now() -> float:
    return datetime.now(UTC).timestamp()
