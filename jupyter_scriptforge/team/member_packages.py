"""Scripts' declared packages for the language server in a team member's container.

The service builds a version's environment in its own cache, which no user's container
holds. Once the editor hears that an environment is ready (the service's answer to
``GET scripts/{id}/dependencies``, passing through this server), the environment is fetched
from the service as this user — so only for scripts the user may read — unpacked under the
user's home, and given to the container's language server (jedi's ``extra_paths``)."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import shutil
import tarfile
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlencode

from tornado.httpclient import AsyncHTTPClient

from .._async import run_blocking
from .service_client import ServiceClient

log = logging.getLogger(__name__)

# Environments kept under the user's home; the least recently fetched go first.
_KEPT = 16


class MemberPackages:
    def __init__(
        self,
        service: ServiceClient,
        folder: Path,
        interpreter_name: Callable[[], Awaitable[str | None]],
        add_packages: Callable[[str, str], Awaitable[None]],
    ) -> None:
        """``folder``: where environments are unpacked (in the user's home);
        ``interpreter_name``: the container's interpreter; ``add_packages(interpreter,
        folder)``: the language server reads a folder of packages."""
        self.folder = folder
        self._service = service
        self._interpreter_name = interpreter_name
        self._add_packages = add_packages
        self._fetching: dict[str, asyncio.Task[None]] = {}

    def noticed(self, script_id: int, state: Any) -> asyncio.Task[None] | None:
        """The service answered a dependencies request with ``state``: fetch a ready
        environment not here yet, in the background. → the fetch, if one started or runs."""
        if not isinstance(state, dict) or state.get("state") != "ready" or not state.get("pins"):
            return None
        interpreter, pins = str(state["interpreter"]), [str(pin) for pin in state["pins"]]
        key = _key_of(interpreter, pins)
        running = self._fetching.get(key)
        if running is None:
            running = asyncio.create_task(
                self._fetch(script_id, int(state["version_id"]), interpreter, key)
            )
            self._fetching[key] = running
            running.add_done_callback(lambda _: self._fetching.pop(key, None))
        return running

    async def _fetch(self, script_id: int, version_id: int, interpreter: str, key: str) -> None:
        try:
            if await self._interpreter_name() != interpreter:
                return  # built for another interpreter than this container's
            target = self.folder / key
            if not await run_blocking(target.is_dir):
                await self._download(script_id, version_id, interpreter, target)
            await self._add_packages(interpreter, str(target))
        except Exception:
            log.warning("ScriptForge: packages of script %s not fetched", script_id, exc_info=True)

    async def _download(
        self, script_id: int, version_id: int, interpreter: str, target: Path
    ) -> None:
        await run_blocking(self.folder.mkdir, parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=self.folder) as archive:

            def received(data: bytes) -> None:
                archive.write(data)

            query = urlencode({"version": version_id, "interpreter": interpreter})
            request = self._service.request_of(
                "GET",
                f"scripts/{script_id}/dependencies/environment",
                query=query,
                streaming_callback=received,
            )
            response = await AsyncHTTPClient().fetch(request, raise_error=False)
            if response.code != 200:
                raise RuntimeError(f"the service answered {response.code}")
            await run_blocking(_unpack, archive, self.folder, target)
        await run_blocking(_keep_newest, self.folder, _KEPT)


def _key_of(interpreter: str, pins: list[str]) -> str:
    digest = hashlib.sha256("\n".join([interpreter, *sorted(pins)]).encode()).hexdigest()[:16]
    return f"{interpreter}-{digest}"


def _unpack(archive: Any, folder: Path, target: Path) -> None:
    """Unpack beside ``target`` and rename into place: a folder there is whole."""
    archive.seek(0)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=folder))
    try:
        with tarfile.open(fileobj=archive, mode="r:") as tar:
            # Python's own "data" filter where it has one (not Debian 12's 3.11.2).
            safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            # Members checked by _plain_members.
            tar.extractall(staging, members=_plain_members(tar), **safe)  # type: ignore[arg-type]  # noqa: S202
        with contextlib.suppress(OSError):  # another fetch got there first
            staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _plain_members(tar: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    """Files and folders inside the archive's root, no set-id bits: anything else is no
    environment the service made."""
    for member in tar:
        parts = PurePosixPath(member.name).parts
        if member.name.startswith("/") or ".." in parts or not (member.isfile() or member.isdir()):
            raise ValueError(f"unexpected entry in an environment: {member.name!r}")
        member.mode &= 0o755
        yield member


def _keep_newest(folder: Path, kept: int) -> None:
    found = [path for path in folder.iterdir() if path.is_dir() and not path.name.startswith(".")]
    found.sort(key=lambda path: path.stat().st_mtime, reverse=True)
    for old in found[kept:]:
        shutil.rmtree(old, ignore_errors=True)
