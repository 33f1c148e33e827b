"""Interpreter discovery runs the real interpreters of this machine."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from jupyter_scriptforge.execution.interpreters import candidate_paths, discover
from tests.conftest import unavailable
from tests.ordinary_user import NOBODY, shared_work_dir, wrapped

ROOT = Path(__file__).parents[1]

THIS_PATH = sys.executable  # the server's own, as it is: a virtualenv keeps its packages
THIS_VERSION = ".".join(map(str, sys.version_info[:3]))


async def test_discovery_names_each_interpreter_by_what_it_reports():
    found = await discover({}, search=True)

    by_path = {i.path: i for i in found}
    this = by_path[THIS_PATH]
    assert this.implementation == "CPython"
    assert this.version == THIS_VERSION
    assert this.name.startswith("cpython-3.")
    assert len({i.name for i in found}) == len(found)


def test_candidates_skip_pyenv_shims(tmp_path):
    shims = tmp_path / "shims"
    shims.mkdir()
    shim = shims / "python3"
    shim.write_text("#!/bin/sh\nexit 1\n")
    shim.chmod(0o755)

    paths = candidate_paths(search_path=str(shims), pyenv_root=str(tmp_path / "no-pyenv"))

    assert str(shim) not in paths
    assert paths == [sys.executable]


async def test_a_path_that_is_not_python_is_dropped(tmp_path):
    fake = tmp_path / "python3"
    fake.write_text("#!/bin/sh\necho hello\n")
    fake.chmod(0o755)

    found = await discover({"fake": str(fake), "mine": sys.executable}, search=False)

    assert [i.name for i in found] == ["mine"]


@pytest.fixture
def jp_server_config(db_url):
    return {
        "ServerApp": {"jpserver_extensions": {"jupyter_scriptforge": True}},
        "ScriptForgeApp": {
            "db_url": db_url,
            "interpreters": {"team-default": sys.executable, "broken": "/nonexistent/python"},
        },
    }


async def test_configured_interpreters_come_first_and_broken_ones_are_dropped(jp_fetch):
    health = json.loads((await jp_fetch("scriptforge", "api", "health")).body)

    names = [i["name"] for i in health["interpreters"]]
    assert names[0] == "team-default"
    assert "broken" not in names
    assert health["interpreters"][0]["version"] == THIS_VERSION


async def test_discovered_interpreters_are_listed_newest_first():
    found = [i for i in await discover({}, search=True) if i.implementation == "CPython"]

    versions = [tuple(map(int, i.version.split(".")[:3])) for i in found]
    assert versions == sorted(versions, reverse=True)


def test_a_pyenv_root_closed_to_the_user_is_passed_over() -> None:
    """A server whose PYENV_ROOT is another user's (root's, kept by ``su``) still finds the
    other interpreters, rather than failing every run and the health report."""
    with shared_work_dir() as folder:
        versions = folder / "pyenv" / "versions"
        versions.mkdir(parents=True)
        (folder / "pyenv").chmod(0o700)  # root's alone
        probe = (
            "import sys\n"
            "from jupyter_scriptforge.execution.interpreters import candidate_paths\n"
            "print(len(candidate_paths(pyenv_root=sys.argv[1])))\n"
        )
        try:
            command = wrapped([sys.executable, "-c", probe, str(folder / "pyenv")], uid=NOBODY)
        except RuntimeError as error:
            unavailable(str(error))
        result = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
        )

    assert result.returncode == 0, result.stderr[-2000:]
    assert int(result.stdout) >= 1  # the server's own interpreter at least
