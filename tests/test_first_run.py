"""A newcomer's first run: a real server on a machine without GNU time or bubblewrap, or
without root, runs a new script and says which sandbox it has."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.jupyter_process import JupyterProcess
from tests.ordinary_user import NOBODY, server_as, shared_work_dir
from tests.test_run_isolation import get, post, wait_finished

HELLO = "import getpass, sys\nprint('hello from', sys.version_info[0])\ngetpass.getuser()\n"


@pytest.fixture
def work_dir() -> Iterator[Path]:
    with shared_work_dir() as path:
        yield path


def _run_hello(server: JupyterProcess) -> tuple[dict, str]:  # type: ignore[type-arg]
    script = post(server, "scripts", {"name": "hello", "content": HELLO})
    run = wait_finished(server, post(server, "runs", {"script_id": script["id"]})["id"])
    output = "".join(p["text"] for p in get(server, f"runs/{run['id']}/output")["pieces"])
    return run, output


@pytest.mark.parametrize(
    ("uid", "without", "isolation"),
    [
        pytest.param(None, ("bwrap", "time"), "process", id="root-without-bwrap-and-time"),
        pytest.param(NOBODY, ("time",), "bwrap-unprivileged", id="ordinary-user-with-bwrap"),
        pytest.param(NOBODY, ("bwrap", "time"), "process", id="ordinary-user-without-bwrap"),
    ],
)
def test_a_fresh_machine_runs_a_new_script_and_says_which_sandbox(
    work_dir: Path, uid: int | None, without: tuple[str, ...], isolation: str
) -> None:
    first_uid = f"--ScriptForgeApp.local_first_uid={300_000 + os.getpid() % 1000 * 64}"
    with server_as(work_dir, uid, without, (first_uid,)) as server:
        health = get(server, "health")
        run, output = _run_hello(server)

    local = next(s for s in health["sandboxes"] if s["runner"] == "local")
    assert local["isolation"] == isolation
    if isolation == "process":
        assert any("bubblewrap" in advice for advice in local["advice"])
    assert run["status"] == "succeeded", output
    assert output == "hello from 3\n"
    assert run["peak_memory_bytes"] > 1 << 20
