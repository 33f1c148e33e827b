"""The parameters of a script's version, for the user who may see it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .._async import run_blocking
from ..catalog.service import CatalogService, ScriptInfo
from ..errors import InvalidInput
from ..versions.service import VersionService
from .reader import Parameters, read_parameters
from .values import check_values


@dataclass(frozen=True)
class VersionParameters:
    script_id: int
    version_id: int
    parameters: Parameters | None  # None: free-form arguments

    def to_json(self) -> dict[str, Any]:
        found = self.parameters
        return {
            "script_id": self.script_id,
            "version_id": self.version_id,
            "style": found.style if found is not None else None,
            "schema": found.json_schema() if found is not None else None,
        }


class ParameterService:
    def __init__(self, catalog: CatalogService, versions: VersionService) -> None:
        self._catalog = catalog
        self._versions = versions

    async def of_version(
        self, script_id: int, version_id: int | None, viewer: str
    ) -> VersionParameters:
        """The parameters of ``version_id`` of the script (its head if None)."""
        _, version, content = await self._catalog.version_of(script_id, version_id, viewer)
        # Parsing a large script takes a while: off the event loop.
        found = await run_blocking(read_parameters, content)
        return VersionParameters(script_id, version.id, found)

    async def of_working_copy(self, script_id: int, viewer: str) -> VersionParameters:
        """The parameters of the viewer's working copy (the editor's saved file, which a
        run from the editor records as a version first), as of now: the version its save
        makes may not be recorded yet. The head's when there is no file."""
        script = await self._catalog.get(script_id, viewer)
        files = self._catalog.files
        state = await run_blocking(files.read, files.path_of(script.folder, script.name))
        if state is None or script.head_version_id is None:
            return await self.of_version(script_id, None, viewer)
        content = state.data.decode("utf-8", errors="replace")
        found = await run_blocking(read_parameters, content)
        return VersionParameters(script_id, script.head_version_id, found)

    def check_sync(self, script: ScriptInfo, values: dict[str, Any]) -> None:
        """400 unless ``values`` suit the parameters of the version a run of ``script``
        takes by default (published, else newest) (blocking)."""
        version_id = script.published_version_id or script.head_version_id
        if version_id is None:
            raise InvalidInput(f"Script {script.name!r} has no content yet: save it first.")
        _, content = self._versions.get_sync(version_id)
        parameters = read_parameters(content)
        if parameters is None:
            raise InvalidInput(
                f"Script {script.name!r} declares no parameters ScriptForge can read: give args."
            )
        check_values(parameters, values)
