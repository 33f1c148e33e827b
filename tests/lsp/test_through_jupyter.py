"""Language intelligence through a real Jupyter server: the WebSocket jupyterlab-lsp opens
for ScriptForge's spec (served in the server's process), the router and a
python-lsp-server per interpreter — and the process table afterwards."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlencode

import docker
import pytest
from tornado.httpclient import HTTPClientError
from tornado.websocket import websocket_connect

from tests.jupyter_process import JupyterProcess, running_jupyter

from .processes import alive, children_of, command_lines, zombies_of
from .socket import SPEC, Socket

pytestmark = pytest.mark.timeout(600)


def api(server: JupyterProcess, method: str, path: str, body: Any = None) -> Any:
    return json.loads(server.request(method, f"/scriptforge/api/{path}", body) or b"null")


def script(server: JupyterProcess, name: str, content: str, interpreter: str) -> tuple[int, str]:
    created = api(
        server, "POST", "scripts", {"name": name, "content": content, "interpreter": interpreter}
    )
    return created["id"], (server.root / created["path"]).resolve().as_uri()


def interpreter_names(server: JupyterProcess) -> dict[str, str]:
    """Minor version ("3.13") → the server's name for that CPython."""
    found = api(server, "GET", "interpreters")["interpreters"]
    names: dict[str, str] = {}
    for item in found:
        if item["implementation"] == "CPython" and item["path"]:
            names.setdefault(".".join(item["version"].split(".")[:2]), item["name"])
    return names


def language_servers(server: JupyterProcess) -> list[dict[str, Any]]:
    return api(server, "GET", "health")["language_servers"]


def run(coroutine):
    return asyncio.new_event_loop().run_until_complete(coroutine)


@pytest.fixture
def lab(tmp_path: Path):
    with running_jupyter(
        tmp_path, app="server", extra_args=("--ScriptForgeApp.lsp_idle_timeout=3",)
    ) as server:
        yield server


def test_completion_and_diagnostics_follow_each_scripts_interpreter(lab):
    names = interpreter_names(lab)
    text = "import copy\ntype Alias = int\ncopy.rep\n"
    _, new = script(lab, "new", text, names["3.13"])
    old_id, old = script(lab, "old", text, names["3.11"])

    async def scenario() -> None:
        socket = await Socket.open(lab)
        await socket.open_document(new, text)
        await socket.open_document(old, text)
        assert "replace(obj, changes)" in await socket.completions(new, 2, 8)
        assert await socket.completions(old, 2, 8) == []
        await socket.diagnostics_until(
            old, lambda found: any(d["range"]["start"]["line"] == 1 for d in found)
        )
        await socket.diagnostics_until(new, lambda found: found == [])

        # The toolbar's picker changes the script's interpreter: the editor follows, open.
        api(lab, "PATCH", f"scripts/{old_id}", {"interpreter": names["3.13"]})
        await socket.diagnostics_until(old, lambda found: found == [], timeout=20)
        assert "replace(obj, changes)" in await socket.completions(old, 2, 8)
        socket.close()

    run(scenario())
    servers = {s["interpreter"]: s for s in language_servers(lab)}
    assert servers[names["3.13"]]["state"] == "ready"
    assert servers[names["3.13"]]["where"].startswith("pid ")
    assert 0 < servers[names["3.13"]]["memory_bytes"] < 150 * 2**20


def test_the_socket_is_served_in_process_and_answers_only_the_editor_that_asked(lab):
    name = interpreter_names(lab)["3.13"]
    _, uri = script(lab, "asks", "import os\nos.pa\n", name)

    async def scenario() -> tuple[list[str], dict[str, Any]]:
        asking, other = await Socket.open(lab), await Socket.open(lab)
        await asking.open_document(uri, "import os\nos.pa\n")
        found = await asking.completions(uri, 1, 5)
        # The other tab gets nothing of it (jupyter-lsp sent every answer to every tab).
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(1.0):
                extra = await other._next()
                return found, extra
        asking.close()
        other.close()
        return found, {}

    found, sent_elsewhere = run(scenario())
    assert "path" in found
    assert sent_elsewhere == {}
    # jupyter-lsp lists the spec (jupyterlab-lsp finds it there) but never started a process.
    status = json.loads(lab.request("GET", "/lsp/status"))
    assert status["sessions"]["scriptforge-python"]["status"] == "not_started"
    assert command_lines("ScriptForge serves the WebSocket") == []


def test_the_socket_refuses_a_request_without_credentials(lab):
    url = lab.url.replace("http", "ws", 1) + f"/lsp/ws/{SPEC}"

    async def connect() -> None:
        await websocket_connect(url)

    with pytest.raises(HTTPClientError) as refused:
        run(connect())
    assert refused.value.code == 403


def test_a_definition_outside_the_root_opens_through_the_sources_endpoint(lab):
    name = interpreter_names(lab)["3.12"]
    _, uri = script(lab, "jumps", "import json\njson.dumps({})\n", name)

    async def scenario() -> str:
        socket = await Socket.open(lab)
        await socket.open_document(uri, "import json\njson.dumps({})\n")
        answer = await socket.call(
            "textDocument/definition",
            {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 7}},
        )
        socket.close()
        [location] = answer["result"]
        return str(location["uri"])

    location = unquote(run(scenario()))
    assert location.startswith(f"sources:{name}/")
    query = urlencode({"path": location.removeprefix("sources:")})
    source = api(lab, "GET", f"language/source?{query}")
    assert source["path"] == location
    assert source["file"].endswith("/python3.12/json/__init__.py")
    assert "def dumps(obj, *," in source["content"]


def test_editors_come_and_go_and_leave_nothing_behind(lab):
    names = interpreter_names(lab)
    versions = ["3.13", "3.12", "3.11"]
    uris = {
        v: script(lab, f"s{v.replace('.', '_')}", "import os\nos.pa\n", names[v])[1]
        for v in versions
    }
    server_pid = lab.process.pid
    before = set(children_of(server_pid))

    async def scenario() -> None:
        socket = await Socket.open(lab)
        for cycle in range(100):
            version = versions[cycle % 3]
            await socket.open_document(uris[version], "import os\nos.pa\n")
            assert "path" in await socket.completions(uris[version], 1, 5)
            await socket.notify("textDocument/didClose", {"textDocument": {"uri": uris[version]}})
            if cycle % 5 == 4:  # 20 disconnects: each closes its documents
                socket.close()
                socket = await Socket.open(lab)
        socket.close()

    run(scenario())
    pylsp = {int(s["where"].split()[-1]) for s in language_servers(lab) if s["where"]}
    assert len(pylsp) == 3
    # Idle (3 s here): every language server stops and is reaped.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (
        any(s["state"] != "stopped" for s in language_servers(lab))
        or set(children_of(server_pid)) - before
    ):
        time.sleep(0.5)
    assert {s["state"] for s in language_servers(lab)} == {"stopped"}
    assert set(children_of(server_pid)) - before == set()
    assert zombies_of(server_pid) == []
    assert not any(alive(pid) for pid in pylsp)


# A server killed here cannot remove the run containers its warm pool started: it starts none.
NO_WARM_POOL = ("--ScriptForgeApp.warm_pool_size=0",)


def test_no_language_server_outlives_a_killed_jupyter_server(tmp_path):
    with running_jupyter(tmp_path, app="server", extra_args=NO_WARM_POOL) as lab:
        names = interpreter_names(lab)
        uri = script(lab, "s", "import os\nos.pa\n", names["3.13"])[1]

        async def scenario() -> None:
            socket = await Socket.open(lab)
            await socket.open_document(uri, "import os\nos.pa\n")
            assert "path" in await socket.completions(uri, 1, 5)

        run(scenario())
        [status] = language_servers(lab)
        pylsp = int(status["where"].split()[-1])
        assert alive(pylsp)
        os.kill(lab.process.pid, signal.SIGKILL)
        lab.process.wait()

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and alive(pylsp):
            time.sleep(0.2)
        assert not alive(pylsp), "pylsp outlived the Jupyter server"


@pytest.mark.docker
def test_no_language_server_container_outlives_a_killed_jupyter_server(tmp_path, docker_client):
    with running_jupyter(tmp_path, app="server", extra_args=NO_WARM_POOL) as lab:
        found = api(lab, "GET", "interpreters")["interpreters"]
        image_only = [i["name"] for i in found if i["image"] and not i["path"]]
        assert image_only, f"no interpreter only an image has (make images): {found}"
        uri = script(lab, "s", "import os\nos.pa\n", image_only[0])[1]

        async def scenario() -> None:
            socket = await Socket.open(lab)
            await socket.open_document(uri, "import os\nos.pa\n")
            assert "path" in await socket.completions(uri, 1, 5)

        run(scenario())
        [status] = language_servers(lab)
        container = status["where"].split()[-1]
        assert docker_client.containers.get(container).status == "running"
        os.kill(lab.process.pid, signal.SIGKILL)
        lab.process.wait()

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _exists(docker_client, container):
            time.sleep(0.2)
        assert not _exists(docker_client, container), "the container outlived the server"


def _exists(client, container: str) -> bool:
    try:
        client.containers.get(container)
    except docker.errors.NotFound:
        return False
    return True
