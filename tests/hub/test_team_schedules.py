"""Schedules in team mode: the service fires each as its owner, with the rights the hub
grants that owner at fire time; one who lost the run right stops their schedule, which
says why."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.hub_process import HubProcess

pytestmark = [pytest.mark.hub, pytest.mark.docker]

EVERY_2_SECONDS = "* * * * * */2"  # six fields: seconds last


def schedule_for(hub: HubProcess, user: str, name: str) -> dict[str, Any]:
    token = hub.token(user)
    script_id = hub.new_script(token, name, f"print('fired for {user}')\n")
    status, version = hub.call(token, "GET", f"scripts/{script_id}")
    assert status == 200, version
    status, made = hub.call(
        token,
        "POST",
        "schedules",
        {"script_id": script_id, "version_id": version["head_version_id"], "cron": EVERY_2_SECONDS},
    )
    assert status == 201, made
    return made  # type: ignore[no-any-return]


def schedule_when(
    hub: HubProcess, user: str, schedule_id: int, done: Any, within: float = 60
) -> dict[str, Any]:
    deadline = time.monotonic() + within
    while True:
        schedule = hub.call(hub.token(user), "GET", f"schedules/{schedule_id}")[1]
        if done(schedule):
            return schedule  # type: ignore[no-any-return]
        assert time.monotonic() < deadline, schedule
        time.sleep(0.5)


def test_a_schedule_runs_as_its_owner_on_the_service(hub: HubProcess) -> None:
    made = schedule_for(hub, "alice", "team_scheduled")
    try:
        fired = schedule_when(
            hub, "alice", made["id"], lambda s: any(f["run_id"] for f in s["fires"])
        )
        run_id = next(f["run_id"] for f in fired["fires"] if f["run_id"])
        run = hub.finished(hub.token("alice"), run_id)
        assert run["user"] == "alice"
        assert run["schedule_id"] == made["id"]
        assert hub.output(hub.token("alice"), run_id) == "fired for alice\n"
        # Alice's run is hers alone: bob does not see it.
        assert hub.call(hub.token("bob"), "GET", f"runs/{run_id}")[0] == 404
    finally:
        hub.call(hub.token("alice"), "DELETE", f"schedules/{made['id']}")


def test_a_schedule_whose_owner_lost_the_run_right_stops_and_says_why(hub: HubProcess) -> None:
    made = schedule_for(hub, "bob", "bobs_scheduled")
    admin = hub.token("ada")
    try:
        schedule_when(hub, "bob", made["id"], lambda s: any(f["run_id"] for f in s["fires"]))
        # A hub admin takes bob out of the authors on the hub's admin page (its API).
        status, _ = hub.hub_api(
            admin, "DELETE", "groups/scriptforge-authors/users", {"users": ["bob"]}
        )
        assert status == 200

        stopped = schedule_when(hub, "ada", made["id"], lambda s: not s["active"])

        assert stopped["stopped_because"] == (
            "bob may not run scripts: that needs the scope custom:scriptforge:run."
        )
        assert stopped["fires"][0]["error"] == stopped["stopped_because"]
        assert stopped["fires"][0]["run_id"] is None
        assert stopped["next"] == []
    finally:
        hub.hub_api(admin, "POST", "groups/scriptforge-authors/users", {"users": ["bob"]})
        hub.call(hub.token("bob"), "DELETE", f"schedules/{made['id']}")
    # Back in the group, bob runs again.
    assert hub.call(hub.token("bob"), "GET", "me")[1]["rights"] == [
        "assistant",
        "read",
        "run",
        "write",
    ]
