"""The extension inside a real ``jupyter server`` process, as a user starts it."""

import json
import signal
import subprocess
import time

from tests.jupyter_process import running_jupyter


def test_server_starts_with_scriptforge_and_no_auth_warning(tmp_path):
    with running_jupyter(tmp_path, app="server") as server:
        health = json.loads(server.get("/scriptforge/api/health"))
        log = server.log()

    assert health["database"]["backend"] == "sqlite"
    assert (tmp_path / "scriptforge.db").exists(), "the store lives where SCRIPTFORGE_DB_URL says"
    assert "jupyter_scriptforge | extension was successfully loaded" in log
    assert "JupyterServerAuthWarning" not in log
    assert "Traceback" not in log


def test_a_server_that_ran_scripts_stops_when_interrupted(tmp_path):
    """The hub stops its ScriptForge service with SIGINT (answer_yes: no prompt): after runs
    and store calls, no worker thread may keep the process alive."""
    with running_jupyter(
        tmp_path, app="server", extra_args=("--ServerApp.answer_yes=True",)
    ) as server:
        script = json.loads(
            server.request(
                "POST", "/scriptforge/api/scripts", {"name": "hi", "content": "print(1)\n"}
            )
        )
        run = json.loads(
            server.request(
                "POST", "/scriptforge/api/runs", {"script_id": script["id"], "source": "head"}
            )
        )
        deadline = time.monotonic() + 60
        while json.loads(server.get(f"/scriptforge/api/runs/{run['id']}"))["status"] in (
            "queued",
            "running",
        ):
            assert time.monotonic() < deadline, "the run did not end"
            time.sleep(0.1)
        server.process.send_signal(signal.SIGINT)
        try:
            exit_code = server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            exit_code = None
        log = server.log()

    assert exit_code == 0, f"the server was still running 30 s after SIGINT ({exit_code})"
    assert "Traceback" not in log
