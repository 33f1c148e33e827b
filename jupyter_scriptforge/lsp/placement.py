"""Which interpreter's language server a document goes to: its script's interpreter, the
default one for another file under the server root, the one that pointed to it for a
``sources:`` file, none for anything else."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from ..catalog.service import CatalogService
from ..execution.interpreters import InterpreterRegistry
from .sources import parse_drive_path, path_of_uri


class DocumentPlacement:
    def __init__(
        self,
        root_dir: Path,
        catalog: CatalogService,
        interpreters: InterpreterRegistry,
        viewer: str,
    ) -> None:
        self.root_dir = root_dir.resolve()
        self._catalog = catalog
        self._interpreters = interpreters
        self._viewer = viewer

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
        page = await self._catalog.list(self._viewer, path=api_path, limit=1)
        if page.items and page.items[0].interpreter:
            return page.items[0].interpreter
        default = await self._interpreters.default()
        return default.name if default is not None else None
