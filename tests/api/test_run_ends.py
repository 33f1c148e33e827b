"""The stream of a user's run ends (``GET runs/ended``), which an open JupyterLab listens to:
each top-level run as it ends, a group's too, none of a group's own items."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.jupyter_process import JupyterProcess, running_jupyter


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterProcess]:
    with running_jupyter(tmp_path_factory.mktemp("ends"), app="server") as running:
        yield running


def post(server: JupyterProcess, path: str, body: dict[str, Any]) -> dict[str, Any]:
    return json.loads(server.request("POST", f"/scriptforge/api/{path}", body))


def listen(server: JupyterProcess, wait: float, heard: list[dict[str, Any]]) -> threading.Thread:
    def read() -> None:
        with requests.get(
            f"{server.url}/scriptforge/api/runs/ended",
            params={"wait": wait},
            headers={"Authorization": f"token {server.token}"},
            stream=True,
            timeout=60,
        ) as response:
            assert response.headers["Content-Type"].startswith("text/event-stream")
            kind = None
            for line in response.iter_lines(decode_unicode=True):
                if line.startswith("event: "):
                    kind = line[7:]
                elif line.startswith("data: ") and kind == "ended":
                    heard.append(json.loads(line[6:]))

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    time.sleep(0.5)  # connected before the runs start
    return thread


def test_a_listener_hears_each_of_its_runs_end_with_how(server):
    good = post(server, "scripts", {"name": "ends_good", "content": "print(1)\n"})
    bad = post(server, "scripts", {"name": "ends_bad", "content": "raise SystemExit(2)\n"})
    group = post(
        server,
        "groups",
        {"name": "ends_group", "items": [{"script_id": good["id"]}, {"script_id": bad["id"]}]},
    )
    heard: list[dict[str, Any]] = []
    thread = listen(server, 12, heard)

    runs = [
        post(server, "runs", {"script_id": good["id"]}),
        post(server, "runs", {"script_id": bad["id"]}),
        post(server, "runs", {"group_id": group["id"]}),
    ]
    thread.join(timeout=40)

    assert not thread.is_alive(), "the stream did not end after its wait"
    assert {run["id"]: run["status"] for run in heard} == {
        runs[0]["id"]: "succeeded",
        runs[1]["id"]: "failed",
        runs[2]["id"]: "failed",  # the group, not its items
    }
    assert all(run["parent_id"] is None for run in heard)


def test_wait_bounds_the_stream_and_a_bad_one_is_a_400(server):
    began = time.monotonic()
    quick = requests.get(
        f"{server.url}/scriptforge/api/runs/ended",
        params={"wait": 0},
        headers={"Authorization": f"token {server.token}"},
        timeout=30,
    )
    took = time.monotonic() - began
    bad = requests.get(
        f"{server.url}/scriptforge/api/runs/ended",
        params={"wait": "-1"},
        headers={"Authorization": f"token {server.token}"},
        timeout=30,
    )

    assert quick.status_code == 200
    assert quick.text.startswith(": following")
    assert took < 5
    assert bad.status_code == 400
    assert "wait must be" in bad.json()["message"]
