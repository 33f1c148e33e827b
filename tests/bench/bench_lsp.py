"""What ScriptForge's language-server path costs, against python-lsp-server spoken to
directly over stdio on the same interpreter, in the same run.

The editor's path: the WebSocket jupyterlab-lsp opens on a real ``jupyter server``
(``/lsp/ws/scriptforge-python``), ScriptForge's router and the interpreter's pylsp. The
baseline: pylsp on the same interpreter, from the same tools folder, with the same settings
and client capabilities, with nothing in between. Both get the same 1,000-line script and
the same edits; the two are asked in turn, pair by pair, so the machine's drift falls on
both. A completion is timed from its edit (``didChange``, the whole text, as jupyterlab-lsp
sends it) to the answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import statistics
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from tornado.websocket import WebSocketClientConnection, websocket_connect

from jupyter_scriptforge.lsp.connection import Connection
from jupyter_scriptforge.lsp.local_process import LAUNCH
from jupyter_scriptforge.lsp.manager import DEFAULT_CLIENT_CAPABILITIES, DEFAULT_SETTINGS
from jupyter_scriptforge.lsp.tools import LanguageTools
from tests.bench.report import emit, ms, percentile
from tests.bench.targets import Target, assert_targets
from tests.jupyter_process import JupyterProcess, running_jupyter
from tests.language_tools import TOOLS

WARM_UP = 5
SAMPLES = 150
COLD_STARTS = 5
PAUSE = 0.05
MIB = 2**20
# The last line is edited before each completion, as typing does; jedi answers from the
# whole module (1,000 lines of functions, classes and imports of the standard library).
EDITS = ("result = os.path.jo", "result = json.du", "result = helper_0007(1).va")


def a_long_script(lines: int = 1000) -> str:
    out = ["import json", "import os", "from collections import OrderedDict", ""]
    n = 0
    while len(out) < lines - 1:
        out += [
            f"def helper_{n:04d}(value: int) -> OrderedDict:",
            f'    """Helper number {n}."""',
            "    table = OrderedDict(value=value, name=os.path.basename(str(value)))",
            "    return table",
            "",
            f"class Record{n:04d}:",
            f"    size = {n}",
            "",
            "    def describe(self) -> str:",
            "        return json.dumps({'size': self.size})",
            "",
        ]
        n += 1
    return "\n".join(out[: lines - 1]) + "\n"


def with_edit(script: str, edit: str) -> tuple[str, dict[str, int]]:
    text = script + edit
    return text, {"line": script.count("\n"), "character": len(edit)}


def completion_params(uri: str, position: dict[str, int]) -> dict[str, Any]:
    return {"textDocument": {"uri": uri}, "position": position}


class WebSocketEditor:
    """jupyterlab-lsp's side of ``/lsp/ws/scriptforge-python``."""

    def __init__(self, connection: WebSocketClientConnection) -> None:
        self._connection = connection
        self._ids = itertools.count(1)

    @classmethod
    async def open(cls, lab: JupyterProcess) -> WebSocketEditor:
        url = lab.url.replace("http", "ws", 1) + f"/lsp/ws/scriptforge-python?token={lab.token}"
        editor = cls(await websocket_connect(url, max_message_size=2**26))
        await editor.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
        await editor.notify("initialized", {})
        return editor

    async def notify(self, method: str, params: Any) -> None:
        await self._connection.write_message(
            json.dumps({"jsonrpc": "2.0", "method": method, "params": params})
        )

    async def request(self, method: str, params: Any) -> Any:
        request_id = next(self._ids)
        await self._connection.write_message(
            json.dumps({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        )
        while True:
            frame = await self._connection.read_message()
            assert frame is not None, "the WebSocket closed"
            message = json.loads(frame)
            if message.get("id") == request_id and "method" not in message:
                assert "error" not in message, message
                return message.get("result")

    def close(self) -> None:
        self._connection.close()


class DirectEditor:
    """pylsp on ``interpreter`` over its own stdin and stdout: the baseline."""

    def __init__(self, process: asyncio.subprocess.Process, connection: Connection) -> None:
        self._process = process
        self._connection = connection

    @classmethod
    async def start(cls, interpreter: str, tools: Path, root: Path) -> DirectEditor:
        process = await asyncio.create_subprocess_exec(
            interpreter,
            "-I",
            "-c",
            LAUNCH,
            str(tools),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            cwd=root,
            limit=2**24,
        )
        assert process.stdout is not None
        assert process.stdin is not None
        editor = cls(process, Connection(process.stdout, process.stdin, lambda message: None))
        root_uri = root.as_uri()
        await editor.request(
            "initialize",
            {
                "processId": None,
                "rootUri": root_uri,
                "workspaceFolders": [{"uri": root_uri, "name": root.name}],
                # What the router's servers are given for an editor that says nothing.
                "capabilities": DEFAULT_CLIENT_CAPABILITIES,
            },
        )
        await editor.notify("initialized", {})
        # The settings ScriptForge gives its servers: the same work on both sides.
        settings = copy.deepcopy(DEFAULT_SETTINGS)
        settings["pylsp"]["plugins"]["jedi"] = {"environment": interpreter}
        await editor.notify("workspace/didChangeConfiguration", {"settings": settings})
        return editor

    async def notify(self, method: str, params: Any) -> None:
        await self._connection.notify(method, params)

    async def request(self, method: str, params: Any) -> Any:
        return await self._connection.request(method, params)

    async def stop(self) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.request("shutdown", None), 5)
            await self.notify("exit", None)
        await self._connection.close()
        with contextlib.suppress(ProcessLookupError):
            self._process.kill()
        await self._process.wait()


Editor = WebSocketEditor | DirectEditor


async def open_document(editor: Editor, uri: str, text: str) -> None:
    item = {"uri": uri, "languageId": "python", "version": 1, "text": text}
    await editor.notify("textDocument/didOpen", {"textDocument": item})


async def completion_after_edit(
    editor: Editor, uri: str, script: str, edit: str, version: int
) -> float:
    """Seconds from the edit to the completion's answer: jupyterlab-lsp sends the edit
    (``didChange``, the whole text) and the request together, and the user waits for both."""
    text, position = with_edit(script, edit)
    started = time.perf_counter()
    await editor.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]},
    )
    result = await editor.request("textDocument/completion", completion_params(uri, position))
    elapsed = time.perf_counter() - started
    items = result.get("items", []) if isinstance(result, dict) else result
    assert items, f"no completion after {edit!r}"
    return elapsed


def api(lab: JupyterProcess, method: str, path: str, body: Any = None) -> Any:
    return json.loads(lab.request(method, f"/scriptforge/api/{path}", body) or b"null")


def interpreters(lab: JupyterProcess) -> list[dict[str, Any]]:
    return list(api(lab, "GET", "interpreters")["interpreters"])


def local_cpython(lab: JupyterProcess, minor: str) -> dict[str, Any]:
    return next(
        i
        for i in interpreters(lab)
        if i["implementation"] == "CPython" and i["path"] and i["version"].startswith(minor + ".")
    )


def image_only(lab: JupyterProcess) -> dict[str, Any]:
    return next(i for i in interpreters(lab) if not i["path"])


def new_script(lab: JupyterProcess, name: str, text: str, interpreter: str) -> str:
    created = api(
        lab, "POST", "scripts", {"name": name, "content": text, "interpreter": interpreter}
    )
    return (lab.root / created["path"]).resolve().as_uri()


def server_of(lab: JupyterProcess, interpreter: str) -> dict[str, Any]:
    """The interpreter's server as health reports it (``stopped`` before its first start)."""
    servers = api(lab, "GET", "language-servers")["language_servers"]
    found = [s for s in servers if s["interpreter"] == interpreter]
    return found[0] if found else {"state": "stopped", "memory_bytes": None}


@contextlib.asynccontextmanager
async def websocket(lab: JupyterProcess) -> AsyncIterator[WebSocketEditor]:
    editor = await WebSocketEditor.open(lab)
    try:
        yield editor
    finally:
        editor.close()


# --- completion on a 1,000-line script --------------------------------------------------


async def completion_pairs(
    lab: JupyterProcess, interpreter: dict[str, Any], tools: Path
) -> tuple[list[float], list[float]]:
    script = a_long_script()
    routed_uri = new_script(lab, "long_script", script, interpreter["name"])
    direct_uri = (lab.root / "direct" / "long_script.py").as_uri()
    direct = await DirectEditor.start(interpreter["path"], tools, lab.root)
    routed_times, direct_times = [], []
    try:
        async with websocket(lab) as routed:
            await open_document(routed, routed_uri, script)
            await open_document(direct, direct_uri, script)
            for n in range(WARM_UP + SAMPLES):
                edit = EDITS[n % len(EDITS)]
                # In turn, first one then the other, so neither always goes first.
                first, second = (routed, direct) if n % 2 else (direct, routed)
                times = {}
                for editor in (first, second):
                    uri = routed_uri if editor is routed else direct_uri
                    await asyncio.sleep(PAUSE)  # what the last answer set going ends first
                    times[editor] = await completion_after_edit(editor, uri, script, edit, n + 2)
                if n >= WARM_UP:
                    routed_times.append(times[routed])
                    direct_times.append(times[direct])
    finally:
        await direct.stop()
    return routed_times, direct_times


# --- cold start -----------------------------------------------------------------------


async def cold_routed(lab: JupyterProcess, interpreter: str, uri: str) -> float:
    """Seconds from opening a script whose server is not running to its first completion."""
    deadline = time.monotonic() + 60
    while server_of(lab, interpreter)["state"] == "ready":  # idle stop (1 s here)
        assert time.monotonic() < deadline, "the server did not stop when idle"
        await asyncio.sleep(0.2)
    text, position = with_edit("import os\n", "os.pa")
    async with websocket(lab) as editor:
        started = time.perf_counter()
        await open_document(editor, uri, text)
        result = await editor.request("textDocument/completion", completion_params(uri, position))
        elapsed = time.perf_counter() - started
        await editor.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert result, "no completion from a cold server"
    return elapsed


async def cold_direct(interpreter: str, tools: Path, root: Path) -> float:
    """pylsp's own start: process, initialize, open, first completion."""
    text, position = with_edit("import os\n", "os.pa")
    uri = (root / "direct" / "cold.py").as_uri()
    started = time.perf_counter()
    editor = await DirectEditor.start(interpreter, tools, root)
    try:
        await open_document(editor, uri, text)
        result = await editor.request("textDocument/completion", completion_params(uri, position))
        elapsed = time.perf_counter() - started
    finally:
        await editor.stop()
    assert result, "no completion from pylsp"
    return elapsed


# --- the benchmark --------------------------------------------------------------------


def test_language_server_path_costs(tmp_path):
    with running_jupyter(
        tmp_path, app="server", extra_args=("--ScriptForgeApp.lsp_idle_timeout=1",)
    ) as lab:
        local = local_cpython(lab, "3.12")
        docker = image_only(lab)
        tools = asyncio.run(LanguageTools(TOOLS, offline=True).ensure(local["path"]))
        loop = asyncio.new_event_loop()
        try:
            routed, direct = loop.run_until_complete(completion_pairs(lab, local, tools))
            idle_local = server_of(lab, local["name"])["memory_bytes"]

            cold_local_uri = new_script(lab, "cold_local", "import os\n", local["name"])
            cold_docker_uri = new_script(lab, "cold_docker", "import os\n", docker["name"])
            cold = {"local": [], "docker": [], "pylsp": []}
            idle_docker = None
            for _ in range(COLD_STARTS):
                cold["pylsp"].append(
                    loop.run_until_complete(cold_direct(local["path"], tools, lab.root))
                )
                cold["local"].append(
                    loop.run_until_complete(cold_routed(lab, local["name"], cold_local_uri))
                )
                cold["docker"].append(
                    loop.run_until_complete(cold_routed(lab, docker["name"], cold_docker_uri))
                )
                idle_docker = server_of(lab, docker["name"])["memory_bytes"] or idle_docker
        finally:
            loop.close()

    pairwise = statistics.median(r / d for r, d in zip(routed, direct, strict=True))
    p50_ratio = statistics.median(routed) / statistics.median(direct)
    cold_p50 = {kind: statistics.median(times) for kind, times in cold.items()}
    emit(
        "lsp_completion",
        script_lines=1000,
        samples=SAMPLES,
        interpreter=local["name"],
        routed_p50_ms=ms(statistics.median(routed)),
        routed_p95_ms=ms(percentile(routed, 95)),
        direct_p50_ms=ms(statistics.median(direct)),
        direct_p95_ms=ms(percentile(direct, 95)),
        p50_ratio=round(p50_ratio, 3),
        pairwise_median_ratio=round(pairwise, 3),
        target="routed p50 <= 1.2 x pylsp over stdio",
    )
    emit(
        "lsp_cold_start",
        starts=COLD_STARTS,
        pylsp_own_p50_ms=ms(cold_p50["pylsp"]),
        local_p50_ms=ms(cold_p50["local"]),
        local_ratio=round(cold_p50["local"] / cold_p50["pylsp"], 2),
        docker_interpreter=docker["name"],
        docker_p50_ms=ms(cold_p50["docker"]),
        docker_ratio=round(cold_p50["docker"] / cold_p50["pylsp"], 2),
        target="reported against pylsp's own start",
    )
    emit(
        "lsp_idle_memory",
        local_interpreter=local["name"],
        local_mib=round((idle_local or 0) / MIB, 1),
        docker_interpreter=docker["name"],
        docker_mib=round((idle_docker or 0) / MIB, 1),
        target="<= 150 MiB per interpreter",
    )
    assert idle_local, "no memory figure for the local server"
    assert idle_docker, "no memory figure for the server in a container"
    assert_targets(
        "lsp",
        Target("completion p50, routed over pylsp over stdio", p50_ratio, 1.2, "x"),
        Target("idle memory, local server", idle_local / MIB, 150, " MiB"),
        Target("idle memory, server in a container", idle_docker / MIB, 150, " MiB"),
    )
