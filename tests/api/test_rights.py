"""Who may do what on a server alone: every operation of ``openapi.yaml`` asked by each role
(tests/rights_matrix.py), the rights granted by the server's authorizer — the standalone
server's source of rights and the extension point a deployment configures. Under JupyterHub
the same matrix runs on the hub's scopes (tests/hub/test_hub_rights.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import Api, RoleAuthorizer
from tests.assistant.jupyter_ai import server_config, stop_jupyter_ai_tasks, write_config
from tests.rights_matrix import ROLES, Call, make_fixtures, wrong_answers

__all__ = ["stop_jupyter_ai_tasks"]


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """SQLite alone: the rights are the services' (no SQL), and the same matrix runs on
    PostgreSQL through the hub (tests/hub/test_hub_rights.py)."""
    return f"sqlite:///{tmp_path / 'scriptforge.db'}"


@pytest.fixture
def jp_server_config(db_url: str, tmp_path: Path) -> dict[str, Any]:
    config = server_config(
        db_url, write_config(tmp_path / "jupyter_ai" / "config.json"), runs_instance="rights"
    )
    config["ServerApp"]["authorizer_class"] = "tests.api.conftest.RoleAuthorizer"
    return config


def caller(api: Api, jp_fetch: Any, rights: frozenset[str]) -> Call:
    """Requests with ``rights``; event streams are read whole, unchecked by the spec."""

    async def call(method: str, path: str, body: Any, query: dict[str, Any]) -> tuple[int, Any]:
        RoleAuthorizer.granted = rights
        streams = path.endswith("/events") or (
            path.startswith("assistant/") and path not in ("assistant/accept", "assistant/create")
        )
        if not streams:
            response = await api.call(method, path, body, query)
            return response.status, response.body
        answer = await jp_fetch(
            "scriptforge",
            "api",
            *path.split("/"),
            method=method,
            body=json.dumps(body) if body is not None else None,
            params=query,
            raise_error=False,
        )
        return int(answer.code), answer.body.decode(errors="replace")

    return call


@pytest.mark.parametrize("role", sorted(ROLES))
async def test_every_endpoint_answers_each_role_as_the_spec_says(role, api, jp_fetch):
    as_admin = caller(api, jp_fetch, ROLES["admin"])
    ids = await make_fixtures(as_admin)

    # One user here, with the rights of each role in turn: the fixtures are theirs.
    as_role = caller(api, jp_fetch, ROLES[role])
    wrong = await wrong_answers(ids, as_admin, as_role, ROLES[role], owner=True)

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
