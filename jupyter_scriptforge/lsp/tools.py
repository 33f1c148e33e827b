"""python-lsp-server for each interpreter, installed once into a folder of its own.

pylsp runs on the script's own interpreter, so completion, hover and definitions see that
interpreter's standard library and packages, and pyflakes parses with its grammar. uv
installs it for that interpreter (``--target``), from the configured index, or from uv's
cache alone when ``offline`` (the tests do so: ``make`` fills the cache).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

REQUIREMENT = "python-lsp-server[pyflakes,pycodestyle]"
_INSTALL_TIMEOUT_SECONDS = 300.0
_COMPLETE = ".complete"


class ToolsInstallError(Exception):
    """pylsp could not be installed for an interpreter; the message is uv's own."""


class LanguageTools:
    def __init__(self, folder: Path, index_url: str | None = None, offline: bool = False) -> None:
        self.folder = folder
        self.index_url = index_url
        self.offline = offline
        self._locks: dict[Path, asyncio.Lock] = {}

    def folder_for(self, interpreter: str) -> Path:
        """One folder per interpreter executable and recipe (what is installed, and our
        plugin), named so that a reader can tell whose."""
        real = os.path.realpath(interpreter)
        digest = recipe()
        digest.update(real.encode())
        return self.folder / f"{Path(real).name}-{digest.hexdigest()[:12]}"

    async def ensure(self, interpreter: str) -> Path:
        """The tools folder of ``interpreter``, installing it first if it is not there."""
        target = self.folder_for(interpreter)
        if (target / _COMPLETE).exists():
            return target
        lock = self._locks.setdefault(target, asyncio.Lock())
        async with lock:
            if not (target / _COMPLETE).exists():
                await self._install(interpreter, target)
        return target

    async def _install(self, interpreter: str, target: Path) -> None:
        # Into a fresh folder renamed into place when whole: a kill mid-install leaves only
        # a staging folder, never a half-installed target.
        self.folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=self.folder))
        try:
            command = [uv_executable(), "pip", "install", "--quiet", "--python", interpreter]
            # Wheels only: no compiler needed, and what installs is what was tested.
            command += ["--only-binary", ":all:"]
            command += ["--target", str(staging)]
            if self.offline:
                command.append("--offline")
            if self.index_url:
                command += ["--index-url", self.index_url]
            command.append(REQUIREMENT)
            process = await asyncio.create_subprocess_exec(
                *command,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
            )
            try:
                output, _ = await asyncio.wait_for(process.communicate(), _INSTALL_TIMEOUT_SECONDS)
            except TimeoutError:
                process.kill()
                await process.wait()
                raise ToolsInstallError("installing python-lsp-server took too long") from None
            if process.returncode != 0:
                raise ToolsInstallError(_last_lines(output.decode(errors="replace")))
            await asyncio.to_thread(_finish, staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


_PLUGIN = Path(__file__).with_name("pylsp_plugin")
_PLUGIN_DIST = "scriptforge_pylsp_imports-1.0.dist-info"
_PLUGIN_FILES = ("scriptforge_imports.py", "METADATA", "entry_points.txt")


def recipe() -> hashlib._Hash:
    """What an installation holds: the requirement and the plugin (an image built with an
    older one is rebuilt)."""
    digest = hashlib.sha256(REQUIREMENT.encode())
    for name in _PLUGIN_FILES:
        digest.update((_PLUGIN / name).read_bytes())
    return digest


def _finish(staging: Path, target: Path) -> None:
    add_plugin(staging)
    (staging / _COMPLETE).touch()
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)


def add_plugin(target: Path) -> None:
    """ScriptForge's pylsp plugin beside pylsp, found by its entry point (group ``pylsp``)."""
    shutil.copy(_PLUGIN / "scriptforge_imports.py", target)
    dist = target / _PLUGIN_DIST
    dist.mkdir(exist_ok=True)
    for name in ("METADATA", "entry_points.txt"):
        shutil.copy(_PLUGIN / name, dist / name)
    (dist / "RECORD").write_text("")


def uv_executable() -> str:
    from uv import find_uv_bin

    return find_uv_bin()


def _last_lines(text: str, count: int = 6) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return "\n".join(lines[-count:]) or "uv failed without a message"


async def _install_for_every_interpreter(folder: Path) -> None:
    from ..execution.interpreters import discover

    tools = LanguageTools(folder)
    for interpreter in await discover({}):
        assert interpreter.path is not None
        try:
            await tools.ensure(interpreter.path)
            print(f"{interpreter.name}: {tools.folder_for(interpreter.path)}")
        except ToolsInstallError as error:
            print(f"{interpreter.name}: not installed: {error.args[0].splitlines()[-1]}")


def main(argv: list[str] | None = None) -> None:
    """``python -m jupyter_scriptforge.lsp.tools``: what make and images/build.sh need."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m jupyter_scriptforge.lsp.tools")
    commands = parser.add_subparsers(dest="command", required=True)
    every = commands.add_parser("install-all", help="install for every interpreter found")
    every.add_argument("folder", type=Path)
    plugin = commands.add_parser("plugin", help="add ScriptForge's pylsp plugin to a folder")
    plugin.add_argument("folder", type=Path)
    commands.add_parser("requirement", help="print what is installed")
    commands.add_parser("recipe", help="print a hash of what is installed and the plugin")
    arguments = parser.parse_args(argv)
    if arguments.command == "install-all":
        asyncio.run(_install_for_every_interpreter(arguments.folder))
    elif arguments.command == "plugin":
        add_plugin(arguments.folder)
    elif arguments.command == "requirement":
        print(REQUIREMENT)
    else:
        print(recipe().hexdigest()[:16])


if __name__ == "__main__":
    main()
