"""The local runner's launcher as modules each interpreter has compiled once.

Given as ``-c`` text, the launcher is compiled by every run: 1.5 ms of a fresh
interpreter's time, 5 ms with the runtime policy. As a module, the interpreter reads the
``.pyc`` it wrote the first time instead. The modules are written to a folder of the
server's, named by a digest of their text (so a new version of the programs gets a new
folder); each interpreter compiles them there the first time a run needs it, with ``-I -S``
so that nothing of its site-packages runs outside a sandbox. An interpreter that cannot
(a compile that fails, a folder that cannot be written) gets the text, as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import subprocess
from pathlib import Path

from ..._async import run_blocking
from .inside import program_text

log = logging.getLogger(__name__)

# Module name → the programs it joins (each may use what the ones before define).
MODULES = {
    "scriptforge_launch": ("output", "script_main", "launch"),
    "scriptforge_launch_policy": ("policy", "output", "script_main", "launch"),
}
_COMPILE = (
    "import py_compile, sys\n"
    "for path in sys.argv[1:]:\n"
    "    py_compile.compile(path, doraise=True)\n"
)
_COMPILE_SECONDS = 60


def launcher_text(policy: bool) -> str:
    """The launcher as one ``-c`` program."""
    return program_text(*MODULES[_module(policy)]) + "\n_launch()\n"


class LauncherModules:
    """The launcher modules in ``root``, and which interpreters have compiled them."""

    def __init__(self, root: str | None) -> None:
        texts = {name: program_text(*parts) for name, parts in MODULES.items()}
        digest = hashlib.sha256("\0".join(texts.values()).encode()).hexdigest()[:16]
        self.folder = Path(root, f"launcher-{digest}") if root else None
        self._texts = texts
        self._written = False
        # By interpreter path: whether its .pyc files are there.
        self._compiled: dict[str, bool] = {}

    def argv(self, executable: str, policy: bool) -> list[str]:
        """The interpreter starting the launcher (its own arguments follow)."""
        if not self.usable(executable):
            return [executable, "-s", "-c", launcher_text(policy)]
        return self._start(executable, policy, "_launch")

    def warm_argv(self, executable: str, policy: bool) -> list[str]:
        """The interpreter starting the launcher of a warm sandbox, which waits for its run
        on stdin (inside/launch.py); only for an interpreter the modules are ``usable`` by."""
        assert self.usable(executable)
        return self._start(executable, policy, "_wait_for_run")

    def _start(self, executable: str, policy: bool, function: str) -> list[str]:
        name = _module(policy)
        start = f"import sys;sys.path[0]={str(self.folder)!r};import {name};{name}.{function}()"
        return [executable, "-s", "-c", start]

    def usable(self, executable: str) -> bool:
        """Whether ``executable`` has compiled the modules (runs then import them)."""
        return self.folder is not None and bool(self._compiled.get(executable))

    async def prepare(self, executable: str) -> None:
        """Have ``executable`` compile the modules, once per interpreter and server."""
        if self.folder is None or executable in self._compiled:
            return
        self._compiled[executable] = await run_blocking(self._compile_sync, executable)

    def _compile_sync(self, executable: str) -> bool:
        assert self.folder is not None
        try:
            paths = self._write_sync()
            result = subprocess.run(
                [executable, "-I", "-S", "-c", _COMPILE, *map(str, paths)],
                env={},
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=_COMPILE_SECONDS,
                check=False,
            )
        except (OSError, ValueError, subprocess.TimeoutExpired) as error:
            log.warning("%s could not compile the launcher: %s", executable, error)
            return False
        if result.returncode != 0:
            reason = result.stderr.decode(errors="replace").strip().splitlines()[-1:]
            log.warning("%s could not compile the launcher: %s", executable, "".join(reason))
            return False
        # Written under the server's umask: a run's user must read them too.
        for compiled in (self.folder / "__pycache__").glob("scriptforge_launch*.pyc"):
            with contextlib.suppress(OSError):  # unreadable, the import compiles the source
                compiled.chmod(0o644)
        return True

    def _write_sync(self) -> list[Path]:
        """The module files, written once per server."""
        assert self.folder is not None
        paths = [self.folder / f"{name}.py" for name in self._texts]
        if not self._written:
            # Readable by every run's user: a sandbox binds the folder, not its parents.
            for folder in (self.folder, self.folder / "__pycache__"):
                folder.mkdir(parents=True, exist_ok=True)
                folder.chmod(0o755)  # what it holds is public anyway
            for path, text in zip(paths, self._texts.values(), strict=True):
                if not path.exists() or path.read_text(encoding="utf-8") != text:
                    # Whole or not at all: a .pyc is checked against its source's size and time.
                    partial = path.with_suffix(f".{os.getpid()}.tmp")
                    partial.write_text(text, encoding="utf-8")
                    partial.chmod(0o644)
                    partial.replace(path)
            self._written = True
        return paths


def _module(policy: bool) -> str:
    return "scriptforge_launch_policy" if policy else "scriptforge_launch"
