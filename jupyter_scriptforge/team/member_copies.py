"""A team member's working copies: a script opened in JupyterLab is a file in the user's own
root (``scripts/<folder>/<name>.py``, the layout the service's catalog uses too); a save of
it is a new version at the service; a head moved through this server (restore, an accepted
proposal, a save from the editor's commands) is written back to the file unless the file
holds edits of its own since it was last in step."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from ..catalog.workingcopy import WorkingCopies
from .service_client import ServiceClient, ServiceError

log = logging.getLogger(__name__)


class MemberCopies:
    def __init__(self, files: WorkingCopies, service: ServiceClient) -> None:
        self.files = files
        self._service = service
        # What each working copy held when it was last in step with its script's head.
        self._in_step: dict[Path, bytes] = {}
        # One change at a time per file: a head that moves waits for a save on its way.
        self._locks: dict[Path, asyncio.Lock] = {}

    def _lock(self, path: Path) -> asyncio.Lock:
        return self._locks.setdefault(path, asyncio.Lock())

    async def open(self, script_id: int) -> dict[str, Any]:
        """Write the script's head to its working copy (unless the file holds edits of its
        own, which are saved as a version first) → the script, as the service answers."""
        script = (await self._service.call("GET", f"scripts/{script_id}")).body
        path = self.files.path_of(script["folder"], script["name"])
        async with self._lock(path):
            await self._save_edits(path, script)
            await self._write_head(path, script)
        return dict(script)

    async def saved(self, os_path: str) -> None:
        """After JupyterLab saved ``os_path``: a working copy's new content is a version."""
        place = self.files.locate(os_path)
        if place is None:
            return
        folder, name = place
        relative = self.files.api_path_of(folder, name)
        found = (await self._service.call("GET", "scripts", query={"path": relative})).body
        scripts = [s for s in found["items"] if (s["folder"], s["name"]) == (folder, name)]
        if not scripts:
            return  # a .py file that is no script's (the service adopts none here)
        path = self.files.path_of(folder, name)
        async with self._lock(path):
            await self._save_edits(path, scripts[0])

    async def follow(self, script_id: int) -> None:
        """The script's head moved: its working copy follows, unless it holds edits."""
        script = (await self._service.call("GET", f"scripts/{script_id}")).body
        path = self.files.path_of(script["folder"], script["name"])
        async with self._lock(path):
            state = await asyncio.to_thread(self.files.read, path)
            if state is None:
                return  # not opened here
            if self._in_step.get(path) not in (None, state.sha256):
                return  # edits of the user's own: kept, saved by their next save
            await self._write_head(path, script)

    async def moved(self, before: dict[str, Any], after: dict[str, Any]) -> None:
        source = self.files.path_of(before["folder"], before["name"])
        target = self.files.path_of(after["folder"], after["name"])
        moved = source != target and await asyncio.to_thread(self.files.move, source, target)
        if moved and source in self._in_step:
            self._in_step[target] = self._in_step.pop(source)

    async def removed(self, script: dict[str, Any]) -> None:
        """A deleted script's working copy goes, unless it holds unsaved edits."""
        path = self.files.path_of(script["folder"], script["name"])
        state = await asyncio.to_thread(self.files.read, path)
        if state is not None and self._in_step.get(path) == state.sha256:
            await asyncio.to_thread(self.files.remove, path)
            self._in_step.pop(path, None)

    async def _save_edits(self, path: Path, script: dict[str, Any]) -> None:
        state = await asyncio.to_thread(self.files.read, path)
        if state is None or self._in_step.get(path) == state.sha256:
            return
        try:
            content = state.data.decode("utf-8")
        except UnicodeDecodeError:
            log.warning("%s is not UTF-8 text: not saved as a version", path)
            return
        if content == await self._head_content(script):
            self._in_step[path] = state.sha256
            return
        await self._service.call(
            "POST",
            f"scripts/{script['id']}/versions",
            {"content": content, "message": "Saved in JupyterLab"},
        )
        self._in_step[path] = state.sha256

    async def _write_head(self, path: Path, script: dict[str, Any]) -> None:
        data = (await self._head_content(script)).encode("utf-8")
        sha = await asyncio.to_thread(self.files.write, path, data)
        self._in_step[path] = sha

    async def _head_content(self, script: dict[str, Any]) -> str:
        head = script.get("head_version_id")
        if head is None:
            return ""
        try:
            return str((await self._service.call("GET", f"versions/{head}")).body["content"])
        except ServiceError as error:
            if error.status == 404:
                return ""
            raise
