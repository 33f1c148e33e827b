"""Discovery of the Python interpreters this server can run scripts with."""

import asyncio
import os
import shutil
import sys
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from .._async import run_blocking
from .runners.probe import probe_interpreter

# Printed by each candidate so one process start tells us what it is.
_NAMES_ON_PATH = ("python3", *(f"python3.{minor}" for minor in range(8, 16)), "pypy3", "graalpy")


@dataclass(frozen=True)
class Interpreter:
    """A Python interpreter, known to users by name, never by path.

    ``path`` is its executable for the local runner, ``image`` the Docker image that holds
    it for the Docker runner; an interpreter has one or both.
    """

    name: str
    implementation: str
    version: str
    path: str | None = None
    image: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class InterpreterImage:
    """A Docker image that declares the interpreter it holds (see images/README.md)."""

    image: str
    implementation: str
    version: str


def with_images(
    interpreters: list[Interpreter], images: Iterable[InterpreterImage]
) -> list[Interpreter]:
    """Attach each image to the interpreter of the same implementation and minor version.

    An image whose interpreter this machine lacks becomes an interpreter of its own, which
    only the Docker runner can run.
    """
    merged = list(interpreters)
    for found in images:
        name = usual_name(found.implementation, found.version)
        for index, interpreter in enumerate(merged):
            if interpreter.name == name and interpreter.image is None:
                merged[index] = replace(interpreter, image=found.image)
                break
        else:
            if all(interpreter.name != name for interpreter in merged):
                merged.append(
                    Interpreter(name, found.implementation, found.version, None, found.image)
                )
    return merged


def usual_name(implementation: str, version: str) -> str:
    """What an interpreter is called unless another took the name: ``cpython-3.11``."""
    return f"{implementation.lower()}-{_major_minor(version)}"


def _major_minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def candidate_paths(search_path: str | None = None, pyenv_root: str | None = None) -> list[str]:
    """Executables that may be Python interpreters, by real path, without pyenv shims.

    Shims are skipped because each one costs an extra process start on every run;
    the pyenv versions they point to are listed directly instead.
    """
    found: list[str] = [sys.executable]
    for name in _NAMES_ON_PATH:
        located = shutil.which(name, path=search_path)
        if located and "/shims/" not in located:
            found.append(located)
    root = Path(pyenv_root or os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    return _unique_real_paths([*found, *_pyenv_interpreters(root)])


def _pyenv_interpreters(root: Path) -> list[str]:
    """The interpreter of each pyenv version under ``root``; none where this user may not
    look (a PYENV_ROOT inherited from another user, such as root's)."""
    found = []
    try:
        for version_dir in sorted((root / "versions").glob("*")):
            for name in ("python3", "pypy3", "python"):
                executable = version_dir / "bin" / name
                if executable.exists():
                    found.append(str(executable))
                    break
    except OSError:
        return []
    return found


def _unique_real_paths(paths: Iterable[str]) -> list[str]:
    """One path per interpreter, by real path; the server's own stays as it is, so a
    virtualenv's python keeps its packages."""
    seen: set[str] = set()
    unique = []
    for path in paths:
        real = os.path.realpath(path)
        if real not in seen and os.access(real, os.X_OK):
            seen.add(real)
            unique.append(path if path == sys.executable else real)
    return unique


def _unconfigured_candidates(
    named: list[tuple[str, str]], search: bool, search_path: str | None
) -> list[str]:
    if not search:
        return []
    configured = {os.path.realpath(path) for _, path in named}
    found = candidate_paths(search_path)
    return [path for path in found if os.path.realpath(path) not in configured]


def _name_for(implementation: str, version: str, taken: set[str]) -> str:
    for name in (usual_name(implementation, version), f"{implementation.lower()}-{version}"):
        if name not in taken:
            return name
    suffix = 2
    while f"{implementation.lower()}-{version}-{suffix}" in taken:
        suffix += 1
    return f"{implementation.lower()}-{version}-{suffix}"


async def discover(
    configured: Mapping[str, str], search: bool = True, search_path: str | None = None
) -> list[Interpreter]:
    """Configured interpreters (name → path) first, then those found on this machine."""
    named = list(configured.items())
    unnamed = await run_blocking(_unconfigured_candidates, named, search, search_path)
    results = await asyncio.gather(
        *(probe_interpreter(path) for _, path in named), *map(probe_interpreter, unnamed)
    )
    interpreters: list[Interpreter] = []
    taken: set[str] = set()
    for (name, path), result in zip(named, results[: len(named)], strict=True):
        if result is not None:
            taken.add(name)
            interpreters.append(Interpreter(name, result[0], result[1], path))
    probed = [
        (path, result)
        for path, result in zip(unnamed, results[len(named) :], strict=True)
        if result is not None
    ]
    # Newest first within each implementation, so the list reads like a version menu.
    probed.sort(key=lambda item: (item[1][0], _version_key(item[1][1])), reverse=True)
    probed.sort(key=lambda item: item[1][0] != "CPython")
    for path, (implementation, version) in probed:
        name = _name_for(implementation, version, taken)
        taken.add(name)
        interpreters.append(Interpreter(name, implementation, version, path))
    return interpreters


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else -1 for part in version.split("."))


ImageSource = Callable[[], Awaitable[list[InterpreterImage]]]


class InterpreterRegistry:
    """The interpreters of this server, discovered once and then kept."""

    def __init__(
        self,
        configured: Mapping[str, str],
        search: bool = True,
        images: ImageSource | None = None,
    ) -> None:
        self._configured = dict(configured)
        self._search = search
        self._images = images
        self._found: list[Interpreter] | None = None
        self._lock = asyncio.Lock()

    def known(self) -> list[Interpreter]:
        """What the last discovery found, without waiting (or starting one): empty before
        the first ``list()``. For code that cannot await, such as the guardrails' analyses."""
        return list(self._found or ())

    async def list(self, refresh: bool = False) -> list[Interpreter]:
        async with self._lock:
            if self._found is None or refresh:
                local = await discover(self._configured, self._search)
                images = await self._images() if self._images is not None else []
                self._found = with_images(local, images)
            return list(self._found)

    async def get(self, name: str) -> Interpreter | None:
        for interpreter in await self.list():
            if interpreter.name == name:
                return interpreter
        return None

    async def default(self) -> Interpreter | None:
        """The interpreter of a script that names none: the first configured one, else the
        server's own Python, else the first found."""
        found = await self.list()
        if self._configured and found and found[0].name in self._configured:
            return found[0]
        own = {sys.executable, await run_blocking(os.path.realpath, sys.executable)}
        return next((i for i in found if i.path in own), found[0] if found else None)
