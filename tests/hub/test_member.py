"""A team member's server (their container's Jupyter server, here a process) in front of
the team's service: ScriptForge's API goes on to the service with the server's own token
(the user's rights), and the user's working copies follow what the service records."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any

import pytest

from tests.hub_process import HubProcess
from tests.jupyter_process import JupyterProcess, running_jupyter

pytestmark = pytest.mark.hub


@pytest.fixture(scope="module")
def member_of(hub: HubProcess, tmp_path_factory: pytest.TempPathFactory):
    """Start a member server for a user: ``member_of("alice")``."""
    started: dict[str, JupyterProcess] = {}
    stack: list[Any] = []

    def start(user: str) -> JupyterProcess:
        if user not in started:
            context = running_jupyter(
                tmp_path_factory.mktemp(f"member-{user}"),
                app="server",
                env={
                    "SCRIPTFORGE_SERVICE_URL": f"{hub.url}/services/scriptforge/",
                    "JUPYTERHUB_API_TOKEN": hub.token(user),
                },
            )
            started[user] = context.__enter__()
            stack.append(context)
        return started[user]

    yield start
    for context in reversed(stack):
        context.__exit__(None, None, None)


def api(member: JupyterProcess, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    try:
        data = member.request(method, f"/scriptforge/api/{path}", body)
        return 200, json.loads(data) if data else None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def wait_for(predicate: Any, timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return bool(predicate())


def test_a_member_acts_as_its_user_and_keeps_working_copies_in_step(member_of, hub):
    alice = member_of("alice")
    # Another script listed first: a save must land on its own script, not the first found.
    decoy = api(alice, "POST", "scripts", {"name": "aaa_decoy", "content": "d = 1\n"})[1]
    status, script = api(
        alice, "POST", "scripts", {"name": "nightly", "visibility": "team", "content": "v = 1\n"}
    )
    assert status == 200
    assert script["owner"] == "alice"
    first = script["head_version_id"]

    opened = api(alice, "POST", f"scripts/{script['id']}/open")[1]
    copy = alice.root / opened["path"]
    assert copy.read_text() == "v = 1\n"

    # A save in JupyterLab (the contents API) is a version at the service.
    alice.request(
        "PUT",
        f"/api/contents/{opened['path']}",
        {"type": "file", "format": "text", "content": "v = 2\n"},
    )
    assert wait_for(
        lambda: len(api(alice, "GET", f"scripts/{script['id']}/versions")[1]["items"]) == 2
    )
    head = api(alice, "GET", f"scripts/{script['id']}")[1]["head_version_id"]
    assert len(api(alice, "GET", f"scripts/{decoy['id']}/versions")[1]["items"]) == 1
    assert api(alice, "GET", f"versions/{head}")[1]["content"] == "v = 2\n"

    # A restore through this server: the file follows the new head.
    api(alice, "POST", f"scripts/{script['id']}/restore", {"version_id": first})
    assert copy.read_text() == "v = 1\n"

    # A rename moves the file; a delete removes it (it held no edits of its own).
    api(alice, "PATCH", f"scripts/{script['id']}", {"name": "nightly_etl"})
    assert not copy.exists()
    moved = alice.root / "scripts" / "nightly_etl.py"
    assert moved.read_text() == "v = 1\n"
    assert api(alice, "DELETE", f"scripts/{script['id']}")[0] == 200
    assert not moved.exists()


def test_a_viewer_s_member_is_refused_what_the_viewer_may_not_do(member_of):
    alice, vera = member_of("alice"), member_of("vera")
    script = api(alice, "POST", "scripts", {"name": "report", "visibility": "team"})[1]

    status, answer = api(vera, "POST", f"scripts/{script['id']}/versions", {"content": "x\n"})

    assert status == 403
    assert answer["message"].endswith("that needs the scope custom:scriptforge:write.")
    assert api(vera, "GET", "me")[1]["rights"] == ["read"]


def test_a_run_s_output_streams_through_the_member(member_of):
    alice = member_of("alice")
    script = api(
        alice,
        "POST",
        "scripts",
        {"name": "count", "content": "for i in range(3):\n    print('line', i)\n"},
    )[1]
    run = api(alice, "POST", "runs", {"script_id": script["id"], "source": "head"})[1]

    events = alice.request("GET", f"/scriptforge/api/runs/{run['id']}/events").decode()

    recorded = api(alice, "GET", f"runs/{run['id']}/output")[1]
    assert "event: end" in events
    assert "line 2" in events, (events, recorded)


KEEPS = (
    "import os, pathlib\n"
    "out = pathlib.Path(os.environ['SCRIPTFORGE_OUTPUT'])\n"
    "(out / 'page.html').write_text('<script>alert(1)</script>')\n"
)


def test_a_runs_kept_files_come_through_the_member_as_downloads(member_of):
    alice = member_of("alice")
    script = api(alice, "POST", "scripts", {"name": "keeps_page", "content": KEEPS})[1]
    run = api(alice, "POST", "runs", {"script_id": script["id"], "source": "head"})[1]
    assert wait_for(lambda: api(alice, "GET", f"runs/{run['id']}")[1]["status"] == "succeeded", 90)

    listing = api(alice, "GET", f"runs/{run['id']}/artifacts")[1]
    request = urllib.request.Request(
        f"{alice.url}/scriptforge/api/runs/{run['id']}/artifact?path=page.html",
        headers={"Authorization": f"token {alice.token}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        body, headers = response.read(), response.headers

    assert [a["path"] for a in listing["artifacts"]] == ["page.html"]
    assert body == b"<script>alert(1)</script>"
    # Never a page of the user's server: the service's guards reach the browser.
    assert headers["Content-Type"] == "application/octet-stream"
    assert headers["Content-Disposition"].startswith("attachment;")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"] == "sandbox"
