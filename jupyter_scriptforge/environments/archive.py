"""A built environment as a tar stream, for a team member's server to unpack beside its own
language server (the service's cache is not in any user's container)."""

from __future__ import annotations

import contextlib
import queue
import tarfile
import threading
from collections.abc import AsyncGenerator
from pathlib import Path

from .._async import run_blocking

_CHUNK_BYTES = 256 << 10
# Chunks written ahead of the reader: a slow client holds the writer, not memory.
_CHUNKS_AHEAD = 8
WRITER_THREAD = "scriptforge-environment-tar"
# Marks of the cache's own, not packages.
_LEFT_OUT = {".used", ".complete"}


class _ReaderGoneError(Exception):
    """The reader went away: the writer stops."""


class _ChunkWriter:
    """A write-only file object handing the tar's bytes over in chunks."""

    def __init__(self, chunks: queue.Queue[bytes | BaseException | None]) -> None:
        self._chunks = chunks
        self._pending = bytearray()
        self.stopped = threading.Event()

    def write(self, data: bytes) -> int:
        self._pending += data
        if len(self._pending) >= _CHUNK_BYTES:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self._pending:
            self._put(bytes(self._pending))
            self._pending.clear()

    def _put(self, item: bytes | BaseException | None) -> None:
        while not self.stopped.is_set():
            try:
                self._chunks.put(item, timeout=0.5)
                return
            except queue.Full:
                continue
        raise _ReaderGoneError

    def finish(self, error: BaseException | None = None) -> None:
        self.flush()
        self._put(error)


def _write_tar(folder: Path, writer: _ChunkWriter) -> None:
    try:
        with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:  # type: ignore[call-overload]
            for path in sorted(folder.iterdir()):
                if path.name not in _LEFT_OUT:
                    tar.add(path, arcname=path.name)
        writer.finish()
    except _ReaderGoneError:
        pass
    except BaseException as error:  # handed to the reader, raised there
        with contextlib.suppress(_ReaderGoneError):
            writer.finish(error)


async def tar_chunks(folder: Path) -> AsyncGenerator[bytes, None]:
    """The contents of ``folder`` as an uncompressed tar (paths relative to it), written in a
    thread and yielded chunk by chunk."""
    chunks: queue.Queue[bytes | BaseException | None] = queue.Queue(_CHUNKS_AHEAD)
    writer = _ChunkWriter(chunks)
    thread = threading.Thread(
        target=_write_tar, args=(folder, writer), name=WRITER_THREAD, daemon=True
    )
    thread.start()
    try:
        while True:
            item = await run_blocking(chunks.get)
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        writer.stopped.set()
        await run_blocking(thread.join)
