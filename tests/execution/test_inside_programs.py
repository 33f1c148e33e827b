"""The programs that run inside sandboxes: joined into one ``-c`` text, under any interpreter."""

from __future__ import annotations

import ast
import itertools
import os
import subprocess
from pathlib import Path

import pytest

from jupyter_scriptforge.execution.runners import inside
from jupyter_scriptforge.execution.runners.inside import program_text

INSIDE = Path(inside.__file__).parent
PROGRAMS = sorted(p.stem for p in INSIDE.glob("*.py") if p.stem != "__init__")
# The oldest Python a script may name, from pyenv where this machine has it.
PYENV = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
OLDEST = sorted(PYENV.glob("3.8*/bin/python3.8"))


def _top_level_names(name: str) -> set[str]:
    tree = ast.parse(program_text(name))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


@pytest.mark.parametrize(("first", "second"), list(itertools.combinations(PROGRAMS, 2)))
def test_programs_joined_into_one_text_do_not_share_a_name(first: str, second: str) -> None:
    # They run in one namespace: a second definition would silently replace the first.
    assert _top_level_names(first) & _top_level_names(second) == set()


@pytest.mark.skipif(not OLDEST, reason="needs pyenv's Python 3.8")
@pytest.mark.parametrize("name", PROGRAMS)
def test_every_program_compiles_on_python_3_8(name: str) -> None:
    check = "import sys; compile(sys.stdin.read(), 'program', 'exec')"
    result = subprocess.run(
        [str(OLDEST[0]), "-c", check], input=program_text(name), capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr
