"""Listing and reading a run's artifacts, for the run's user alone (as the run itself).

Only a run that kept files (``artifact_files``, recorded with its end) has any: a folder of
its id left by another store (one replaced under the same artifacts folder) is not its."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from .._async import run_blocking
from ..errors import NotFound
from .folders import ArtifactFolders

# The run as its viewer sees it (its JSON); NotFound unless they may.
SeeRun = Callable[[str, int], Awaitable[dict[str, Any]]]


class ArtifactService:
    def __init__(self, folders: ArtifactFolders, see_run: SeeRun) -> None:
        self.folders = folders
        self._see_run = see_run

    async def listing(self, viewer: str, run_id: int) -> dict[str, Any]:
        run = await self._see_run(viewer, run_id)
        found = await run_blocking(self.folders.listing, run_id) if run["artifact_files"] else []
        return {
            "artifacts": [artifact.to_dict() for artifact in found],
            "bytes": sum(artifact.size for artifact in found),
        }

    async def file(self, viewer: str, run_id: int, name: str) -> Path:
        run = await self._see_run(viewer, run_id)
        if not run["artifact_files"]:
            raise NotFound(f"Run {run_id} kept no file {name!r}.")
        return await run_blocking(self.folders.file, run_id, name)
