"""Some users' runs get limits of their own (``ScriptForgeApp.user_limits``), on each runner."""

from __future__ import annotations

from typing import Any

import pytest
from traitlets import TraitError

from jupyter_scriptforge.catalog.script_requests import NewScript
from jupyter_scriptforge.config import ScriptForgeConfig
from jupyter_scriptforge.execution.run_requests import RunRequest
from jupyter_scriptforge.rights import Actor

ALICE_MEMORY = 300 << 20
DEFAULT_MEMORY = 700 << 20

# The tightest memory limit the script lives under: its address space (local runner) or
# its container's cgroup (Docker runner, either cgroup version).
MEMORY_LIMIT = """\
import resource
from pathlib import Path
limits = [resource.getrlimit(resource.RLIMIT_AS)[0]]
for name in ("memory.max", "memory/memory.limit_in_bytes"):
    try:
        limits.append(int(Path("/sys/fs/cgroup", name).read_text()))
    except (OSError, ValueError):
        pass
print(min(limit for limit in limits if limit > 0))
"""


@pytest.fixture
def run_settings() -> dict[str, Any]:
    return {
        "run_memory_bytes": DEFAULT_MEMORY,
        "user_limits": {"alice": {"memory_bytes": ALICE_MEMORY}},
    }


async def test_a_users_runs_get_her_limits_and_others_the_defaults(run_services):
    catalog, _, runs, _ = run_services
    script = await catalog.create(
        Actor.with_all_rights("alice"),
        NewScript(name="limits", content=MEMORY_LIMIT, visibility="team"),
    )
    seen = {}
    for user in ("alice", "bob"):
        run = await runs.submit(Actor.with_all_rights(user), RunRequest(script_id=script.id))
        await runs.idle()
        finished = await runs.get(user, run["id"])
        assert finished["status"] == "succeeded", finished
        output = await runs.output(user, run["id"], 0, 1 << 16)
        seen[user] = int("".join(piece["text"] for piece in output["pieces"]))

    assert seen == {"alice": ALICE_MEMORY, "bob": DEFAULT_MEMORY}


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        ({"alice": {"memory": 1 << 30}}, "no limit named memory"),
        ({"alice": {"processes": 0}}, "must be a positive number"),
        ({"alice": {"cpus": "two"}}, "must be a positive number"),
    ],
)
def test_a_mistaken_user_limit_is_refused_at_start_naming_it(limits, message):
    with pytest.raises(TraitError, match=message):
        ScriptForgeConfig(user_limits=limits)
