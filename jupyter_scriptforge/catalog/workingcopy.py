"""Working copies: each script's real file under the server root, read and written safely."""

import contextlib
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from . import naming


@dataclass(frozen=True)
class FileState:
    data: bytes
    sha256: bytes


class WorkingCopies:
    """Paths and file operations below ``root/scripts_dir``."""

    def __init__(self, root_dir: Path, scripts_dir: str) -> None:
        self.root_dir = root_dir.resolve()
        self.scripts_dir = scripts_dir.strip("/")
        self.base = (self.root_dir / self.scripts_dir).resolve()

    def path_of(self, folder: str, name: str) -> Path:
        return self.base / naming.relative_file(folder, name)

    def api_path_of(self, folder: str, name: str) -> str:
        """The path JupyterLab uses for the file: relative to the server root, with ``/``."""
        return str(PurePosixPath(self.scripts_dir, naming.relative_file(folder, name)))

    def locate(self, os_path: str | Path) -> tuple[str, str] | None:
        """(folder, name) of a file that is a script's working copy by its place, else None."""
        path = Path(os_path).resolve()
        try:
            relative = path.relative_to(self.base)
        except ValueError:
            return None
        return naming.parse_relative_file(PurePosixPath(relative.as_posix()))

    def read(self, path: Path) -> FileState | None:
        try:
            data = path.read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None
        return FileState(data, hashlib.sha256(data).digest())

    def write(self, path: Path, data: bytes) -> bytes:
        """Write atomically (a reader sees the old or the new file, never half) → sha256.

        No fsync: the store holds every version, and a copy cut short by a power loss
        differs from its recorded hash, so it is snapshotted, not trusted.
        """
        self._write_atomically(path, data, unless_changed_from=None)
        return hashlib.sha256(data).digest()

    def replace_if_unchanged(self, path: Path, expected_sha256: bytes, data: bytes) -> bool:
        """Write ``data`` over the file only if it still has ``expected_sha256``.

        The check runs again just before the rename, so the window in which an editor's
        save could slip in is a few microseconds, not the time it takes to write.
        """
        state = self.read(path)
        if state is None or state.sha256 != expected_sha256:
            return False
        return self._write_atomically(path, data, unless_changed_from=expected_sha256)

    def _write_atomically(self, path: Path, data: bytes, unless_changed_from: bytes | None) -> bool:
        """A temporary file renamed over ``path``; not renamed if the file changed meanwhile."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            if unless_changed_from is not None:
                current = self.read(path)
                if current is None or current.sha256 != unless_changed_from:
                    os.unlink(tmp)
                    return False
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        return True

    def move(self, source: Path, target: Path) -> bool:
        """Move a working copy; False when there was none to move."""
        if not source.exists():
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
        return True

    def remove(self, path: Path) -> None:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()

    def all_files(self) -> list[Path]:
        if not self.base.is_dir():
            return []
        return sorted(
            path
            for path in self.base.rglob("*.py")
            if path.is_file() and self.locate(path) is not None
        )
