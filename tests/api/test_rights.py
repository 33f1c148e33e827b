"""Who may do what, endpoint by endpoint: every operation of ``openapi.yaml`` asked by each
role, from the spec's own ``x-scriptforge-rights``. A role without an operation's rights gets
403 and changes nothing; a role with them is not refused.

Rights come from the server's authorizer here (the standalone server's source of rights, and
the extension point a deployment configures); under JupyterHub they come from the token's
scopes, which tests/hub asks the same way.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

import jupyter_scriptforge
from tests.api.conftest import Api, RoleAuthorizer
from tests.api.test_runs import finished
from tests.assistant.jupyter_ai import server_config, stop_jupyter_ai_tasks, write_config

__all__ = ["stop_jupyter_ai_tasks"]

_SPEC = yaml.safe_load(
    (Path(jupyter_scriptforge.__file__).with_name("api") / "openapi.yaml").read_text()
)
OPERATIONS = [
    (path, method.upper(), frozenset(operation["x-scriptforge-rights"]))
    for path, item in _SPEC["paths"].items()
    for method, operation in item.items()
    if method in ("get", "post", "patch", "delete")
]
ROLES = {
    "nobody": frozenset(),
    "viewer": frozenset({"read"}),
    "author": frozenset({"read", "write", "run", "assistant"}),
    "admin": frozenset({"read", "write", "run", "assistant", "admin"}),
}
CODE = "print('hello')\n"


@pytest.fixture
def jp_server_config(db_url: str, tmp_path: Path) -> dict[str, Any]:
    config = server_config(
        db_url, write_config(tmp_path / "jupyter_ai" / "config.json"), runs_instance="rights"
    )
    config["ServerApp"]["authorizer_class"] = "tests.api.conftest.RoleAuthorizer"
    return config


def request_for(path: str, method: str, ids: dict[str, Any]) -> tuple[str, Any, dict[str, Any]]:
    """A request the operation would answer with success: (path, body, query)."""
    filled = path.format(**ids)
    body: Any = None
    query: dict[str, Any] = {}
    bodies = {
        ("/scripts", "POST"): {"name": f"new_{ids['n']}"},
        ("/scripts/{script_id}", "PATCH"): {"description": "changed"},
        ("/scripts/{script_id}/versions", "POST"): {"content": f"x = {ids['n']}\n"},
        ("/scripts/{script_id}/restore", "POST"): {"version_id": ids["version_id"]},
        ("/scripts/{script_id}/publish", "POST"): {"version_id": ids["version_id"]},
        ("/versions/{version_id}/labels", "POST"): {"label": f"l{ids['n']}"},
        ("/groups", "POST"): {"name": f"g{ids['n']}", "items": []},
        ("/groups/{group_id}", "PATCH"): {"stop_on_failure": True},
        ("/runs", "POST"): {"script_id": ids["script_id"]},
        ("/language/diagnostics", "POST"): {"content": CODE},
        ("/language/completions", "POST"): {"content": CODE, "line": 0, "character": 3},
        ("/language/hover", "POST"): {"content": CODE, "line": 0, "character": 2},
        ("/analyze", "POST"): {"content": CODE},
        ("/analyze/override", "POST"): {"content": CODE, "reason": "reviewed"},
        ("/assistant/generate", "POST"): {"prompt": "Greet."},
        ("/assistant/edit", "POST"): {"script_id": ids["script_id"], "instruction": "Tidy."},
        ("/assistant/explain", "POST"): {"content": CODE},
        ("/assistant/fix", "POST"): {"run_id": ids["failed_run_id"]},
        ("/assistant/accept", "POST"): {
            "script_id": ids["script_id"],
            "content": f"y = {ids['n']}\n",
            "base_version_id": ids["head_version_id"],
        },
        ("/assistant/create", "POST"): {"name": f"made_{ids['n']}", "content": CODE},
    }
    queries = {
        ("/scripts/{script_id}/diff", "GET"): {
            "from": ids["version_id"],
            "to": ids["head_version_id"],
        },
        ("/language/source", "GET"): {"path": "cpython/nowhere.py"},
    }
    body = bodies.get((path, method), {} if method in ("POST", "PATCH") else None)
    query = queries.get((path, method), {})
    return filled, body, query


async def ask(api: Api, jp_fetch: Any, method: str, path: str, body: Any, query: Any) -> int:
    streams = path.endswith("/events") or (
        path.startswith("/assistant/") and path not in ("/assistant/accept", "/assistant/create")
    )
    if streams:  # an event stream: its status is what counts here
        response = await jp_fetch(
            "scriptforge",
            "api",
            *path.strip("/").split("/"),
            method=method,
            body=json.dumps(body) if body is not None else None,
            params=query,
            raise_error=False,
        )
        return int(response.code)
    return (await api.call(method, path, body, query)).status


async def fixtures(api: Api) -> dict[str, Any]:
    """A team script with two versions, a run of it, a failed run, a labelled version, a
    group: made with every right."""
    RoleAuthorizer.granted = ROLES["admin"]
    script = await api.create("shared", visibility="team", content="v = 1\n")
    first = script["head_version_id"]
    head = (await api.save(script["id"], "v = 2\n"))["id"]
    await api.post(f"versions/{first}/labels", {"label": "kept"})
    run = (await api.post("runs", {"script_id": script["id"]})).body
    broken = await api.create("broken", content="raise SystemExit(3)\n")
    failed = (await api.post("runs", {"script_id": broken["id"]})).body
    await finished(api, run["id"])
    await finished(api, failed["id"])
    group = (await api.post("groups", {"name": "g", "items": []})).body
    return {
        "script_id": script["id"],
        "version_id": first,
        "head_version_id": head,
        "label": "kept",
        "run_id": run["id"],
        "failed_run_id": failed["id"],
        "group_id": group["id"],
    }


@pytest.mark.parametrize("role", sorted(ROLES))
async def test_every_endpoint_answers_each_role_as_the_spec_says(role, api, jp_fetch):
    ids = await fixtures(api)
    wrong = []
    # Destructive operations last, so the others find what they ask about.
    ordered = sorted(OPERATIONS, key=lambda op: op[1] == "DELETE")
    for n, (path, method, needs) in enumerate(ordered):
        RoleAuthorizer.granted = ROLES["admin"]
        head = (await api.get(f"scripts/{ids['script_id']}")).body["head_version_id"]
        ids.update(n=n, head_version_id=head)
        filled, body, query = request_for(path, method, ids)
        RoleAuthorizer.granted = ROLES[role]
        status = await ask(api, jp_fetch, method, filled, body, query)
        allowed = needs <= ROLES[role]
        if allowed == (status == 403) or (allowed and status >= 500):
            wrong.append(f"{method} {path}: {status} for {role} (needs {sorted(needs)})")
    assert wrong == []


async def test_a_viewer_changes_nothing(api):
    RoleAuthorizer.granted = ROLES["admin"]
    script = await api.create("team_job", visibility="team", content="v1\n")
    RoleAuthorizer.granted = ROLES["viewer"]

    saved = await api.post(f"scripts/{script['id']}/versions", {"content": "v2\n"})
    renamed = await api.patch(f"scripts/{script['id']}", {"name": "other"})
    run = await api.post("runs", {"script_id": script["id"]})

    assert (saved.status, renamed.status, run.status) == (403, 403, 403)
    assert saved.body["message"].endswith("that needs the scope custom:scriptforge:write.")
    assert run.body["message"].endswith("that needs the scope custom:scriptforge:run.")
    assert (await api.get(f"scripts/{script['id']}")).body == script
    assert (await api.get("runs")).body["runs"] == []
    assert (await api.get("me")).body["rights"] == ["read"]


async def test_without_the_read_right_nothing_answers(api):
    RoleAuthorizer.granted = ROLES["nobody"]

    for path in ("me", "scripts", "health", "interpreters"):
        assert (await api.get(path)).status == 403, path
