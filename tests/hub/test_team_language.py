"""Language intelligence in a user's own container: python-lsp-server on the interpreter of
the image the user chose at spawn, started and served by the user's own server, as
jupyterlab-lsp asks through the editor's socket — and nobody else's token opens it."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlencode

import pytest
from tornado.httpclient import HTTPClientError
from tornado.websocket import websocket_connect

from tests.hub.servers import inside, spawn, stop_server
from tests.hub_process import HubProcess
from tests.lsp.socket import SPEC, Socket, authorized, closed

pytestmark = [pytest.mark.hub, pytest.mark.docker, pytest.mark.timeout(600)]

# Where the user's working copies are, in their container.
HOME = "/home/runner"
TEXT = "import json\njson.dumps({})\nimport __pypy__\n__pypy__.\n"
DECLARES = '# /// script\n# dependencies = ["sfdemo"]\n# ///\nimport sfdemo\nsfdemo.VER\n'
# The environments alice's server fetched from the service, in her container.
FETCHED = r"""
import json, os
folder = os.path.expanduser("~/.cache/scriptforge/packages")
found = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
print(json.dumps([[name, sorted(os.listdir(os.path.join(folder, name)))] for name in found]))
"""
FLAWED = "import os\nundefined_name\n"
# The processes of the user's container whose command line runs pylsp.
PYLSP_PROCESSES = r"""
import json, os
found = []
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        line = open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode()
    except OSError:
        continue
    if "pylsp" in line and "/proc" not in line:
        found.append(os.path.realpath(f"/proc/{pid}/exe"))
print(json.dumps(found))
"""


@dataclass
class UserServer:
    url: str
    token: str


def user_server(hub: HubProcess, user: str) -> UserServer:
    return UserServer(f"{hub.url}/user/{user}", hub.token(user))


def get(server: UserServer, path: str, method: str = "GET") -> Any:
    request = urllib.request.Request(
        f"{server.url}/scriptforge/api/{path}",
        headers={"Authorization": f"token {server.token}"},
        method=method,
        data=b"" if method == "POST" else None,
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


@pytest.mark.parametrize(
    ("user", "image", "interpreter", "pypy"),
    [("alice", "CPython 3.11", "cpython-3.11", False), ("ada", "PyPy 3", "pypy-3.", True)],
)
def test_a_user_s_language_server_runs_in_their_container_on_its_interpreter(
    hub, lab_image, user, image, interpreter, pypy
):
    spawn(hub, user, image)
    server = user_server(hub, user)
    uri = f"file://{HOME}/scripts/completes.py"
    flawed = f"file://{HOME}/scripts/flawed.py"

    # What the editor's indicator asks before the script is open.
    first = get(server, "language-servers?path=scripts/completes.py")
    assert first["interpreter"].startswith(interpreter)
    name = first["interpreter"]

    async def scenario() -> tuple[list[str], list[dict[str, Any]], str]:
        socket = await Socket.open(server)
        await socket.open_document(uri, TEXT)
        completions = await socket.completions(uri, 3, 9)
        await socket.open_document(flawed, FLAWED)
        found = await socket.diagnostics_until(flawed, lambda found: len(found) == 2)
        answer = await socket.call(
            "textDocument/definition",
            {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 7}},
        )
        await socket.hang_up()
        [location] = answer["result"]
        return completions, found, str(location["uri"])

    completions, diagnostics, location = asyncio.run(scenario())
    # PyPy's own module completes only on PyPy: the server's Python is the image's Debian
    # CPython; the language server's is the one the user chose.
    assert ("strategy" in completions) is pypy, completions[:10]
    assert sorted(d["message"] for d in diagnostics) == [
        "'os' imported but unused",
        "undefined name 'undefined_name'",
    ]
    # A definition in the interpreter's standard library opens read-only, from the container.
    location = unquote(location)
    assert location.startswith(f"sources:{name}/")
    source = get(server, f"language/source?{urlencode({'path': location[8:]})}")
    assert "def dumps(obj" in source["content"]

    status = {s["interpreter"]: s for s in get(server, "language-servers")["language_servers"]}
    assert status[name]["state"] == "ready"
    # The language server is a process of the user's container, on the chosen interpreter.
    executables = inside(hub, user, PYLSP_PROCESSES)
    assert executables, "no pylsp process in the container"
    assert all(("pypy" in exe) is pypy for exe in executables), executables
    if user != "alice":
        stop_server(hub, user)


def test_another_user_s_token_opens_no_language_server_of_alice(hub, lab_image):
    spawn(hub, "alice")
    url = f"{hub.url}/user/alice".replace("http", "ws", 1) + f"/lsp/ws/{SPEC}"

    async def connect(token: str | None) -> None:
        await closed(await websocket_connect(authorized(url, token)))

    for token in (None, hub.token("bob"), hub.token("ada")):
        with pytest.raises(HTTPClientError) as refused:
            asyncio.run(connect(token))
        assert refused.value.code in (302, 403), token
    # Nor does any of ScriptForge's language endpoints answer them in her server: bob is
    # turned away by the hub; ada, a hub admin, may reach alice's server, and ScriptForge
    # there refuses anyone but alice.
    refusals = {}
    for user in ("bob", "ada"):
        with pytest.raises(urllib.error.HTTPError) as refused_http:
            get(UserServer(f"{hub.url}/user/alice", hub.token(user)), "language-servers")
        refusals[user] = (refused_http.value.code, refused_http.value.read().decode())
        refused_http.value.close()
    assert refusals["bob"][0] in (302, 403)
    assert refusals["ada"][0] == 403
    assert "acts for alice alone" in refusals["ada"][1]
    # Alice's own token does.
    asyncio.run(connect(hub.token("alice")))


def test_a_user_s_language_server_reads_the_packages_her_script_declares(hub, lab_image):
    """The service builds the environment; alice's server fetches it as alice once the
    editor hears it is ready, and her container's language server completes from it."""
    spawn(hub, "alice")
    server = user_server(hub, "alice")
    script_id = hub.new_script(server.token, "declares_sfdemo", DECLARES)
    uri = f"file://{HOME}/scripts/declares_sfdemo.py"

    get(server, f"scripts/{script_id}/dependencies", method="POST")  # the editor prepares
    deadline = time.monotonic() + 120
    while (state := get(server, f"scripts/{script_id}/dependencies"))["state"] != "ready":
        assert state["state"] in ("unresolved", "resolving", "installing"), state
        assert time.monotonic() < deadline, state
        time.sleep(0.2)
    while not (fetched := inside(hub, "alice", FETCHED)):
        assert time.monotonic() < deadline, "alice's server fetched no environment"
        time.sleep(0.2)

    async def scenario() -> tuple[list[str], list[dict[str, Any]]]:
        socket = await Socket.open(server)
        await socket.open_document(uri, DECLARES)
        completions = await socket.completions(uri, 4, 10)
        found = await socket.diagnostics_until(uri, lambda found: True)
        await socket.hang_up()
        return completions, found

    completions, diagnostics = asyncio.run(scenario())
    [[name, contents]] = fetched
    assert name.startswith(state["interpreter"])
    assert {"sfdemo", "sfhelper"} <= set(contents)
    assert "VERSION" in completions, completions[:10]
    # ScriptForge's import check finds the module (not "sfdemo is not installed").
    assert not [d for d in diagnostics if "sfdemo" in d["message"]], diagnostics
