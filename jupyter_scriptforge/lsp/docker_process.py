"""A language server for an interpreter only an image has: pylsp in a container of that
image (no network, the server root read-only at its own path, so document URIs need no
translation), its stdin and stdout through the engine's attach socket."""

from __future__ import annotations

import asyncio
import contextlib
import io
import socket
import struct
import tarfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import cast

import docker
from docker.errors import DockerException, NotFound
from requests.exceptions import RequestException

from .._async import run_blocking
from ..execution.docker_engine import open_api
from ..execution.runners.docker_attach import AttachSocket, hang_up
from .local_process import LAUNCH, SERVER_VARIABLES

TOOLS_IN_IMAGE = "/opt/scriptforge/language-tools"
EXECUTABLE_IN_IMAGE = "/usr/local/bin/scriptforge-python"
LANGUAGE_SERVER_LABEL = "org.jupyter.scriptforge.language-server"
_HEADER = struct.Struct(">BxxxL")  # the attach stream's frame: stream id, payload size
_MEMORY_BYTES = 512 * 2**20
_STOP_GRACE_SECONDS = 3
_REMOVAL_SECONDS = 10.0


class DockerServerProcess:
    def __init__(
        self, api: docker.APIClient, container: str, attached: AttachSocket, instance: str
    ) -> None:
        self._api = api
        self.container = container
        self.executable = EXECUTABLE_IN_IMAGE
        self._attached = attached
        self._raw = cast(socket.socket, getattr(attached, "_sock", attached))
        self._instance = instance
        self.reader = asyncio.StreamReader(limit=2**24)
        self.writer: asyncio.StreamWriter
        self._pump: asyncio.Task[None] | None = None
        self._exit_code: int | None = None

    @classmethod
    async def start(
        cls,
        image: str,
        root_dir: Path,
        instance: str,
        docker_url: str | None = None,
        packages_dir: Path | None = None,
    ) -> DockerServerProcess:
        api = await run_blocking(open_api, docker_url)
        container, attached = await run_blocking(
            _create_attached, api, image, root_dir, instance, packages_dir
        )
        process = cls(api, container, attached, instance)
        await process._connect()
        return process

    async def _connect(self) -> None:
        self._raw.setblocking(False)
        frames, self.writer = await asyncio.open_connection(sock=self._raw, limit=2**24)
        self._pump = asyncio.ensure_future(self._demultiplex(frames))

    async def _demultiplex(self, frames: asyncio.StreamReader) -> None:
        """stdout's payload to ``reader`` (stderr is not attached)."""
        try:
            while True:
                header = await frames.readexactly(_HEADER.size)
                stream, size = _HEADER.unpack(header)
                payload = await frames.readexactly(size)
                if stream == 1:
                    self.reader.feed_data(payload)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self.reader.feed_eof()

    @property
    def where(self) -> str:
        return f"container {self.container[:12]}"

    async def exited(self) -> int:
        if self._exit_code is None:
            try:
                result = await run_blocking(self._api.wait, self.container)
                self._exit_code = int(result.get("StatusCode", -1))
            except (DockerException, RequestException):
                self._exit_code = -1  # removed meanwhile
        return self._exit_code

    async def stop(self) -> None:
        """TERM, wait, KILL (the engine's stop), then the container is removed."""
        with contextlib.suppress(Exception):
            self.writer.close()
        hang_up(self._attached)
        await run_blocking(_stop_and_remove, self._api, self.container)
        if self._pump is not None:
            self._pump.cancel()

    def memory_bytes(self) -> int | None:
        return _cgroup_memory(self.container)

    async def read_file(self, path: str, limit: int) -> bytes:
        return await run_blocking(_read_from_container, self._api, self.container, path, limit)


def _create_attached(
    api: docker.APIClient,
    image: str,
    root_dir: Path,
    instance: str,
    packages_dir: Path | None = None,
) -> tuple[str, AttachSocket]:
    root = str(root_dir.resolve())
    binds: dict[str, Mapping[str, str]] = {root: {"bind": root, "mode": "ro"}}
    if packages_dir is not None and packages_dir.is_dir():
        # Scripts' installed dependencies, where jedi's extra_paths name them.
        packages = str(packages_dir.resolve())
        binds[packages] = {"bind": packages, "mode": "ro"}
    host_config = api.create_host_config(
        binds=binds,
        network_mode="none",
        read_only=True,
        tmpfs={"/tmp": "size=64m,mode=1777"},  # noqa: S108 (the container's own)
        mem_limit=_MEMORY_BYTES,
        memswap_limit=_MEMORY_BYTES,
        cap_drop=["ALL"],
        security_opt=["no-new-privileges"],
        init=True,  # reaps jedi's helper processes
        auto_remove=True,
    )
    created = api.create_container(
        image,
        command=[EXECUTABLE_IN_IMAGE, "-I", "-c", LAUNCH, TOOLS_IN_IMAGE],
        user="1000:1000",
        working_dir=root,
        labels={LANGUAGE_SERVER_LABEL: instance},
        # jedi keeps its cache under the home folder: on the read-only root, in /tmp.
        environment={"HOME": "/tmp", "XDG_CACHE_HOME": "/tmp/.cache", **SERVER_VARIABLES},  # noqa: S108
        # StdinOnce too: when our attach connection ends (even by a kill of this server),
        # pylsp reads the end of its input and exits, and the container goes.
        stdin_open=True,
        host_config=host_config,
        network_disabled=True,
        use_config_proxy=False,
    )
    container = str(created["Id"])
    attached = api.attach_socket(container, params={"stdin": 1, "stdout": 1, "stream": 1})
    cast(socket.socket, getattr(attached, "_sock", attached)).settimeout(None)
    try:
        api.start(container)
    except (DockerException, RequestException):
        hang_up(attached)
        with contextlib.suppress(DockerException, RequestException):
            api.remove_container(container, force=True)
        raise
    return container, attached


def _stop_and_remove(api: docker.APIClient, container: str) -> None:
    """Blocking: returns once the container is gone (the engine removes it by itself, as it
    was created with auto-remove; this waits for that, or removes it if it lingers)."""
    with contextlib.suppress(DockerException, RequestException):
        api.stop(container, timeout=_STOP_GRACE_SECONDS)
    deadline = time.monotonic() + _REMOVAL_SECONDS
    while time.monotonic() < deadline:
        try:
            api.inspect_container(container)
        except NotFound:
            return
        except (DockerException, RequestException):
            break
        time.sleep(0.05)
    with contextlib.suppress(DockerException, RequestException):
        api.remove_container(container, force=True)


def _read_from_container(api: docker.APIClient, container: str, path: str, limit: int) -> bytes:
    """Blocking: a regular file of the running container, through the engine's archive."""
    try:
        chunks, info = api.get_archive(container, path)
    except NotFound:
        raise FileNotFoundError(f"{path} is not in the container") from None
    except (DockerException, RequestException) as error:
        raise OSError(f"{path} could not be read from the container: {error}") from None
    if int(info.get("size", 0)) > limit:
        chunks.close()
        raise ValueError(f"{path} is larger than {limit} bytes")
    with tarfile.open(fileobj=io.BytesIO(b"".join(chunks))) as archive:
        member = archive.next()
        extracted = archive.extractfile(member) if member is not None and member.isfile() else None
        if extracted is None:
            raise OSError(f"{path} is not a regular file")
        return extracted.read(limit + 1)[:limit]


def _cgroup_memory(container: str) -> int | None:
    """The container's memory use as ``docker stats`` gives it (usage less the inactive
    file cache), read from its cgroup: the engine's stats take a second."""
    for folder, usage, stat, inactive in (
        # v2 under systemd, v2 with cgroupfs, v1
        (
            f"system.slice/docker-{container}.scope",
            "memory.current",
            "memory.stat",
            "inactive_file",
        ),
        (f"docker/{container}", "memory.current", "memory.stat", "inactive_file"),
        (
            f"memory/docker/{container}",
            "memory.usage_in_bytes",
            "memory.stat",
            "total_inactive_file",
        ),
    ):
        base = Path("/sys/fs/cgroup") / folder
        with contextlib.suppress(OSError, ValueError):
            used = int((base / usage).read_text())
            return used - _stat_value(base / stat, inactive)
    return None


def _stat_value(path: Path, key: str) -> int:
    with contextlib.suppress(OSError, ValueError):
        for line in path.read_text().splitlines():
            name, _, value = line.partition(" ")
            if name == key:
                return int(value)
    return 0
