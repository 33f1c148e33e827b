"""Runs in team mode: each in a container made for it by the service alone, labelled with its
user and held to that user's limits; one user's fork bomb stops no one else."""

from __future__ import annotations

import time
from typing import Any

import pytest

from jupyter_scriptforge.config import ScriptForgeConfig
from jupyter_scriptforge.execution.runners.docker import INSTANCE_LABEL, RUN_LABEL, USER_LABEL
from tests.hub.conftest import ALICE_LIMITS
from tests.hub.servers import spawn
from tests.hub_process import HubProcess

pytestmark = [pytest.mark.hub, pytest.mark.docker]

DEFAULT_MEMORY = ScriptForgeConfig.run_memory_bytes.default_value

# Prints the memory limit the script lives under, then stays a moment so both users' runs
# are seen running at once.
SHOW_LIMIT_AND_STAY = """\
import time
from pathlib import Path
for name in ("memory.max", "memory/memory.limit_in_bytes"):
    try:
        print(int(Path("/sys/fs/cgroup", name).read_text()))
        break
    except (OSError, ValueError):
        pass
time.sleep(6)
"""

# Prints its process limit, then forks without end; every process that cannot fork tries
# again, until the run is cancelled.
FORK_BOMB = """\
import os
from pathlib import Path
for name in ("pids.max", "pids/pids.max"):
    try:
        print(Path("/sys/fs/cgroup", name).read_text().strip(), flush=True)
        break
    except OSError:
        pass
while True:
    try:
        os.fork()
    except OSError:
        pass
"""


def run_container(hub: HubProcess, docker_client: Any, run_id: int) -> dict[str, Any] | None:
    """The running container of the service's run ``run_id``, if it is there yet."""
    labels = [f"{INSTANCE_LABEL}={hub.runs_instance}", f"{RUN_LABEL}={run_id}"]
    found = docker_client.api.containers(filters={"label": labels})
    return found[0] if found else None


def test_two_users_runs_each_get_a_container_of_their_own_with_their_limits(
    hub: HubProcess, docker_client: Any
):
    tokens = {user: hub.token(user) for user in ("alice", "bob")}
    runs = {
        user: hub.start_run(token, hub.new_script(token, f"limits {user}", SHOW_LIMIT_AND_STAY))
        for user, token in tokens.items()
    }

    containers: dict[str, dict[str, Any]] = {}
    deadline = time.monotonic() + 30
    while len(containers) < 2:
        assert time.monotonic() < deadline, f"the runs' containers did not start: {containers}"
        for user, run_id in runs.items():
            found = run_container(hub, docker_client, run_id)
            if found is not None:
                containers[user] = found
        time.sleep(0.2)
    both_running = {
        user: hub.call(tokens[user], "GET", f"runs/{run_id}")[1]["status"]
        for user, run_id in runs.items()
    }
    memory = {
        user: docker_client.api.inspect_container(found["Id"])["HostConfig"]["Memory"]
        for user, found in containers.items()
    }
    ended = {user: hub.finished(tokens[user], run_id) for user, run_id in runs.items()}

    assert both_running == {"alice": "running", "bob": "running"}
    assert {user: found["Labels"][USER_LABEL] for user, found in containers.items()} == {
        "alice": "alice",
        "bob": "bob",
    }
    assert memory == {"alice": ALICE_LIMITS["memory_bytes"], "bob": DEFAULT_MEMORY}
    assert {user: run["status"] for user, run in ended.items()} == {
        "alice": "succeeded",
        "bob": "succeeded",
    }
    assert int(hub.output(tokens["alice"], runs["alice"])) == ALICE_LIMITS["memory_bytes"]
    assert int(hub.output(tokens["bob"], runs["bob"])) == DEFAULT_MEMORY


def test_a_fork_bomb_of_one_user_leaves_the_others_runs_and_servers_answering(
    hub: HubProcess, lab_image: str
):
    alice, bob = hub.token("alice"), hub.token("bob")
    bob_session, _, _ = spawn(hub, "bob")
    quick = hub.new_script(bob, "quick", "print(sum(range(10)))\n")
    bomb = hub.start_run(alice, hub.new_script(alice, "bomb", FORK_BOMB))
    hub.run_in(alice, bomb, {"running"}, within=30)
    time.sleep(1)  # going off

    bobs = [hub.finished(bob, hub.start_run(bob, quick), within=60) for _ in range(3)]
    server = bob_session.open(f"{hub.url}/user/bob/api/status", timeout=10).status
    bomb_while_bob_ran = hub.call(alice, "GET", f"runs/{bomb}")[1]["status"]
    hub.call(alice, "POST", f"runs/{bomb}/cancel")
    bomb_run = hub.finished(alice, bomb, within=60)

    assert bomb_while_bob_ran == "running"  # bob was served while the bomb went off
    assert [run["status"] for run in bobs] == ["succeeded"] * 3
    assert [hub.output(bob, run["id"]) for run in bobs] == ["45\n"] * 3
    assert server == 200
    assert bomb_run["status"] == "cancelled"
    # The bomb lived under alice's own process limit, not the default one.
    assert hub.output(alice, bomb).split()[0] == str(ALICE_LIMITS["processes"])
