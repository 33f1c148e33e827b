"""Listing and reading a run's artifacts, for the run's user alone (as the run itself)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from .._async import run_blocking
from .folders import ArtifactFolders

# Raises NotFound unless the viewer may see the run.
SeeRun = Callable[[str, int], Awaitable[Any]]


class ArtifactService:
    def __init__(self, folders: ArtifactFolders, see_run: SeeRun) -> None:
        self.folders = folders
        self._see_run = see_run

    async def listing(self, viewer: str, run_id: int) -> dict[str, Any]:
        await self._see_run(viewer, run_id)
        found = await run_blocking(self.folders.listing, run_id)
        return {
            "artifacts": [artifact.to_dict() for artifact in found],
            "bytes": sum(artifact.size for artifact in found),
        }

    async def file(self, viewer: str, run_id: int, name: str) -> Path:
        await self._see_run(viewer, run_id)
        return await run_blocking(self.folders.file, run_id, name)
