"""Which interpreter's language server a document goes to: for a file under the server
root, the one its server names (alone, its script's interpreter or the default one; in a
team member's container, the container's own); for a ``sources:`` file, the one that
pointed to it; none for anything else."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path, PurePosixPath

from .sources import parse_drive_path, path_of_uri

# The interpreter of the file at an API path (relative to the root), if any.
FileInterpreter = Callable[[str], Awaitable[str | None]]


class DocumentPlacement:
    def __init__(self, root_dir: Path, interpreter_of_file: FileInterpreter) -> None:
        self.root_dir = root_dir.resolve()
        self._interpreter_of_file = interpreter_of_file

    def api_path(self, uri: str) -> str | None:
        """The document's path relative to the server root, as JupyterLab names files."""
        path = path_of_uri(uri)
        if path is None or ".." in path.parts:
            return None
        try:
            return PurePosixPath(path.relative_to(self.root_dir)).as_posix()
        except ValueError:
            return None

    async def interpreter_of(self, uri: str) -> str | None:
        api_path = self.api_path(uri)
        return await self.interpreter_of_path(api_path) if api_path is not None else None

    async def interpreter_of_path(self, api_path: str) -> str | None:
        """The interpreter of the file at ``api_path`` (relative to the root)."""
        if ".." in PurePosixPath(api_path).parts:
            return None
        source = parse_drive_path(api_path)
        if source is not None:  # a file a language server pointed to: its interpreter's
            return source[0]
        return await self._interpreter_of_file(api_path)
