"""Who may do what, endpoint by endpoint, from ``openapi.yaml``'s own ``x-scriptforge-rights``:
the operations, the roles, a request each operation answers with success, and the check
that a role without an operation's rights gets 403 and one with them is not refused.

Shared by tests/api/test_rights.py (rights from the server's authorizer) and
tests/hub/test_hub_rights.py (rights from JupyterHub scopes, through the real hub).
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import yaml

import jupyter_scriptforge

# (method, path below scriptforge/api/, body, query) -> (status, body)
Call = Callable[[str, str, Any, dict[str, Any]], Awaitable[tuple[int, Any]]]

_SPEC = yaml.safe_load(
    (Path(jupyter_scriptforge.__file__).with_name("api") / "openapi.yaml").read_text()
)
OPERATIONS = [
    (path, method.upper(), frozenset(operation["x-scriptforge-rights"]))
    for path, item in _SPEC["paths"].items()
    for method, operation in item.items()
    if method in ("get", "post", "patch", "delete")
]
# Operations on a script that its owner or an admin alone may do, whatever else one holds.
OWNER_OR_ADMIN = {
    (path, method.upper())
    for path, item in _SPEC["paths"].items()
    for method, operation in item.items()
    if isinstance(operation, dict) and operation.get("x-scriptforge-owner-or-admin")
}
ROLES = {
    "nobody": frozenset(),
    "viewer": frozenset({"read"}),
    "author": frozenset({"read", "write", "run", "assistant"}),
    "admin": frozenset({"read", "write", "run", "assistant", "admin"}),
}
CODE = "print('hello')\n"


def request_for(path: str, method: str, ids: dict[str, Any]) -> tuple[str, Any, dict[str, Any]]:
    """A request the operation would answer with success: (path, body, query)."""
    filled = path.format(**ids)
    body: Any = None
    query: dict[str, Any] = {}
    bodies = {
        ("/scripts", "POST"): {"name": f"new_{ids['tag']}_{ids['n']}"},
        ("/scripts/{script_id}", "PATCH"): {"description": "changed"},
        ("/scripts/{script_id}/versions", "POST"): {"content": f"x = {ids['n']}\n"},
        ("/scripts/{script_id}/restore", "POST"): {"version_id": ids["version_id"]},
        ("/scripts/{script_id}/publish", "POST"): {"version_id": ids["version_id"]},
        ("/versions/{version_id}/labels", "POST"): {"label": f"l{ids['tag']}_{ids['n']}"},
        ("/groups", "POST"): {"name": f"g{ids['tag']}_{ids['n']}", "items": []},
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
        ("/assistant/create", "POST"): {"name": f"made_{ids['tag']}_{ids['n']}", "content": CODE},
        ("/schedules", "POST"): {
            "script_id": ids["script_id"],
            "version_id": ids["version_id"],
            "cron": "0 3 * * *",
        },
        ("/schedules/{schedule_id}", "PATCH"): {"active": False},
    }
    queries = {
        ("/scripts/{script_id}/diff", "GET"): {
            "from": ids["version_id"],
            "to": ids["head_version_id"],
        },
        ("/language/source", "GET"): {"path": "cpython/nowhere.py"},
        ("/schedules/preview", "GET"): {"cron": "0 3 * * *", "timezone": "Europe/Berlin"},
        ("/runs/ended", "GET"): {"wait": 0},
    }
    body = bodies.get((path, method), {} if method in ("POST", "PATCH") else None)
    query = queries.get((path, method), {})
    return filled, body, query


async def make_fixtures(call: Call) -> dict[str, Any]:
    """A team script with two versions (the first labelled), a run of it, a failed run and
    a group, made by ``call`` (a caller with every right)."""

    async def ok(method: str, path: str, body: Any = None) -> Any:
        status, answer = await call(method, path, body, {})
        assert status in (200, 201), (method, path, status, answer)
        return answer

    tag = secrets.token_hex(3)  # a server shared by several tests keeps earlier fixtures
    script = await ok(
        "POST", "scripts", {"name": f"shared_{tag}", "visibility": "team", "content": "v = 1\n"}
    )
    first = script["head_version_id"]
    head = (await ok("POST", f"scripts/{script['id']}/versions", {"content": "v = 2\n"}))["id"]
    await ok("POST", f"versions/{first}/labels", {"label": "kept"})
    run = await ok("POST", "runs", {"script_id": script["id"]})
    broken = await ok(
        "POST", "scripts", {"name": f"broken_{tag}", "content": "raise SystemExit(3)\n"}
    )
    failed = await ok("POST", "runs", {"script_id": broken["id"]})
    for run_id in (run["id"], failed["id"]):
        for _ in range(1200):  # a minute at most
            if (await ok("GET", f"runs/{run_id}"))["status"] not in ("queued", "running"):
                break
            await asyncio.sleep(0.05)
    group = await ok("POST", "groups", {"name": f"g_{tag}", "items": []})
    status, schedule = await call(
        "POST",
        "schedules",
        {"script_id": script["id"], "version_id": first, "cron": "0 3 * * *"},
        {},
    )
    # A server that acts for nobody at fire time (the team's service) takes no schedules:
    # its schedule operations are asked about one that is not there.
    schedule_id = schedule["id"] if status == 201 else 999_999
    return {
        "tag": tag,
        "script_id": script["id"],
        "version_id": first,
        "head_version_id": head,
        "label": "kept",
        "run_id": run["id"],
        "failed_run_id": failed["id"],
        "group_id": group["id"],
        "schedule_id": schedule_id,
    }


async def wrong_answers(
    ids: dict[str, Any], as_admin: Call, as_role: Call, rights: frozenset[str], owner: bool
) -> list[str]:
    """Every operation asked by a role holding ``rights`` (``owner``: the same user who made
    the fixtures): the answers that break the rule (403 exactly when a right is missing, or
    an owner's operation is asked by someone else who is no admin; never a server error)."""
    wrong = []
    # Destructive operations last, so the others find what they ask about.
    for n, (path, method, needs) in enumerate(sorted(OPERATIONS, key=lambda op: op[1] == "DELETE")):
        _, script = await as_admin("GET", f"scripts/{ids['script_id']}", None, {})
        ids.update(n=n, head_version_id=script["head_version_id"])
        filled, body, query = request_for(path, method, ids)
        status, answer = await as_role(method, filled.lstrip("/"), body, query)
        allowed = needs <= rights and (
            (path, method) not in OWNER_OR_ADMIN or owner or "admin" in rights
        )
        if allowed == (status == 403) or status >= 500:
            wrong.append(f"{method} {path}: {status} {str(answer)[:120]} (needs {sorted(needs)})")
    return wrong
