"""The assistant's REST API, with the real Jupyternaut server extension and a mock provider.

The server loads ``jupyter_ai_jupyternaut``, whose config file (in tmp) names a litellm
model with ``mock_response`` among its parameters: requests go config manager → ScriptForge
→ ``litellm.acompletion(stream=True)``, offline.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from openapi_core.testing import MockRequest, MockResponse

import jupyter_scriptforge
from jupyter_scriptforge.assistant.model import NO_MODEL_MESSAGE
from jupyter_scriptforge.assistant.prompts import extract_code
from jupyter_scriptforge.services import services_of
from tests.api.conftest import SPEC
from tests.api.test_runs import finished
from tests.assistant.jupyter_ai import (
    ANSWER,
    MODEL,
    parse_events,
    server_config,
    stop_jupyter_ai_tasks,
    write_config,
)

_DOC = yaml.safe_load(
    (Path(jupyter_scriptforge.__file__).with_name("api") / "openapi.yaml").read_text()
)
# Open API 3.1 has an event stream's schema describe each event (as schemathesis reads it).
EVENT_SCHEMA = _DOC["components"]["responses"]["AssistantEvents"]["content"]["text/event-stream"][
    "schema"
]
# With the spec's components beside it, so its $refs resolve.
RESULT_SCHEMA = {
    **_DOC["components"]["schemas"]["AssistantResult"],
    "components": _DOC["components"],
}

# Jupyternaut runs in these tests' server: stop its watcher with it.
__all__ = ["stop_jupyter_ai_tasks"]


@pytest.fixture
def jupyter_ai(request: pytest.FixtureRequest, tmp_path: Path) -> Path | None:
    """Jupyter AI's config file; ``indirect`` parameters: missing, no_model, rate_limited."""
    kind = getattr(request, "param", "mock")
    path = tmp_path / "jupyter_ai" / "config.json"
    if kind == "missing":
        return None
    if kind == "no_model":
        return write_config(path, model=None)
    if kind == "rate_limited":
        return write_config(path, mock_response="litellm.RateLimitError")
    if kind == "careless":
        return write_config(path, mock_response=CARELESS_ANSWER)
    return write_config(path)


@pytest.fixture
def jp_server_config(
    db_url: str, jupyter_ai: Path | None, authorizer: str | None
) -> dict[str, Any]:
    config = server_config(db_url, jupyter_ai, runs_instance=f"pytest-{os.getpid()}")
    if authorizer:
        config["ServerApp"]["authorizer_class"] = authorizer
    return config


@pytest.fixture
def user(jp_serverapp: Any) -> str:
    return str(services_of(jp_serverapp.web_app.settings).server_user)


class Stream:
    def __init__(self, status: int, content_type: str, chunks: list[bytes]) -> None:
        self.status, self.content_type, self.chunks = status, content_type, chunks
        self.body = b"".join(chunks)

    @property
    def events(self) -> list[tuple[str, Any]]:
        assert self.content_type == "text/event-stream", self.body
        return parse_events(self.body)

    @property
    def tokens(self) -> list[str]:
        return [data["text"] for kind, data in self.events if kind == "token"]

    @property
    def end(self) -> tuple[str, Any]:
        return self.events[-1]

    def json(self) -> Any:
        return json.loads(self.body)


async def stream(jp_fetch: Any, action: str, body: dict[str, Any]) -> Stream:
    """POST assistant/<action>; every piece as it arrives, and the answer held to the spec."""
    chunks: list[bytes] = []
    data = json.dumps(body).encode()
    response = await jp_fetch(
        "scriptforge",
        "api",
        "assistant",
        action,
        method="POST",
        body=data,
        raise_error=False,
        streaming_callback=chunks.append,
    )
    content_type = response.headers.get("Content-Type", "").split(";")[0]
    answer = Stream(response.code, content_type, chunks)
    if content_type != "text/event-stream":
        SPEC.validate_response(
            MockRequest(
                "http://localhost", "post", f"/scriptforge/api/assistant/{action}", data=data
            ),
            MockResponse(answer.body, status_code=response.code, content_type=content_type),
        )
        return answer
    assert response.code == 200
    for kind, event_data in answer.events:
        jsonschema.validate({"event": kind, "data": json.dumps(event_data)}, EVENT_SCHEMA)
        if kind == "done":
            jsonschema.validate(event_data, RESULT_SCHEMA)
    return answer


async def test_generate_streams_tokens_then_the_result(jp_fetch):
    answer = await stream(jp_fetch, "generate", {"prompt": "Greet the world."})

    assert answer.status == 200
    kinds = [kind for kind, _ in answer.events]
    assert kinds[-1] == "done"
    assert set(kinds[:-1]) == {"token"}
    assert len(kinds) > 5
    assert len(answer.chunks) > 1  # flushed as produced, not written at the end
    _, result = answer.end
    assert "".join(answer.tokens) == result["text"] == ANSWER
    assert result["action"] == "generate"
    assert result["model"] == MODEL
    assert result["code"] == extract_code(ANSWER)
    assert result["code"].startswith("import sys\n")
    assert result["interpreter"]
    assert "diff" not in result
    assert result["diagnostics"] == []  # the interpreter's language server finds nothing


CARELESS_ANSWER = "```python\nimport os\n\nprint(total)\n```\n"


@pytest.mark.parametrize("jupyter_ai", ["careless"], indirect=True)
async def test_a_proposal_comes_with_its_language_server_diagnostics(api, jp_fetch):
    answer = await stream(jp_fetch, "generate", {"prompt": "Print the total."})

    _, result = answer.end
    assert [(d["line"], d["message"], d["severity"]) for d in result["diagnostics"]] == [
        (1, "'os' imported but unused", "warning"),
        (3, "undefined name 'total'", "error"),
    ]
    [record] = (await api.get("audit")).body["records"]
    assert record["details"]["diagnostics"] == 2


async def test_edit_proposes_a_file_and_its_diff_against_the_head_or_the_editor(api, jp_fetch):
    script = await api.create("tidy", content="print('old')\n")

    answer = await stream(
        jp_fetch, "edit", {"script_id": script["id"], "instruction": "Use a main function."}
    )
    from_editor = await stream(
        jp_fetch,
        "edit",
        {"script_id": script["id"], "instruction": "Same.", "content": "print('unsaved')\n"},
    )

    kind, result = answer.end
    assert kind == "done", result
    assert result["script_id"] == script["id"]
    assert result["base_version_id"] == script["head_version_id"]
    assert "-print('old')\n" in result["diff"]
    assert '+    print("hello from the assistant", file=sys.stdout)\n' in result["diff"]
    assert "-print('unsaved')\n" in from_editor.end[1]["diff"]


async def test_explain_answers_in_prose(jp_fetch):
    answer = await stream(
        jp_fetch,
        "explain",
        {"content": "import os\nprint(os.getcwd())\n", "selection": "os.getcwd()"},
    )

    kind, result = answer.end
    assert kind == "done"
    assert result["text"] == ANSWER
    assert "code" not in result
    assert "diff" not in result


async def test_fix_takes_a_real_failed_run_and_proposes_a_diff(api, jp_fetch):
    script = await api.create("broken", content="def f():\n    raise ValueError('boom')\n\nf()\n")
    run = (await api.post("runs", {"script_id": script["id"]})).body
    assert (await finished(api, run["id"]))["status"] == "failed"
    newer = await api.save(script["id"], "# saved after the run\nf = print\n")

    answer = await stream(jp_fetch, "fix", {"run_id": run["id"]})

    kind, result = answer.end
    assert kind == "done", result
    assert (result["run_id"], result["version_id"]) == (run["id"], run["version_id"])
    # Based on what ran: accepting it now would undo the newer save, so it is a conflict.
    assert result["base_version_id"] == run["version_id"] != newer["id"]
    accept = {"script_id": script["id"], "content": result["code"]}
    stale = await api.post("assistant/accept", {**accept, "base_version_id": run["version_id"]})
    assert stale.status == 409
    assert "-    raise ValueError('boom')\n" in result["diff"]
    assert result["code"] == extract_code(ANSWER)
    # The traceback went to the model.
    [record] = (await api.get("audit", action="fix")).body["records"]
    assert "ValueError: boom" in record["prompt"]
    assert "def f():\n    raise ValueError('boom')" in record["prompt"]


async def test_only_a_failed_run_can_be_fixed(api, jp_fetch):
    script = await api.create("fine", content="print('ok')\n")
    run = (await api.post("runs", {"script_id": script["id"]})).body
    await finished(api, run["id"])

    answer = await stream(jp_fetch, "fix", {"run_id": run["id"]})

    assert answer.status == 409
    assert answer.json()["message"] == f"Run {run['id']} succeeded: only a failed run can be fixed."


async def test_bad_input_is_a_json_error_before_any_event(jp_fetch):
    cases = [
        ("generate", {}, 400),
        ("generate", {"prompt": "  "}, 400),
        ("generate", {"prompt": "x", "interpreter": "no-such-python"}, 400),
        ("edit", {"script_id": 999999, "instruction": "x"}, 404),
        ("edit", {"script_id": "1", "instruction": "x"}, 400),
        ("explain", {"content": ""}, 400),
        ("fix", {"run_id": 999999}, 404),
    ]
    for action, body, status in cases:
        answer = await stream(jp_fetch, action, body)
        assert (action, body, answer.status) == (action, body, status), answer.body
        assert answer.content_type == "application/json"


@pytest.mark.parametrize("jupyter_ai", ["no_model", "missing"], indirect=True)
async def test_without_a_model_every_action_says_how_to_configure_one(api, jp_fetch):
    script = await api.create("any", content="print(1)\n")
    for action, body in [
        ("generate", {"prompt": "Greet."}),
        ("edit", {"script_id": script["id"], "instruction": "x"}),
        ("explain", {"content": "print(1)\n"}),
    ]:
        answer = await stream(jp_fetch, action, body)

        assert answer.status == 503
        assert answer.json() == {
            "error": "no_model",
            "message": NO_MODEL_MESSAGE,
            "reason": answer.json()["reason"],
        }
        assert "Traceback" not in answer.body.decode()


@pytest.mark.parametrize("jupyter_ai", ["rate_limited"], indirect=True)
async def test_a_provider_error_is_an_error_event(jp_fetch):
    answer = await stream(jp_fetch, "generate", {"prompt": "Greet."})

    assert answer.status == 200
    assert answer.events == [
        (
            "error",
            {
                "error": "model_error",
                "message": f"The language model {MODEL} is rate limited: try again in a moment.",
            },
        )
    ]


async def test_accept_records_a_version_by_the_assistant_for_the_user(api, user):
    script = await api.create("greet", content="print('hi')\n")
    base = script["head_version_id"]

    accepted = await api.post(
        "assistant/accept",
        {"script_id": script["id"], "content": "print('hello')\n", "base_version_id": base},
    )
    stale = await api.post(
        "assistant/accept",
        {"script_id": script["id"], "content": "print('bye')\n", "base_version_id": base},
    )

    assert accepted.status == 201
    assert accepted.body["author"] == f"assistant for {user}"
    assert accepted.body["parent_id"] == base
    assert await api.content(accepted.body["id"]) == "print('hello')\n"
    assert stale.status == 409
    assert stale.body["head"]["id"] == accepted.body["id"]
    assert (await api.post("assistant/accept", {"script_id": script["id"]})).status == 400


async def test_a_client_that_goes_away_does_not_break_the_server(jp_fetch, api):
    task = asyncio.ensure_future(stream(jp_fetch, "generate", {"prompt": "Greet."}))
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert (await stream(jp_fetch, "generate", {"prompt": "Again."})).end[0] == "done"


async def test_every_request_answer_and_acceptance_is_audited_and_emitted(
    api, jp_fetch, user, emitted
):
    script = await api.create("audited", content="print(1)\n")
    await stream(jp_fetch, "generate", {"prompt": "Count the lines of a CSV file."})
    await stream(jp_fetch, "explain", {"content": "print(1)\n"})
    await api.post(
        "assistant/accept",
        {
            "script_id": script["id"],
            "content": "print(2)\n",
            "base_version_id": script["head_version_id"],
        },
    )

    records = (await api.get("audit")).body["records"]

    assert [r["action"] for r in records] == ["accept", "explain", "generate"]
    accept, explain, generate = records
    assert generate["user"] == user
    assert generate["model"] == MODEL
    assert "Count the lines of a CSV file." in generate["prompt"]
    assert generate["response"] == ANSWER
    # The generated code's guardrail verdict; prose is simply answered.
    assert generate["verdict"] == "ok"
    assert generate["details"]["analysis"]["verdict"] == "ok"
    assert explain["verdict"] == "answered"
    assert explain["details"] == {}
    assert (accept["verdict"], accept["details"]["script_id"]) == ("accepted", script["id"])
    assert [e["id"] for e in reversed(emitted)] == [r["id"] for r in records]
    assert emitted[0]["prompt"] == generate["prompt"]
    # Filters and paging
    assert [r["id"] for r in (await api.get("audit", action="explain")).body["records"]] == [
        explain["id"]
    ]
    assert (await api.get("audit", user="someone-else")).body["records"] == []
    assert [
        r["id"] for r in (await api.get("audit", limit=1, before=accept["id"])).body["records"]
    ] == [explain["id"]]
    assert (await api.get("audit", limit=0)).status == 400


@pytest.mark.parametrize("jupyter_ai", ["no_model"], indirect=True)
async def test_a_request_refused_for_want_of_a_model_is_audited(api, jp_fetch):
    await stream(jp_fetch, "generate", {"prompt": "Greet."})

    [record] = (await api.get("audit")).body["records"]

    assert (record["action"], record["verdict"], record["model"]) == ("generate", "no_model", "")


@pytest.mark.parametrize("jupyter_ai", ["rate_limited"], indirect=True)
async def test_a_provider_error_is_audited_with_its_message(api, jp_fetch):
    await stream(jp_fetch, "generate", {"prompt": "Greet."})

    [record] = (await api.get("audit")).body["records"]

    assert record["verdict"] == "model_error"
    assert "rate limited" in record["details"]["error"]["message"]


@pytest.mark.parametrize("authorizer", ["tests.api.conftest.NoAdminAuthorizer"], indirect=True)
async def test_only_admins_read_the_audit_log(api, jp_fetch):
    assert (await stream(jp_fetch, "generate", {"prompt": "Greet."})).end[0] == "done"

    denied = await api.get("audit")

    assert denied.status == 403
    assert denied.body["message"].endswith("that needs the scope custom:scriptforge:admin.")
