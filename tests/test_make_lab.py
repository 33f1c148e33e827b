"""``make lab`` serves the user's workspace (``$HOME/scriptforge``), not the checkout, and
JupyterLab does not ask about its news.

The Makefile's own recipe runs (``make -o .venv/.installed lab``: nothing is reinstalled)
with a fresh HOME, on a free loopback port given through ``LAB_ARGS``.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.services import free_port

CHECKOUT = Path(__file__).resolve().parent.parent
STAMP = ".venv/.installed"
# Jupyter AI's MCP server takes a fixed port (3001) and its client starts coding agents:
# neither is under test, and another server on this machine may hold the port.
NOT_UNDER_TEST = {"jupyter_server_mcp": False, "jupyter_ai_acp_client": False}


def fresh_env(home: Path) -> dict[str, str]:
    """This environment with HOME moved, and nothing that points Jupyter elsewhere."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("JUPYTER", "SCRIPTFORGE_", "XDG_", "MAKE"))
        and name not in ("WORKSPACE", "LAB_ARGS", "MFLAGS")
    }
    return {**env, "HOME": str(home)}


def make(*args: str, env: dict[str, str], **kwargs: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        ["make", "--no-print-directory", "-C", str(CHECKOUT), "-o", STAMP, *args],
        env=env,
        **kwargs,
    )


def test_make_lab_serves_a_fresh_workspace_and_does_not_ask_about_news(tmp_path):
    home = tmp_path / "home"
    (home / ".jupyter").mkdir(parents=True)
    (home / ".jupyter" / "jupyter_server_config.json").write_text(
        json.dumps({"ServerApp": {"jpserver_extensions": NOT_UNDER_TEST}})
    )
    workspace = home / "scriptforge"
    port, token = free_port(), secrets.token_hex(16)
    lab_args = [
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--port-retries=0",
        f"--IdentityProvider.token={token}",
        # Its own sandbox user ids: a lab started by hand on this machine keeps its runs.
        f"--ScriptForgeApp.runs_instance=pytest-{os.getpid()}-make-lab",
    ]
    log_path = tmp_path / "make-lab.log"
    with open(log_path, "wb") as log:
        process = make(
            "lab",
            f"LAB_ARGS={' '.join(lab_args)}",
            env=fresh_env(home),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # make, and the jupyter it runs, in a group of their own
        )

    def get(path: str) -> bytes:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"token {token}"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            data: bytes = response.read()
            return data

    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, f"make lab exited:\n{log_path.read_text()}"
            try:
                get("/api/status")
                break
            except OSError:
                assert time.monotonic() < deadline, f"no answer:\n{log_path.read_text()}"
                time.sleep(0.25)

        assert workspace.is_dir()
        # The file browser's first listing: the workspace, empty but for ScriptForge's folder.
        root = json.loads(get("/api/contents?content=1"))
        assert root["type"] == "directory"
        names = {item["name"] for item in root["content"]}
        assert names <= {"scripts"}, names
        assert sorted(os.listdir(workspace)) == sorted(names)
        for name in ("Makefile", "jupyter_scriptforge", "node_modules"):
            with pytest.raises(urllib.error.HTTPError) as missing:
                get(f"/api/contents/{name}?content=0")
            missing.value.close()
            assert missing.value.code == 404, f"the checkout's {name} is served"
        # What JupyterLab shows as the server root (home written as ~).
        page_config = re.search(
            r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
            get("/lab").decode(),
            re.S,
        )
        assert page_config is not None
        server_root = json.loads(page_config.group(1))["serverRoot"]
        assert Path(re.sub("^~", str(home), server_root)) == workspace

        # JupyterLab asks "Would you like to get notified about official Jupyter news?" when
        # this setting's composite (the user's value, else the schema's default) is "none",
        # and fetches news only when it is "true". Here the default is "false", and a fresh
        # user has set nothing.
        notification = json.loads(
            get("/lab/api/settings/@jupyterlab/apputils-extension:notification")
        )
        assert notification["schema"]["properties"]["fetchNews"]["default"] == "false"
        assert "fetchNews" not in notification["settings"]
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_workspace_and_lab_args_can_be_given(tmp_path):
    other = tmp_path / "elsewhere" / "ws"
    dry_run = make(
        "-n",
        "lab",
        f"WORKSPACE={other}",
        "LAB_ARGS=--no-browser --port=9",
        env=fresh_env(tmp_path),
        stdout=subprocess.PIPE,
    )
    out, _ = dry_run.communicate(timeout=60)
    commands = out.decode()

    assert dry_run.returncode == 0
    assert f'mkdir -p "{other}"' in commands
    assert f'--ServerApp.root_dir="{other}" --no-browser --port=9' in commands
    assert str(tmp_path / "scriptforge") not in commands
