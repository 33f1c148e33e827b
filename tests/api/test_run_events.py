"""The run event stream (``GET runs/{id}/events``) held to ``openapi.yaml`` as schemathesis
reads it: Open API 3.1 has an event stream's schema describe each event, and an event's
``data`` is checked against its ``contentSchema`` (JSON: a Run, an output piece, a Run).

The fuzzer (test_fuzz.py) reaches this endpoint only when a generated id meets a real run;
here every kind of event is produced on purpose.
"""

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

import jupyter_scriptforge
from tests.jupyter_process import JupyterProcess, running_jupyter

schema = schemathesis.openapi.from_path(
    Path(jupyter_scriptforge.__file__).with_name("api") / "openapi.yaml"
)
EVENTS = schema["/runs/{run_id}/events"]["GET"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterProcess]:
    with running_jupyter(tmp_path_factory.mktemp("events"), app="server") as running:
        yield running


def post(server: JupyterProcess, path: str, body: dict[str, Any]) -> dict[str, Any]:
    return json.loads(server.request("POST", f"/scriptforge/api/{path}", body))


def finished_run(server: JupyterProcess, content: str) -> dict[str, Any]:
    script = post(server, "scripts", {"name": f"events_{time.monotonic_ns()}", "content": content})
    run = post(server, "runs", {"script_id": script["id"]})
    deadline = time.monotonic() + 60
    while run["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, run
        time.sleep(0.1)
        run = json.loads(server.get(f"/scriptforge/api/runs/{run['id']}"))
    return run


def events_of(server: JupyterProcess, run_id: int, **query: Any) -> list[dict[str, Any]]:
    """The stream through schemathesis, with the checks test_fuzz.py makes; its events."""
    case = EVENTS.Case(path_parameters={"run_id": run_id}, query=query or None)
    response = case.call_and_validate(
        base_url=f"{server.url}/scriptforge/api",
        headers={"Authorization": f"token {server.token}"},
        checks=[status_code_conformance, content_type_conformance, response_schema_conformance],
    )
    assert response.status_code == 200
    events = []
    for block in response.content.decode().strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in fields:
            events.append({**fields, "data": json.loads(fields["data"])})
    return events


@pytest.mark.parametrize(
    "content",
    [
        "import sys\nprint('out')\nprint('err', file=sys.stderr)\n",
        "pass\n",  # no output: run, then end
        "raise SystemExit(3)\n",  # failed
    ],
)
def test_every_event_of_a_run_is_what_the_spec_declares(server, content):
    run = finished_run(server, content)

    events = events_of(server, run["id"])

    assert events[0]["event"] == "run"
    assert events[0]["data"]["id"] == run["id"]
    assert events[-1]["event"] == "end"
    assert events[-1]["data"]["status"] == run["status"]
    assert {e["event"] for e in events[1:-1]} <= {"output"}


def test_a_run_followed_while_it_runs_ends_as_recorded(server):
    # Followed from its start: its output and its end come from the running server itself.
    code = (
        "import time\nfor i in range(4):\n    print(i, flush=True)\n    time.sleep(0.2)\n"
        "raise SystemExit(3)\n"
    )
    script = post(server, "scripts", {"name": "followed", "content": code})
    run = post(server, "runs", {"script_id": script["id"]})

    events = events_of(server, run["id"])

    assert events[0]["event"] == "run"
    assert events[0]["data"]["status"] in ("queued", "running")
    assert "".join(e["data"]["text"] for e in events if e["event"] == "output") == "0\n1\n2\n3\n"
    end = events[-1]
    assert end["event"] == "end"
    assert (end["data"]["status"], end["data"]["exit_code"]) == ("failed", 3)
    assert end["data"] == json.loads(server.get(f"/scriptforge/api/runs/{run['id']}"))


def test_a_resumed_stream_is_what_the_spec_declares(server):
    run = finished_run(server, "print('a')\nprint('b')\n")

    events = events_of(server, run["id"], offset=2)

    assert "".join(e["data"]["text"] for e in events if e["event"] == "output") == "b\n"


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("run", '"a string"'),
        ("run", '{"id": 1}'),
        ("output", '{"offset": 0, "stream": "stdout", "text": 1}'),
        ("end", "[]"),
        ("start", "{}"),
    ],
)
def test_an_event_not_as_declared_is_flagged(server, kind, data):
    """The same check has teeth: a stream whose event is not as declared fails it."""
    run = finished_run(server, "print('x')\n")
    url = f"{server.url}/scriptforge/api/runs/{run['id']}/events"
    body = server.get(f"/scriptforge/api/runs/{run['id']}/events").decode()
    assert EVENTS.is_valid_response(stream_response(url, body))

    blocks = body.strip().split("\n\n")
    index = (
        next(i for i, b in enumerate(blocks) if f"event: {kind}\n" in b) if kind != "start" else 0
    )
    head = "id: 3\n" if kind == "output" else ""
    blocks[index] = f"{head}event: {kind}\ndata: {data}"
    assert not EVENTS.is_valid_response(stream_response(url, "\n\n".join(blocks) + "\n\n"))


def stream_response(url: str, body: str) -> schemathesis.Response:
    return schemathesis.Response(
        status_code=200,
        headers={"content-type": ["text/event-stream"]},
        content=body.encode(),
        request=requests.Request("GET", url).prepare(),
        elapsed=0.0,
        verify=True,
    )
