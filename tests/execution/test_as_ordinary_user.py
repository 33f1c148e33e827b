"""The local runner's suites again, as an ordinary user: the modes root cannot hold.

Root runs them in the ``bwrap`` mode (a user id per run). Here the same tests run in a
pytest of their own as ``nobody``, where the runner is in ``bwrap-unprivileged`` mode (a
user namespace) and in the last-resort ``process`` mode; the view the wrapper builds keeps
root's pyenv interpreters reachable and changes nothing else.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import unavailable
from tests.ordinary_user import NOBODY, shared_work_dir, wrapped

ROOT = Path(__file__).parents[2]
SUITES = [
    "tests/execution/test_runner_contract.py",
    "tests/execution/test_local_runner.py",
    "tests/execution/test_everyday_scripts.py",
    "tests/execution/test_warm_sandboxes.py",
    "tests/execution/test_run_output.py",
]


def test_the_local_runner_keeps_its_contract_for_an_ordinary_user() -> None:
    if os.geteuid() != 0:
        pytest.skip("already an ordinary user: the suites ran in this session's own modes")
    with shared_work_dir() as work:
        _run_suites_as_nobody(work)


def _run_suites_as_nobody(tmp_path: Path) -> None:
    try:
        command = wrapped(
            [
                sys.executable, "-m", "pytest", *SUITES, "-k", "not docker",
                "-p", "no:cacheprovider", "-q", "--no-header", "-rfEs",
                f"--basetemp={tmp_path / 'pytest'}",
            ],
            uid=NOBODY,
        )  # fmt: skip
    except RuntimeError as error:
        unavailable(str(error))
    home = tmp_path / "home"
    for folder in (tmp_path, home):
        os.chown(folder, NOBODY, NOBODY)
    env = {**os.environ, "HOME": str(home), "CI": os.environ.get("CI", "")}

    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)

    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 0, result.stdout[-12000:] + result.stderr[-3000:]
    assert "skipped" not in summary, summary
    assert " passed" in summary, summary
