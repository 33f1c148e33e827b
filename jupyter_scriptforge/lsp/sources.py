"""Source files outside the server root that a language server pointed to (the standard
library, an installed package, a typeshed stub): JupyterLab's contents cannot open them,
so locations of them reach the editor as paths of a read-only drive, ``sources:``, served
from the interpreter's own files (on this machine or inside its image).

Only files a language server pointed to may be read, and only Python sources: the drive is
no way to read an arbitrary file of the machine.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote, unquote, urlparse

DRIVE = "sources"
# What a definition may point to and the drive will serve.
SOURCE_SUFFIXES = (".py", ".pyi")
# The methods whose answers are locations (Location, Location[] or LocationLink[]).
LOCATION_METHODS = frozenset(
    {
        "textDocument/definition",
        "textDocument/typeDefinition",
        "textDocument/declaration",
        "textDocument/implementation",
        "textDocument/references",
    }
)


def path_of_uri(uri: str) -> Path | None:
    parsed = urlparse(uri)
    if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
        return None
    return Path(unquote(parsed.path))


def is_openable(root_dir: Path, uri: str) -> bool:
    """Whether JupyterLab's contents serve the file of ``uri``: under the root, not hidden."""
    path = path_of_uri(uri)
    if path is None:
        return True  # not a file: nothing to do with it
    try:
        relative = path.relative_to(root_dir)
    except ValueError:
        return False
    return not any(part.startswith(".") for part in relative.parts)


def server_uri(root_dir: Path, uri: str) -> str:
    """The URI a language server knows a document by: a ``sources:`` document opened in
    the editor (``<root>/sources:<interpreter>/<path>``) is the file it shows, so that its
    own imports resolve; any other document keeps its URI."""
    path = path_of_uri(uri)
    if path is None:
        return uri
    try:
        relative = path.relative_to(root_dir)
    except ValueError:
        return uri
    source = parse_drive_path(PurePosixPath(relative).as_posix())
    return Path(source[1]).as_uri() if source is not None else uri


def drive_path(interpreter: str, path: str) -> str:
    """``sources:<interpreter>/<absolute path without its leading slash>``."""
    return f"{DRIVE}:{quote(interpreter, safe='')}/{path.lstrip('/')}"


def parse_local_path(local: str) -> tuple[str, str] | None:
    """(interpreter, absolute path) of a path within the drive (after ``sources:``)."""
    interpreter, _, rest = local.partition("/")
    path = PurePosixPath("/" + rest)
    if not interpreter or not rest or ".." in path.parts:
        return None
    return unquote(interpreter), str(path)


def parse_drive_path(path: str) -> tuple[str, str] | None:
    prefix = f"{DRIVE}:"
    return parse_local_path(path[len(prefix) :]) if path.startswith(prefix) else None


class SourceFiles:
    """What language servers pointed to, per interpreter, for as long as this server runs."""

    def __init__(self) -> None:
        self._pointed: set[tuple[str, str]] = set()

    def may_read(self, interpreter: str, path: str) -> bool:
        return (interpreter, path) in self._pointed

    def rewrite_locations(self, result: Any, interpreter: str, openable: Openable) -> Any:
        """``result`` with each location the editor cannot open as a ``sources:`` path."""
        if isinstance(result, list):
            return [self._rewrite(item, interpreter, openable) for item in result]
        if isinstance(result, dict):
            return self._rewrite(result, interpreter, openable)
        return result

    def _rewrite(self, location: Any, interpreter: str, openable: Openable) -> Any:
        if not isinstance(location, dict):
            return location
        key = "targetUri" if "targetUri" in location else "uri"
        uri = location.get(key)
        if not isinstance(uri, str):
            return location
        path = path_of_uri(uri)
        if path is None or openable(uri) or path.suffix not in SOURCE_SUFFIXES:
            return location
        self._pointed.add((interpreter, str(path)))
        # jupyterlab-lsp decodes the URI it is given into a contents path.
        return {**location, key: quote(drive_path(interpreter, str(path)), safe="/:")}


Openable = Callable[[str], bool]  # whether JupyterLab's own contents serve a URI's file
