"""Some users' runs get limits of their own (``ScriptForgeApp.user_limits``), on each runner."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from traitlets import TraitError

from jupyter_scriptforge.catalog.script_requests import NewScript
from jupyter_scriptforge.config import ScriptForgeConfig
from jupyter_scriptforge.execution.run_requests import RunRequest
from jupyter_scriptforge.execution.runners.docker import DockerRunner
from jupyter_scriptforge.rights import Actor

ALICE_MEMORY = 300 << 20
DEFAULT_MEMORY = 700 << 20

# The script's memory limits: its address space (what the local runner sets) and its
# cgroup's (what the Docker runner sets, either cgroup version).
MEMORY_LIMITS = """\
import json, resource
from pathlib import Path
cgroup = None
for name in ("memory.max", "memory/memory.limit_in_bytes"):
    try:
        cgroup = int(Path("/sys/fs/cgroup", name).read_text())
        break
    except (OSError, ValueError):
        pass
print(json.dumps({"address_space": resource.getrlimit(resource.RLIMIT_AS)[0], "cgroup": cgroup}))
"""


@pytest.fixture
def run_settings() -> dict[str, Any]:
    return {
        "run_memory_bytes": DEFAULT_MEMORY,
        "user_limits": {"alice": {"memory_bytes": ALICE_MEMORY}},
    }


async def test_a_users_runs_get_her_limits_and_others_the_defaults(run_services):
    catalog, _, runs, harness = run_services
    enforced_by = "cgroup" if isinstance(harness.runner, DockerRunner) else "address_space"
    script = await catalog.create(
        Actor.with_all_rights("alice"),
        NewScript(name="limits", content=MEMORY_LIMITS, visibility="team"),
    )
    seen = {}
    for user in ("alice", "bob"):
        run = await runs.submit(Actor.with_all_rights(user), RunRequest(script_id=script.id))
        await runs.idle()
        finished = await runs.get(user, run["id"])
        assert finished["status"] == "succeeded", finished
        output = await runs.output(user, run["id"], 0, 1 << 16)
        limits = json.loads("".join(piece["text"] for piece in output["pieces"]))
        seen[user] = limits[enforced_by]

    assert seen == {"alice": ALICE_MEMORY, "bob": DEFAULT_MEMORY}


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        ({"alice": {"memory": 1 << 30}}, "no limit named memory"),
        ({"alice": {"processes": 0}}, "must be a whole number of at least 1"),
        ({"alice": {"memory_bytes": 0.5}}, "must be a whole number of at least 1"),
        ({"alice": {"cpus": "two"}}, "must be a number of CPUs above 0"),
        ({"alice": {"cpus": (os.cpu_count() or 1) + 1}}, "at most"),
    ],
)
def test_a_mistaken_user_limit_is_refused_at_start_naming_it(limits, message):
    with pytest.raises(TraitError, match=message):
        ScriptForgeConfig(user_limits=limits)
