"""A finished run's output folder, out of its container: packed by ``docker exec``.

The folder is on the container's tmpfs, which the engine's archive API does not see and
which ends with the container: the container's program waits after the script (see
inside/container.py) while a second process in it writes the folder as a tar archive to its
stdout. Blocking, run on the runner's threads.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator, Sequence
from typing import Any, BinaryIO, cast

import docker
from docker.errors import DockerException
from docker.utils.socket import STDOUT, frames_iter
from requests.exceptions import RequestException

from .docker_attach import hang_up

log = logging.getLogger(__name__)


def pack_output(
    api: docker.APIClient,
    container: str,
    command: Sequence[str],
    user: str,
    keep: Callable[[BinaryIO], None],
) -> None:
    """Run ``command`` (which writes the archive to stdout) in ``container`` as ``user``,
    and hand its stdout to ``keep``."""
    try:
        run = api.exec_create(container, list(command), user=user)
        sock = api.exec_start(run["Id"], socket=True)
        try:
            frames = frames_iter(sock, tty=False)  # type: ignore[no-untyped-call]
            stdout = (data for stream_id, data in frames if stream_id == STDOUT and data)
            with io.BufferedReader(_Chunks(stdout), 1 << 16) as stream:
                keep(cast(BinaryIO, stream))
        finally:
            hang_up(sock)
    except (DockerException, RequestException) as error:
        log.warning("Could not pack the output of container %s: %s", container[:12], error)


class _Chunks(io.RawIOBase):
    """A readable stream of the byte chunks an iterator yields."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._left = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._left:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._left = chunk
        size = min(len(buffer), len(self._left))
        buffer[:size] = self._left[:size]
        self._left = self._left[size:]
        return size
