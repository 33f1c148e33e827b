"""Runs in team mode: each in a container made for it by the service alone, labelled with its
user and held to that user's limits; one user's fork bomb stops no one else."""

from __future__ import annotations

import time
from typing import Any

import pytest

from jupyter_scriptforge.execution.runners.docker import INSTANCE_LABEL, USER_LABEL
from tests.hub.conftest import ALICE_LIMITS
from tests.hub.servers import spawn
from tests.hub_process import HubProcess

pytestmark = [pytest.mark.hub, pytest.mark.docker]

FINAL = {"succeeded", "failed", "cancelled", "timed_out", "interrupted"}
DEFAULT_MEMORY = 1 << 30

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

# Forks without end for a while; every process that cannot fork tries again.
FORK_BOMB = """\
import os, time
main, refused = os.getpid(), 0
deadline = time.monotonic() + 15
while time.monotonic() < deadline:
    try:
        os.fork()
    except OSError:
        refused += 1
if os.getpid() != main:
    os._exit(0)
print("refused", refused)
"""


def new_script(hub: HubProcess, token: str, name: str, content: str) -> int:
    status, script = hub.call(token, "POST", "scripts", {"name": name, "content": content})
    assert status == 201, script
    return int(script["id"])


def start_run(hub: HubProcess, token: str, script_id: int) -> int:
    status, run = hub.call(token, "POST", "runs", {"script_id": script_id, "source": "head"})
    assert status in (200, 201, 202), run
    return int(run["id"])


def finished(hub: HubProcess, token: str, run_id: int, within: float = 90) -> dict[str, Any]:
    deadline = time.monotonic() + within
    while True:
        run = hub.call(token, "GET", f"runs/{run_id}")[1]
        if run["status"] in FINAL:
            return run  # type: ignore[no-any-return]
        assert time.monotonic() < deadline, run
        time.sleep(0.3)


def output(hub: HubProcess, token: str, run_id: int) -> str:
    pieces = hub.call(token, "GET", f"runs/{run_id}/output")[1]["pieces"]
    return "".join(piece["text"] for piece in pieces)


def run_containers(hub: HubProcess, docker_client: Any) -> list[dict[str, Any]]:
    label = f"{INSTANCE_LABEL}={hub.runs_instance}"
    return docker_client.api.containers(filters={"label": label})  # type: ignore[no-any-return]


def test_two_users_runs_each_get_a_container_of_their_own_with_their_limits(
    hub: HubProcess, docker_client: Any
):
    tokens = {user: hub.token(user) for user in ("alice", "bob")}
    runs = {
        user: start_run(hub, token, new_script(hub, token, f"limits {user}", SHOW_LIMIT_AND_STAY))
        for user, token in tokens.items()
    }

    deadline = time.monotonic() + 30
    while len(containers := run_containers(hub, docker_client)) < 2:
        assert time.monotonic() < deadline, "the runs' containers did not start"
        time.sleep(0.2)
    memory = {
        container["Labels"][USER_LABEL]: docker_client.api.inspect_container(container["Id"])[
            "HostConfig"
        ]["Memory"]
        for container in containers
    }
    ended = {user: finished(hub, tokens[user], run_id) for user, run_id in runs.items()}

    assert memory == {"alice": ALICE_LIMITS["memory_bytes"], "bob": DEFAULT_MEMORY}
    assert {user: run["status"] for user, run in ended.items()} == {
        "alice": "succeeded",
        "bob": "succeeded",
    }
    assert int(output(hub, tokens["alice"], runs["alice"])) == ALICE_LIMITS["memory_bytes"]
    assert int(output(hub, tokens["bob"], runs["bob"])) == DEFAULT_MEMORY


def test_a_fork_bomb_of_one_user_leaves_the_others_runs_and_servers_answering(
    hub: HubProcess, lab_image: str
):
    alice, bob = hub.token("alice"), hub.token("bob")
    bob_session, _, _ = spawn(hub, "bob")
    quick = new_script(hub, bob, "quick", "print(sum(range(10)))\n")
    bomb = start_run(hub, alice, new_script(hub, alice, "bomb", FORK_BOMB))
    while hub.call(alice, "GET", f"runs/{bomb}")[1]["status"] != "running":
        time.sleep(0.2)

    bobs = [finished(hub, bob, start_run(hub, bob, quick), within=30) for _ in range(3)]
    server = bob_session.open(f"{hub.url}/user/bob/api/status", timeout=10).status
    bomb_while_bob_ran = hub.call(alice, "GET", f"runs/{bomb}")[1]["status"]
    bomb_run = finished(hub, alice, bomb)

    assert bomb_while_bob_ran == "running"  # bob was served while the bomb went off
    assert [run["status"] for run in bobs] == ["succeeded"] * 3
    assert [output(hub, bob, run["id"]) for run in bobs] == ["45\n"] * 3
    assert server == 200
    assert bomb_run["status"] == "succeeded"
    assert int(output(hub, alice, bomb).split()[1]) > 0  # it hit her process limit
