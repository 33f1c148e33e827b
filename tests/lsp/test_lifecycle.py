"""Each interpreter's language server: started on demand, shared, stopped when idle or over
the cap, restarted after a crash with the editor carrying on, and nothing left behind."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from jupyter_scriptforge.execution.interpreters import Interpreter

from .editors import (
    Editor,
    editing,
    eventually,
    interpreter,
    language_servers,
    messages,
    offline_tools,
)
from .processes import alive, group_members, zombies_of

pytestmark = pytest.mark.timeout(240)


def three() -> dict[str, Interpreter]:
    return {f"cpython-{v}": interpreter(v) for v in ("3.13", "3.12", "3.11")}


def pid_of(servers, name: str) -> int:
    [status] = [s for s in servers.statuses() if s.interpreter == name]
    assert status.where is not None, status
    return int(status.where.split()[-1])


@pytest.fixture
def editor_and_servers(root, jp_asyncio_loop):
    with editing(root, three(), jp_asyncio_loop, idle_timeout=600, max_servers=4) as pair:
        yield pair


async def test_one_server_per_interpreter_shared_by_its_editors(editor_and_servers, root):
    editor, servers = editor_and_servers
    for index in range(3):
        await editor.open((root / f"sub{index}" / "cpython-3.13.py").as_uri(), "import os\n")
    await editor.open((root / "cpython-3.11.py").as_uri(), "import os\n")
    await editor.completions((root / "cpython-3.11.py").as_uri(), 0, 8)
    await editor.completions((root / "sub0" / "cpython-3.13.py").as_uri(), 0, 8)

    statuses = {s.interpreter: s for s in servers.statuses()}
    assert set(statuses) == {"cpython-3.13", "cpython-3.11"}
    assert statuses["cpython-3.13"].documents == 3
    assert all(s.state == "ready" for s in statuses.values())
    assert all(0 < (s.memory_bytes or 0) < 150 * 2**20 for s in statuses.values())


async def test_a_killed_server_is_restarted_and_the_editor_carries_on(editor_and_servers, root):
    editor, servers = editor_and_servers
    uri = (root / "cpython-3.13.py").as_uri()
    await editor.open(uri, "import copy\nprint(undefined)\ncopy.rep\n")
    await editor.diagnostics_of(uri)
    first = pid_of(servers, "cpython-3.13")

    os.kill(first, signal.SIGKILL)
    await eventually(lambda: servers.statuses()[0].state == "failed")
    assert servers.statuses()[0].reason == "the language server exited (killed by SIGKILL)"
    assert not alive(first)
    assert zombies_of() == []

    editor.diagnostics.clear()
    assert "replace(obj, changes)" in await editor.completions(uri, 2, 8)
    assert pid_of(servers, "cpython-3.13") != first
    # The document was opened again in the new server: its findings come back unasked.
    assert messages(await editor.diagnostics_of(uri)) == [(2, "undefined name 'undefined'")]


def test_idle_servers_stop_and_come_back(root, jp_asyncio_loop):
    with editing(root, three(), jp_asyncio_loop, idle_timeout=1.0) as (editor, servers):

        async def scenario() -> None:
            uri = (root / "cpython-3.12.py").as_uri()
            await editor.open(uri, "import itertools\nitertools.batc\n")
            assert await editor.completions(uri, 1, 14)
            pid = pid_of(servers, "cpython-3.12")
            group = group_members(pid)
            assert len(group) >= 2  # pylsp and jedi's helper, one process group

            await eventually(lambda: servers.statuses()[0].state == "stopped", 10)
            assert servers.statuses()[0].reason == "stopped after being idle"
            assert group_members(pid) == []
            assert zombies_of() == []

            assert any(c.startswith("batched") for c in await editor.completions(uri, 1, 14))

        jp_asyncio_loop.run_until_complete(scenario())


def test_over_the_cap_the_least_recently_used_server_stops(root, jp_asyncio_loop):
    with editing(root, three(), jp_asyncio_loop, max_servers=2) as (editor, servers):

        async def scenario() -> None:
            uris = {name: (root / f"{name}.py").as_uri() for name in three()}
            for name in ("cpython-3.13", "cpython-3.12"):
                await editor.open(uris[name], "import os\n")
                await editor.completions(uris[name], 0, 8)
            await editor.completions(uris["cpython-3.13"], 0, 8)  # 3.12 is now the oldest

            await editor.open(uris["cpython-3.11"], "import os\n")
            await editor.completions(uris["cpython-3.11"], 0, 8)
            await eventually(lambda: states(servers)["cpython-3.12"] == "stopped")

            assert states(servers) == {
                "cpython-3.13": "ready",
                "cpython-3.12": "stopped",
                "cpython-3.11": "ready",
            }
            # Its editor still works: the server starts again, and another makes room.
            assert await editor.completions(uris["cpython-3.12"], 0, 8)
            await eventually(lambda: list(states(servers).values()).count("ready") == 2)

        jp_asyncio_loop.run_until_complete(scenario())


def states(servers) -> dict[str, str]:
    return {s.interpreter: s.state for s in servers.statuses()}


def test_closing_stops_every_process_and_reaps_it(root, jp_asyncio_loop):
    servers = language_servers(root, three())

    async def scenario() -> list[int]:
        editor = Editor(servers, lambda uri: _stem(uri))
        await editor.initialize()
        pids = []
        for name in three():
            uri = (root / f"{name}.py").as_uri()
            await editor.open(uri, "import os\n")
            await editor.completions(uri, 0, 8)
            pids.append(pid_of(servers, name))
        await editor.session.end()
        await servers.close()
        return pids

    pids = jp_asyncio_loop.run_until_complete(scenario())
    assert all(group_members(pid) == [] for pid in pids)
    assert zombies_of() == []
    assert {s.state for s in servers.statuses()} == {"stopped"}


async def _stem(uri: str) -> str:
    return Path(uri).stem


# --- bad input --------------------------------------------------------------------------


async def test_malformed_messages_get_errors_and_the_session_goes_on(editor_and_servers, root):
    editor, _ = editor_and_servers
    answers: list[dict] = []
    original = editor.session._send

    async def capture(message):
        answers.append(message)
        await original(message)

    editor.session._send = capture
    await editor.session.receive(b"{not json")
    await editor.session.receive(b"[1, 2]")
    bad = await editor.call("textDocument/completion", {"textDocument": "nope"})
    no_position = await editor.call(
        "textDocument/completion", {"textDocument": {"uri": (root / "x.py").as_uri()}}
    )

    assert [a["error"]["code"] for a in answers[:2]] == [-32700, -32700]
    assert bad["result"] is None  # no document named: nothing to say
    assert no_position["result"] is None  # a document never opened
    uri = (root / "cpython-3.13.py").as_uri()
    await editor.open(uri, "import copy\ncopy.rep\n")
    assert "replace(obj, changes)" in await editor.completions(uri, 1, 8)


async def test_documents_no_server_takes_get_empty_answers(editor_and_servers, tmp_path):
    editor, servers = editor_and_servers
    outside = (tmp_path / "elsewhere.py").as_uri()
    await editor.open(outside, "import os\n")
    assert await editor.completions(outside, 0, 8) == []
    assert servers.statuses() == []


def test_an_interpreter_that_vanished_is_a_clear_error(root, jp_asyncio_loop):
    interpreters = {"cpython-3.13": interpreter("3.13")}
    with editing(root, interpreters, jp_asyncio_loop) as (editor, servers):
        del interpreters["cpython-3.13"]  # uninstalled since the editor opened

        async def scenario() -> None:
            uri = (root / "cpython-3.13.py").as_uri()
            await editor.open(uri, "import os\n")
            answer = await editor.call(
                "textDocument/hover",
                {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 8}},
            )
            assert answer["error"]["message"] == (
                "the interpreter 'cpython-3.13' is not available on this server"
            )
            [status] = servers.statuses()
            assert (status.state, status.reason) == ("failed", answer["error"]["message"])

        jp_asyncio_loop.run_until_complete(scenario())


def test_an_interpreter_pylsp_cannot_be_installed_for_says_why(root, tmp_path, jp_asyncio_loop):
    fake = tmp_path / "python3.99"
    fake.write_text("#!/bin/sh\necho 'not a python' >&2\nexit 1\n")
    fake.chmod(0o755)
    broken = Interpreter("cpython-3.99", "CPython", "3.99.0", str(fake))
    tools = offline_tools(tmp_path / "tools")
    servers = language_servers(root, {"cpython-3.99": broken}, tools)

    async def scenario() -> None:
        editor = Editor(servers, _stem)
        await editor.initialize()
        uri = (root / "cpython-3.99.py").as_uri()
        await editor.open(uri, "import os\n")
        answer = await editor.call(
            "textDocument/completion",
            {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 8}},
        )
        assert answer["error"]["message"].startswith(
            "python-lsp-server could not be installed for cpython-3.99:"
        )
        assert list((tmp_path / "tools").iterdir()) == []  # no half-installed folder
        await editor.session.end()
        await servers.close()

    jp_asyncio_loop.run_until_complete(scenario())


async def test_a_megabyte_document_is_served(editor_and_servers, root):
    editor, _ = editor_and_servers
    uri = (root / "cpython-3.13.py").as_uri()
    text = "".join(f"value_{n} = {n}\n" for n in range(60_000)) + "value_1\n"
    assert len(text) > 1_000_000
    await editor.open(uri, text)
    assert "value_1" in await editor.completions(uri, 60_000, 7)
