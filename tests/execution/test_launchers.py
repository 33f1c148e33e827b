"""The launcher each interpreter compiles once: runs use it, see nothing of it, and go on
without it where it cannot be compiled."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from jupyter_scriptforge.execution.interpreters import Interpreter
from jupyter_scriptforge.execution.runners.local import LocalRunner
from tests.conftest import unavailable
from tests.execution.conftest import LOCAL_MODES, Harness, own_interpreter

PYENV = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
OLDEST = sorted(PYENV.glob("3.8*/bin/python3.8"))
SHOW = (
    "import sys\n"
    "print(__name__, sys.path[0] == __file__.rpartition('/')[0], sys.argv[1:])\n"
    "print(sorted(m for m in sys.modules if m.startswith('scriptforge')))\n"
)


def _interpreters() -> list[Interpreter]:
    found = [own_interpreter()]
    if OLDEST:
        found.append(Interpreter("cpython-3.8", "CPython", "3.8", str(OLDEST[0])))
    return found


@pytest.mark.parametrize("interpreter", _interpreters(), ids=lambda i: i.name)
async def test_each_interpreter_runs_the_launcher_it_compiled(
    local_harness: Harness, interpreter: Interpreter
) -> None:
    local_harness.interpreter = interpreter

    outcome, output = await local_harness.run(SHOW, args=("a", "b"))

    assert outcome.status == "succeeded", output.text()
    # The script runs as `python script.py a b` would: as __main__, its folder first on the
    # path, its own arguments; the launcher's module is all there is of the launcher.
    assert output.text("stdout") == "__main__ True ['a', 'b']\n['scriptforge_launch']\n"
    # Compiled by that interpreter, for its own version.
    folder = local_harness.runner._launchers.folder  # type: ignore[attr-defined]
    tag = "cpython-" + "".join(interpreter.version.split(".")[:2])
    assert (folder / "__pycache__" / f"scriptforge_launch.{tag}.pyc").is_file()


@pytest.mark.parametrize("mode", LOCAL_MODES)
async def test_a_launcher_folder_that_cannot_be_written_leaves_runs_working(
    mode: str, tmp_path: Path
) -> None:
    if mode != "process" and shutil.which("bwrap") is None:
        unavailable("the bwrap sandbox needs bubblewrap (make system-deps)")
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    runner = LocalRunner(mode, [str(tmp_path)], 300_000, launcher_folder=str(blocker / "below"))
    harness = Harness(runner, own_interpreter(), list, blocker, mode)
    try:
        outcome, output = await harness.run(SHOW)
    finally:
        await runner.close()

    assert outcome.status == "succeeded", output.text()
    # The text of the launcher ran in the script's namespace before it: nothing imported.
    assert output.text("stdout") == "__main__ True []\n[]\n"
