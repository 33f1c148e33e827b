"""A team hub over time: idle servers culled to nothing, and a restart that loses no
version and no run."""

from __future__ import annotations

import contextlib
import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jupyter_scriptforge.execution.runners.docker import INSTANCE_LABEL, RUN_LABEL
from tests.hub.servers import spawn
from tests.hub_process import HubProcess, running_hub
from tests.services import PostgresCluster

pytestmark = [pytest.mark.hub, pytest.mark.docker]

USERS = {"alice": "author"}
CULL_AFTER_SECONDS = 10


class Site:
    """One hub's state folder and store, started and stopped as an operator would."""

    def __init__(self, work_dir: Path, db_url: str) -> None:
        self.work_dir, self.db_url = work_dir, db_url
        self._stack = contextlib.ExitStack()
        self.start()

    def start(self) -> HubProcess:
        self.hub = self._stack.enter_context(
            running_hub(
                self.work_dir,
                USERS,
                db_url=self.db_url,
                hub_env={"SCRIPTFORGE_CULL_IDLE_SECONDS": str(CULL_AFTER_SECONDS)},
            )
        )
        return self.hub

    def restart(self) -> HubProcess:
        self._stack.close()
        return self.start()

    def close(self) -> None:
        self._stack.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, postgres: PostgresCluster) -> Iterator[Site]:
    started = Site(tmp_path_factory.mktemp("site"), postgres.new_database())
    yield started
    started.close()


def containers_named(name: str) -> list[str]:
    listing = ["docker", "ps", "-aq", "--filter", f"name=^{name}$"]
    return subprocess.run(listing, capture_output=True, text=True, check=True).stdout.split()


def test_an_idle_server_is_culled_and_leaves_no_container(site: Site, lab_image: str):
    hub = site.hub
    session, _, _ = spawn(hub, "alice")
    container = f"{hub.container_prefix}-alice"
    assert containers_named(container)

    deadline = time.monotonic() + CULL_AFTER_SECONDS * 8
    while containers_named(container):
        assert time.monotonic() < deadline, "the idle server was not culled"
        time.sleep(1)
    model = json.loads(session.open(f"{hub.url}/hub/api/users/alice", timeout=30).read())

    assert model["servers"] == {}
    assert "Culling server alice" in hub.log()


def test_the_hub_restarts_without_losing_a_version_or_a_run(site: Site, docker_client: Any):
    hub = site.hub
    token = hub.token("alice")
    script_id = hub.new_script(token, "kept", "print('first')\n")
    hub.call(token, "POST", f"scripts/{script_id}/versions", {"content": "print('second')\n"})
    run = hub.finished(token, hub.start_run(token, script_id))
    before = snapshot(hub, token, script_id, run["id"])
    slow = hub.start_run(token, hub.new_script(token, "slow", "import time\ntime.sleep(300)\n"))
    hub.run_in(token, slow, {"running"})

    hub = site.restart()

    assert snapshot(hub, token, script_id, run["id"]) == before  # the same token works too
    assert before["output"] == "second\n"
    assert [seq for seq, _ in before["versions"]] == [2, 1]
    # The run cut off by the restart is kept, marked as such, and its container is gone.
    assert hub.call(token, "GET", f"runs/{slow}")[1]["status"] == "interrupted"
    labels = [f"{INSTANCE_LABEL}={hub.runs_instance}", f"{RUN_LABEL}={slow}"]
    assert docker_client.api.containers(all=True, filters={"label": labels}) == []


def snapshot(hub: HubProcess, token: str, script_id: int, run_id: int) -> dict[str, Any]:
    """What alice sees of her script and its run."""
    versions = hub.call(token, "GET", f"scripts/{script_id}/versions")[1]
    run = hub.call(token, "GET", f"runs/{run_id}")[1]
    return {
        "versions": [(v["seq"], v["sha256"]) for v in versions["items"]],
        "run": {key: run[key] for key in ("status", "exit_code", "version_id", "finished_at")},
        "output": hub.output(token, run_id),
    }
