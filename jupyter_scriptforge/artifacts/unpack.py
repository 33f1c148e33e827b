"""Unpacking what a run left in its output folder: an untrusted tar stream, into a folder of
the server's, within the caps.

The archive comes from inside the sandbox (inside/output.py), where the script could have
written anything in its place. So only regular files with plain relative names are kept,
each created afresh (never through a link), as long as they fit the caps; anything else is
left out and counted. A cut-off archive (the file size limit, a killed packer) keeps the
whole files before the cut.
"""

from __future__ import annotations

import os
import shutil
import tarfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, BinaryIO

# Deeper or longer names are no report a user wants; they are left out.
_MAX_DEPTH = 16
_MAX_NAME_CHARS = 255
_COPY_CHUNK = 1 << 20


@dataclass
class Kept:
    """What an unpacking kept, and what it left out and why (for the run's output)."""

    files: int = 0
    bytes: int = 0
    left_out: dict[str, int] = field(default_factory=dict)

    def leave_out(self, reason: str) -> None:
        self.left_out[reason] = self.left_out.get(reason, 0) + 1

    def note(self) -> str | None:
        """One line for the run's output when something was left out, else None."""
        if not self.left_out:
            return None
        reasons = "; ".join(f"{count} {reason}" for reason, count in self.left_out.items())
        return f"Kept {self.files} output file(s), {_size(self.bytes)}; left out: {reasons}."


def unpack_output(stream: BinaryIO, folder: Path, max_bytes: int, max_files: int) -> Kept:
    """Unpack the regular files of the tar ``stream`` below ``folder`` (made if need be),
    at most ``max_files`` of them and ``max_bytes`` together. Blocking."""
    kept = Kept()
    try:
        archive = tarfile.open(fileobj=stream, mode="r|")  # noqa: SIM115 - closed below
    except tarfile.ReadError:
        return kept  # empty: the folder was empty, or the run was killed before packing
    with archive:
        try:
            for member in archive:
                name = _plain_name(member)
                if name is None:
                    kept.leave_out("not plain files")
                elif kept.files >= max_files:
                    kept.leave_out(f"over {max_files} files")
                elif kept.bytes + member.size > max_bytes:
                    kept.leave_out(f"over {_size(max_bytes)} in all")
                else:
                    source = archive.extractfile(member)
                    assert source is not None  # a regular file's
                    if _write_new(folder, name, source, member.size):
                        kept.files += 1
                        kept.bytes += member.size
                    else:
                        kept.leave_out("named twice")
        except (tarfile.TarError, EOFError, OSError):
            kept.leave_out("cut off (the run's file size limit?)")
    return kept


def _plain_name(member: tarfile.TarInfo) -> PurePosixPath | None:
    """The member's relative name if it is a regular file named plainly, else None."""
    if not member.isreg():
        return None
    path = PurePosixPath(member.name)
    parts = [part for part in path.parts if part != "."]
    if (
        path.is_absolute()
        or not parts
        or ".." in parts
        or len(parts) > _MAX_DEPTH
        or any(len(part) > _MAX_NAME_CHARS or "\0" in part for part in parts)
    ):
        return None
    return PurePosixPath(*parts)


def _write_new(folder: Path, name: PurePosixPath, source: IO[bytes], size: int) -> bool:
    """Copy ``source`` to a new file ``folder/name``; False if the name is taken (by a
    file, or a folder the archive made). A partial copy is removed before the error rises."""
    target = folder.joinpath(*name.parts)
    try:
        # Folders the server makes itself: nothing on the way can be a link.
        for parent in reversed(name.parents[:-1]):
            made = folder.joinpath(*parent.parts)
            if not made.is_dir():
                made.mkdir()
                made.chmod(0o755)  # whatever the server's umask: later items read them
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    except (FileExistsError, NotADirectoryError):
        return False
    os.fchmod(fd, 0o644)
    try:
        with os.fdopen(fd, "wb") as file:
            shutil.copyfileobj(source, file, _COPY_CHUNK)
            if file.tell() != size:
                raise EOFError("the archive ended inside a file")
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return True


def _size(count: int) -> str:
    if count < 1 << 20:
        return f"{count / 1024:.0f} KiB" if count >= 1024 else f"{count} bytes"
    return f"{count / (1 << 20):.1f} MiB"
