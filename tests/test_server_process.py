"""The extension inside a real ``jupyter server`` process, as a user starts it."""

import json
import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from typing import Any

import pytest

from jupyter_scriptforge.execution.runners.docker import INSTANCE_LABEL
from tests.conftest import unavailable
from tests.jupyter_process import JupyterProcess, running_jupyter


def test_server_starts_with_scriptforge_and_no_auth_warning(tmp_path):
    with running_jupyter(tmp_path, app="server") as server:
        health = json.loads(server.get("/scriptforge/api/health"))
        log = server.log()

    assert health["database"]["backend"] == "sqlite"
    assert (tmp_path / "scriptforge.db").exists(), "the store lives where SCRIPTFORGE_DB_URL says"
    assert "jupyter_scriptforge | extension was successfully loaded" in log
    assert "JupyterServerAuthWarning" not in log
    assert "Traceback" not in log


@pytest.mark.docker
def test_an_interrupted_server_stops_its_runs_and_removes_their_containers(tmp_path, docker_client):
    """JupyterHub stops its ScriptForge service with SIGINT, with no terminal: the server
    stops as with SIGTERM — a run still going ends as interrupted and its container goes,
    and no worker thread keeps the process alive after runs and store calls."""
    instance = f"pytest-{os.getpid()}-{tmp_path.name}"
    with running_jupyter(tmp_path, app="server") as server:
        interpreters = json.loads(server.get("/scriptforge/api/interpreters"))["interpreters"]
        imaged = next((i for i in interpreters if i["image"]), None)
        if imaged is None:
            unavailable("no interpreter image is built (make images)")
        done = _run(server, "print(1)\n", imaged["name"])
        _wait(server, done, lambda run: run["status"] not in ("queued", "running"))
        code = "import time\nprint('asleep', flush=True)\ntime.sleep(600)\n"
        asleep = _run(server, code, imaged["name"])
        _wait(server, asleep, lambda run: run["status"] == "running")
        assert _containers(docker_client, instance), "the run has a container while it runs"

        server.process.send_signal(signal.SIGINT)
        try:
            exit_code = server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            exit_code = None
        log = server.log()

    assert exit_code == 0, f"the server was still running 30 s after SIGINT ({exit_code})"
    assert "Traceback" not in log
    with sqlite3.connect(tmp_path / "scriptforge.db") as store:
        status, finished_at = store.execute(
            "SELECT status, finished_at FROM runs WHERE id = ?", (asleep,)
        ).fetchone()
    assert (status, finished_at is not None) == ("interrupted", True)
    assert _containers(docker_client, instance) == []


def _run(server: JupyterProcess, code: str, interpreter: str) -> int:
    name = f"s{time.monotonic_ns()}"
    script = json.loads(
        server.request("POST", "/scriptforge/api/scripts", {"name": name, "content": code})
    )
    body = {"script_id": script["id"], "runner": "docker", "interpreter": interpreter}
    run = json.loads(server.request("POST", "/scriptforge/api/runs", body))
    return int(run["id"])


def _wait(server: JupyterProcess, run_id: int, until: Callable[[dict[str, Any]], bool]) -> None:
    deadline = time.monotonic() + 60
    while not until(json.loads(server.get(f"/scriptforge/api/runs/{run_id}"))):
        assert time.monotonic() < deadline, f"run {run_id} did not get there in 60 s"
        time.sleep(0.1)


def _containers(docker_client: Any, instance: str) -> list[Any]:
    # Sparse: a container removed between listing and inspecting is no error.
    label = f"{INSTANCE_LABEL}={instance}"
    return list(docker_client.containers.list(all=True, sparse=True, filters={"label": label}))
