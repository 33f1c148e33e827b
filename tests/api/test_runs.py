"""Runs and groups through the REST API, on the local runner, on both databases."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from jupyter_scriptforge.services import services_of
from tests.conftest import unavailable


async def finished(api: Any, run_id: int) -> dict[str, Any]:
    """Wait until the run reaches a final status; return it."""
    async with asyncio.timeout(60):
        while True:
            run = (await api.get(f"runs/{run_id}")).body
            if run["status"] not in ("queued", "running"):
                return run  # type: ignore[no-any-return]
            await asyncio.sleep(0.05)


async def parallel_group(
    api: Any, name: str, scripts: list[dict[str, Any]], cap: int
) -> dict[str, Any]:
    items = [{"script_id": s["id"]} for s in scripts]
    body = {"name": name, "mode": "parallel", "max_concurrency": cap, "items": items}
    response = await api.post("groups", body)
    assert response.status == 201, response.body
    return response.body  # type: ignore[no-any-return]


async def output_text(api: Any, run_id: int, stream: str | None = None) -> str:
    page = (await api.get(f"runs/{run_id}/output")).body
    return "".join(p["text"] for p in page["pieces"] if stream in (None, p["stream"]))


async def test_a_run_executes_the_published_version_with_args_and_env(api):
    script = await api.create("greet", content="print('draft')\n")
    published = await api.save(
        script["id"], "import os, sys\nprint(sys.argv[1:], os.environ['WHO'])\n"
    )
    await api.post(f"scripts/{script['id']}/publish", {"version_id": published["id"]})
    await api.save(script["id"], "print('newer draft')\n")

    response = await api.post(
        "runs", {"script_id": script["id"], "args": ["a", "b c"], "env": {"WHO": "ada"}}
    )

    assert response.status == 201
    assert response.body["status"] in ("queued", "running")
    run = await finished(api, response.body["id"])
    assert run["status"] == "succeeded", await output_text(api, run["id"])
    assert run["exit_code"] == 0
    assert run["version_id"] == published["id"]
    assert run["started_at"] <= run["finished_at"]
    assert await output_text(api, run["id"]) == "['a', 'b c'] ada\n"


async def test_a_run_may_choose_a_version_or_the_head(api):
    script = await api.create("pick", content="print(1)\n")
    second = await api.save(script["id"], "print(2)\n")

    first_run = (
        await api.post("runs", {"script_id": script["id"], "version_id": script["head_version_id"]})
    ).body
    head_run = (await api.post("runs", {"script_id": script["id"], "source": "head"})).body
    default_run = (await api.post("runs", {"script_id": script["id"]})).body

    assert await output_text(api, (await finished(api, first_run["id"]))["id"]) == "1\n"
    assert await output_text(api, (await finished(api, head_run["id"]))["id"]) == "2\n"
    # Never published: the head runs.
    assert (await finished(api, default_run["id"]))["version_id"] == second["id"]


async def test_a_run_of_the_working_copy_snapshots_it_first(api, scripts_root):
    script = await api.create("wc", content="print('saved')\n")
    opened = (await api.post(f"scripts/{script['id']}/open")).body
    (scripts_root.parent / opened["path"]).write_text("print('unsaved edit')\n")

    run = (await api.post("runs", {"script_id": script["id"], "source": "working_copy"})).body

    assert await output_text(api, (await finished(api, run["id"]))["id"]) == "unsaved edit\n"
    head = (await api.get(f"scripts/{script['id']}")).body["head_version_id"]
    assert run["version_id"] == head != script["head_version_id"]


async def test_failure_exit_code_and_stderr_are_reported(api):
    script = await api.create(
        "boom", content="import sys\nprint('out')\nraise SystemExit('bad input')\n"
    )

    run = await finished(api, (await api.post("runs", {"script_id": script["id"]})).body["id"])

    assert run["status"] == "failed"
    assert run["exit_code"] == 1
    assert await output_text(api, run["id"], "stdout") == "out\n"
    assert await output_text(api, run["id"], "stderr") == "bad input\n"


async def test_timeout_ends_a_run_as_timed_out(api):
    script = await api.create(
        "slow", content="import time\nprint('start', flush=True)\ntime.sleep(60)\n"
    )

    run = await finished(
        api, (await api.post("runs", {"script_id": script["id"], "timeout": 1})).body["id"]
    )

    assert run["status"] == "timed_out", await output_text(api, run["id"])
    assert await output_text(api, run["id"]) == "start\n"


async def test_cancel_stops_a_running_script(api):
    script = await api.create(
        "loop",
        content="import time\nwhile True:\n    print('tick', flush=True)\n    time.sleep(0.1)\n",
    )
    run = (await api.post("runs", {"script_id": script["id"]})).body
    await started_printing(api, run["id"])

    cancelled = await api.post(f"runs/{run['id']}/cancel")

    assert cancelled.status == 200
    assert cancelled.body["status"] == "cancelled"
    assert (await finished(api, run["id"]))["status"] == "cancelled"
    again = await api.post(f"runs/{run['id']}/cancel")  # a finished run stays as it is
    assert again.body["status"] == "cancelled"


async def test_output_resumes_from_an_offset(api):
    script = await api.create("count", content="for i in range(5):\n    print(i)\n")
    run = await finished(api, (await api.post("runs", {"script_id": script["id"]})).body["id"])

    whole = (await api.get(f"runs/{run['id']}/output")).body
    rest = (await api.get(f"runs/{run['id']}/output", offset=4)).body

    assert "".join(p["text"] for p in whole["pieces"]) == "0\n1\n2\n3\n4\n"
    assert whole["complete"] is True
    assert whole["next_offset"] == run["output_chars"] == 10
    assert "".join(p["text"] for p in rest["pieces"]) == "2\n3\n4\n"
    assert rest["pieces"][0]["offset"] == 4


async def test_output_over_the_cap_is_cut_and_marked(api, jp_serverapp):
    runs = services_of(jp_serverapp.web_app.settings).runs
    runs.settings = dataclasses.replace(runs.settings, max_output_chars=1000)
    script = await api.create("chatty", content="print('x' * 5000)\nprint('end')\n")

    run = await finished(api, (await api.post("runs", {"script_id": script["id"]})).body["id"])

    text = await output_text(api, run["id"])
    assert run["output_truncated"] is True
    assert text.startswith("x" * 1000)
    assert "output truncated" in text
    assert "end" not in text


async def test_events_stream_output_live_and_resume_from_the_last_event(api, jp_fetch):
    script = await api.create(
        "stream",
        content="import time\nfor i in range(3):\n    print(i, flush=True)\n    time.sleep(0.2)\n",
    )
    run = (await api.post("runs", {"script_id": script["id"]})).body

    first = await jp_fetch("scriptforge", "api", "runs", str(run["id"]), "events")
    events = parse_events(first.body.decode())
    outputs = [e for e in events if e["event"] == "output"]
    resume_at = outputs[0]["id"]
    resumed = await jp_fetch(
        "scriptforge", "api", "runs", str(run["id"]), "events",
        headers={"Last-Event-ID": resume_at},
    )  # fmt: skip

    assert first.headers["Content-Type"] == "text/event-stream"
    assert events[0]["event"] == "run"
    assert events[-1]["event"] == "end"
    assert json.loads(events[-1]["data"])["status"] == "succeeded"
    text = "".join(json.loads(e["data"])["text"] for e in outputs)
    assert text == "0\n1\n2\n"
    # Each output event's id is the offset after it: the resume point.
    assert [int(e["id"]) for e in outputs][-1] == len(text)
    later = parse_events(resumed.body.decode())
    rest = "".join(json.loads(e["data"])["text"] for e in later if e["event"] == "output")
    assert rest == text[int(resume_at) :]


async def started_printing(api: Any, run_id: int) -> None:
    async with asyncio.timeout(30):
        while (await api.get(f"runs/{run_id}/output")).body["next_offset"] == 0:  # noqa: ASYNC110
            await asyncio.sleep(0.05)


def parse_events(stream: str) -> list[dict[str, str]]:
    events = []
    for block in stream.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        events.append(fields)
    return events


async def test_history_filters_by_script_and_status(api):
    good = await api.create("good", content="pass\n")
    bad = await api.create("bad", content="raise SystemExit(3)\n")
    runs = [(await api.post("runs", {"script_id": s["id"]})).body for s in (good, bad, good)]
    for run in runs:
        await finished(api, run["id"])

    of_good = (await api.get("runs", script_id=good["id"])).body["runs"]
    failed = (await api.get("runs", status="failed")).body["runs"]

    assert [r["id"] for r in of_good] == [runs[2]["id"], runs[0]["id"]]
    assert [r["id"] for r in failed] == [runs[1]["id"]]
    assert failed[0]["exit_code"] == 3


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({}, 400),
        ({"script_id": 1, "group_id": 1}, 400),
        ({"script_id": "1"}, 400),
        ({"script_id": 1, "args": "not a list"}, 400),
        ({"script_id": 1, "env": {"LD_PRELOAD": "/tmp/x.so"}}, 400),
        ({"script_id": 1, "env": {"1BAD": "x"}}, 400),
        ({"script_id": 1, "timeout": -1}, 400),
        ({"script_id": 1, "timeout": 10**9}, 400),
        ({"script_id": 1, "source": "elsewhere"}, 400),
        ({"script_id": 1, "unknown": True}, 400),
        ({"script_id": 999_999}, 404),
        ({"script_id": 1, "interpreter": "cobol-85"}, 422),
        ({"script_id": 1, "runner": "cloud"}, 422),
    ],
)
async def test_bad_run_requests_are_refused_and_start_nothing(api, body, status):
    await api.create("target", content="print(1)\n")

    response = await api.post("runs", body)

    assert response.status == status, response.body
    assert response.body["message"]
    assert (await api.get("runs")).body["runs"] == []


async def test_a_deleted_script_does_not_run_until_it_is_restored(api):
    script = await api.create("retired", content="print('ran')\n")
    version = (await api.get(f"scripts/{script['id']}/versions")).body["items"][0]
    group = await parallel_group(api, "with_retired", [script], cap=1)
    await api.delete(f"scripts/{script['id']}")

    by_id = await api.post("runs", {"script_id": script["id"]})
    by_version = await api.post("runs", {"script_id": script["id"], "version_id": version["id"]})
    as_item = await api.post("runs", {"group_id": group["id"]})

    assert by_id.status == 404
    assert by_id.body["message"] == "Script 'retired' is deleted; restore it first."
    assert by_version.status == 404
    assert as_item.status == 422
    assert as_item.body["message"].startswith("Item 1 of 'with_retired': Script 'retired'")
    assert (await api.get("runs")).body["runs"] == []

    await api.patch(f"scripts/{script['id']}", {"deleted": False})
    run = (await api.post("runs", {"script_id": script["id"]})).body
    assert (await finished(api, run["id"]))["status"] == "succeeded"


async def test_interpreters_are_listed_by_name(api):
    interpreters = (await api.get("interpreters")).body["interpreters"]

    assert interpreters
    assert all(i["name"] and (i["path"] or i["image"]) for i in interpreters)
    assert any(i["implementation"] == "CPython" and i["path"] for i in interpreters)


async def test_a_script_runs_on_the_interpreter_it_names(api):
    interpreters = (await api.get("interpreters")).body["interpreters"]
    local = [i for i in interpreters if i["path"]]
    script = await api.create(
        "which", content="import platform\nprint(platform.python_version())\n"
    )

    for interpreter in local[:3]:
        run = (
            await api.post("runs", {"script_id": script["id"], "interpreter": interpreter["name"]})
        ).body
        assert run["interpreter"] == interpreter["name"]
        finished_run = await finished(api, run["id"])
        assert await output_text(api, run["id"]) == interpreter["version"] + "\n", finished_run


async def test_groups_crud(api):
    first = await api.create("one", content="print(1)\n")
    second = await api.create("two", content="print(2)\n")

    created = await api.post(
        "groups",
        {"name": "nightly", "mode": "parallel", "max_concurrency": 2,
         "items": [{"script_id": first["id"]}, {"script_id": second["id"], "args": ["x"]}]},
    )  # fmt: skip
    changed = await api.patch(
        f"groups/{created.body['id']}",
        {"items": [{"script_id": second["id"]}], "stop_on_failure": False},
    )
    duplicate = await api.post("groups", {"name": "nightly"})
    unknown_script = await api.post("groups", {"name": "x", "items": [{"script_id": 999}]})
    listed = (await api.get("groups")).body["groups"]
    deleted = await api.delete(f"groups/{created.body['id']}")

    assert created.status == 201
    assert [i["script_id"] for i in created.body["items"]] == [first["id"], second["id"]]
    assert created.body["items"][1]["args"] == ["x"]
    assert changed.body["stop_on_failure"] is False
    assert [i["script_id"] for i in changed.body["items"]] == [second["id"]]
    assert duplicate.status == 409
    assert unknown_script.status == 400
    assert [g["name"] for g in listed] == ["nightly"]
    assert deleted.status == 204
    assert (await api.get(f"groups/{created.body['id']}")).status == 404


async def test_a_sequential_group_runs_in_order_and_stops_on_failure(api):
    ok = await api.create("ok", content="print('ok')\n")
    fail = await api.create("fail", content="raise SystemExit(2)\n")
    never = await api.create("never", content="print('should not run')\n")
    items = [{"script_id": s["id"]} for s in (ok, fail, never)]
    group = (await api.post("groups", {"name": "chain", "items": items})).body

    run = await finished(api, (await api.post("runs", {"group_id": group["id"]})).body["id"])

    assert run["kind"] == "group"
    assert run["status"] == "failed"
    children = run["children"]
    assert [c["position"] for c in children] == [0, 1, 2]
    assert [c["status"] for c in children] == ["succeeded", "failed", "cancelled"]
    assert children[2]["started_at"] is None  # never started, not started and killed
    assert children[0]["finished_at"] <= children[1]["started_at"]
    assert await output_text(api, children[2]["id"]) == ""


async def test_history_of_a_group_lists_its_group_runs_not_their_children(api):
    script = await api.create("item", content="pass\n")
    group = (
        await api.post("groups", {"name": "pair", "items": [{"script_id": script["id"]}] * 2})
    ).body
    runs = [(await api.post("runs", {"group_id": group["id"]})).body for _ in range(2)]
    for run in runs:
        await finished(api, run["id"])
    alone = (await api.post("runs", {"script_id": script["id"]})).body
    await finished(api, alone["id"])

    of_group = (await api.get("runs", group_id=group["id"])).body["runs"]
    of_script = (await api.get("runs", script_id=script["id"])).body["runs"]
    top = (await api.get("runs")).body["runs"]

    assert [r["id"] for r in of_group] == [runs[1]["id"], runs[0]["id"]]
    assert {r["kind"] for r in of_group} == {"group"}
    # A script's history holds its runs in groups too: 2 group runs x 2 items, and its own.
    assert len(of_script) == 5
    assert {r["parent_id"] for r in of_script} == {runs[0]["id"], runs[1]["id"], None}
    assert [r["id"] for r in top] == [alone["id"], runs[1]["id"], runs[0]["id"]]


async def test_a_parallel_group_respects_its_concurrency_cap(api):
    # Each item records when it ran; with a cap of 2, no three intervals overlap.
    body = "import time\nstart = time.time()\ntime.sleep(0.4)\nprint(start, time.time())\n"
    scripts = [await api.create(f"p{i}", content=body) for i in range(5)]
    group = await parallel_group(api, "fan", scripts, 2)

    run = await finished(api, (await api.post("runs", {"group_id": group["id"]})).body["id"])

    assert run["status"] == "succeeded"
    spans = []
    for child in run["children"]:
        start, end = map(float, (await output_text(api, child["id"])).split())
        spans.append((start, end))
    most = max(sum(s < t < e for s, e in spans) for t in [s + 0.01 for s, _ in spans])
    assert most == 2


async def test_cancelling_a_group_run_cancels_its_children(api):
    scripts = [await api.create(f"s{i}", content="import time\ntime.sleep(30)\n") for i in range(3)]
    group = await parallel_group(api, "long", scripts, 1)
    run = (await api.post("runs", {"group_id": group["id"]})).body
    await asyncio.sleep(0.5)

    await api.post(f"runs/{run['id']}/cancel")

    finished_run = await finished(api, run["id"])
    assert finished_run["status"] == "cancelled"
    assert {c["status"] for c in finished_run["children"]} == {"cancelled"}


async def test_runs_of_an_unknown_id_are_404(api):
    assert (await api.get("runs/12345")).status == 404
    assert (await api.get("runs/12345/output")).status == 404
    assert (await api.post("runs/12345/cancel")).status == 404


@pytest.mark.docker
@pytest.mark.parametrize(
    ("image", "implementation"),
    [("scriptforge/python:3.13", "CPython"), ("scriptforge/pypy:3", "PyPy")],
)
async def test_a_run_goes_to_a_container_of_the_chosen_interpreter(
    api, docker_client, image, implementation
):
    try:
        docker_client.images.get(image)
    except Exception:
        unavailable(f"image {image} is not built (make images)")
    interpreters = (await api.get("interpreters", refresh="true")).body["interpreters"]
    chosen = next(i for i in interpreters if i["image"] == image)
    code = "import platform as p\nprint(p.python_implementation(), p.python_version())\n"
    script = await api.create("where", content=code)

    run = (
        await api.post(
            "runs", {"script_id": script["id"], "runner": "docker", "interpreter": chosen["name"]}
        )
    ).body

    finished_run = await finished(api, run["id"])
    assert finished_run["status"] == "succeeded", await output_text(api, run["id"])
    assert finished_run["runner"] == "docker"
    # The image's interpreter: the same implementation and minor version as its name says.
    found, version = (await output_text(api, run["id"])).split()
    assert found == chosen["implementation"] == implementation
    assert version.split(".")[:2] == chosen["version"].split(".")[:2]


async def test_nul_and_binary_output_is_recorded(api):
    code = "import sys\nsys.stdout.write('a\\0b\\n')\nsys.stdout.buffer.write(b'\\xff\\xfe\\n')\n"
    script = await api.create("nul", content=code)

    run = await finished(api, (await api.post("runs", {"script_id": script["id"]})).body["id"])

    assert run["status"] == "succeeded"
    assert await output_text(api, run["id"]) == "a\u2400b\n\ufffd\ufffd\n"


async def test_a_user_path_does_not_reach_the_launchers(api):
    script = await api.create("path", content="import os\nprint(os.environ['PATH'])\n")

    body = {"script_id": script["id"], "env": {"PATH": "/nonexistent"}}
    run = await finished(api, (await api.post("runs", body)).body["id"])

    assert run["status"] == "succeeded", await output_text(api, run["id"])
    assert await output_text(api, run["id"]) == "/nonexistent\n"


async def test_a_cancel_recorded_by_another_server_stops_the_run(api, jp_serverapp):
    code = "import time\nwhile True:\n    print('tick', flush=True)\n    time.sleep(0.1)\n"
    script = await api.create("elsewhere", content=code)
    run = (await api.post("runs", {"script_id": script["id"]})).body
    await started_printing(api, run["id"])
    store = services_of(jp_serverapp.web_app.settings).runs._runs

    # What a server that does not execute the run writes when a user cancels there.
    store.set_run(run["id"], status="cancelled", finished_at=datetime.now(UTC))

    async with asyncio.timeout(10):
        while (await api.get(f"runs/{run['id']}/output")).body["complete"] is False:  # noqa: ASYNC110
            await asyncio.sleep(0.1)
    ticks = await output_text(api, run["id"])
    await asyncio.sleep(1)
    assert await output_text(api, run["id"]) == ticks  # nothing more: the script is gone
    assert (await api.get(f"runs/{run['id']}")).body["status"] == "cancelled"


@pytest.mark.parametrize("event_id", ["\u00b2", "9" * 20, "-1", "x"])
async def test_a_bad_last_event_id_is_ignored(api, jp_fetch, event_id):
    script = await api.create("quick", content="print('hi')\n")
    run = await finished(api, (await api.post("runs", {"script_id": script["id"]})).body["id"])

    response = await jp_fetch(
        "scriptforge", "api", "runs", str(run["id"]), "events",
        headers={"Last-Event-ID": event_id},
    )  # fmt: skip

    outputs = [e for e in parse_events(response.body.decode()) if e["event"] == "output"]
    assert "".join(json.loads(e["data"])["text"] for e in outputs) == "hi\n"


@pytest.mark.parametrize(
    "item",
    [{"interpreter": "\ud800"}, {"args": ["\ud800"]}, {"args": ["a\0b"]}],
)
async def test_group_items_with_text_no_store_keeps_are_refused(api, item):
    script = await api.create("member", content="pass\n")

    response = await api.post(
        "groups", {"name": "bad", "items": [{"script_id": script["id"], **item}]}
    )

    assert response.status == 400, response.body
    assert (await api.get("groups")).body["groups"] == []


async def test_the_default_interpreter_is_the_servers_own_environment(api):
    # sqlalchemy is installed in the server's virtualenv, not in its base interpreter.
    script = await api.create("venv", content="import sqlalchemy\nprint('found')\n")

    run = await finished(api, (await api.post("runs", {"script_id": script["id"]})).body["id"])

    assert run["status"] == "succeeded", await output_text(api, run["id"])
    assert await output_text(api, run["id"]) == "found\n"
