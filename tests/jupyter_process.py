"""A real ``jupyter lab`` / ``jupyter server`` process on a free loopback port."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tests import language_tools
from tests.services import free_port, stop

_JUPYTER = str(Path(sys.executable).with_name("jupyter"))
_NOT_UNDER_TEST = {"jupyter_server_mcp": False, "jupyter_ai_acp_client": False}


@dataclass
class JupyterProcess:
    url: str
    token: str
    root: Path
    log_path: Path
    process: subprocess.Popen[bytes]

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def get(self, path: str) -> bytes:
        return self.request("GET", path)

    def request(self, method: str, path: str, body: object = None) -> bytes:
        request = urllib.request.Request(
            f"{self.url}{path}",
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            data: bytes = response.read()
            return data


@contextlib.contextmanager
def running_jupyter(
    work_dir: Path,
    app: str = "lab",
    extra_args: tuple[str, ...] = (),
    db_url: str | None = None,
    wrap: Callable[[list[str]], list[str]] | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[JupyterProcess]:
    """Start ``jupyter <app>`` isolated in ``work_dir`` and wait until it answers.

    The store is ``db_url``, by default a SQLite file in ``work_dir``: start again with the
    same ``work_dir`` to find the same files and store. ``wrap`` turns the command into
    another (as another user, on a machine missing some tools: tests/ordinary_user.py);
    ``env`` adds to its environment.
    """
    root = work_dir / "root"
    root.mkdir(parents=True, exist_ok=True)
    settings = work_dir / "settings"
    # No "Jupyter news?" toast over what the tests look at.
    notification = (
        settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    )
    notification.parent.mkdir(parents=True, exist_ok=True)
    notification.write_text('{"fetchNews": "false", "checkForUpdates": false}')
    # Jupyter AI brings an MCP server on a fixed port (3001) and a client that starts coding
    # agents: neither is part of what is tested, and two servers would fight over the port.
    config = work_dir / "config"
    config.mkdir(exist_ok=True)
    (config / "jupyter_server_config.json").write_text(
        json.dumps({"ServerApp": {"jpserver_extensions": _NOT_UNDER_TEST}})
    )
    port = free_port()
    token = secrets.token_hex(16)
    environment = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(work_dir / "config"),
        "JUPYTER_RUNTIME_DIR": str(work_dir / "runtime"),
        "JUPYTERLAB_WORKSPACES_DIR": str(work_dir / "workspaces"),
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "SCRIPTFORGE_DB_URL": db_url or f"sqlite:///{work_dir / 'scriptforge.db'}",
        **(env or {}),
    }
    log_path = work_dir / f"jupyter-{app}.log"
    command = [
        _JUPYTER,
        app,
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--port-retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        # Servers of one host sharing an instance name clean up each other's runs at start;
        # a restart on the same work_dir is the same instance.
        f"--ScriptForgeApp.runs_instance=pytest-{os.getpid()}-{work_dir.name}",
        *(["--allow-root"] if os.geteuid() == 0 else []),
        *language_tools.ARGS,
        *extra_args,
    ]
    if wrap is not None:
        command = wrap(command)
    with open(log_path, "wb") as log:
        # No terminal, as under JupyterHub or a service manager.
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=environment
        )
    server = JupyterProcess(f"http://127.0.0.1:{port}", token, root, log_path, process)
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"jupyter {app} exited:\n{server.log()}")
            try:
                server.get("/api/status")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"jupyter {app} did not answer:\n{server.log()}") from None
                time.sleep(0.25)
        yield server
    finally:
        stop(process, timeout=20)
