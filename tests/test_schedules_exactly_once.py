"""Three real ScriptForge servers on one PostgreSQL database, each ticking: a schedule firing
every two seconds starts exactly one run at each of its fire times — none twice, none
missed — whichever server claims it."""

from __future__ import annotations

import json
import time
from contextlib import ExitStack
from datetime import datetime, timedelta
from itertools import pairwise

import pytest
from sqlalchemy import create_engine, text

from tests.jupyter_process import JupyterProcess, running_jupyter
from tests.services import PostgresCluster

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(300)]

SERVERS = 3
EVERY_SECONDS = 2
FIRING_SECONDS = 40
SETTINGS = (
    "--ScriptForgeApp.schedule_tick_seconds=0.25",
    f"--ScriptForgeApp.schedule_min_seconds={EVERY_SECONDS}",
    "--ScriptForgeApp.default_runner=local",
)


def call(server: JupyterProcess, method: str, path: str, body: object = None) -> dict:
    return json.loads(server.request(method, f"/scriptforge/api/{path}", body) or b"{}")


def test_three_servers_on_one_store_start_each_fire_time_once(tmp_path, postgres: PostgresCluster):
    db_url = postgres.new_database()
    with ExitStack() as stack:
        servers = [
            stack.enter_context(
                running_jupyter(tmp_path / f"server{n}", "server", SETTINGS, db_url=db_url)
            )
            for n in range(SERVERS)
        ]
        script = call(servers[0], "POST", "scripts", {"name": "tick", "content": "print('tick')\n"})
        schedule = call(
            servers[1],
            "POST",
            "schedules",
            {
                "script_id": script["id"],
                "version_id": script["head_version_id"],
                "cron": f"* * * * * */{EVERY_SECONDS}",
                "timezone": "UTC",
            },
        )
        time.sleep(FIRING_SECONDS)
        call(servers[2], "PATCH", f"schedules/{schedule['id']}", {"active": False})
        paused_at = datetime.now().astimezone()
        time.sleep(3)  # the last runs end
        logs = [server.log() for server in servers]

    engine = create_engine(db_url)
    with engine.connect() as connection:
        fires = connection.execute(
            text(
                "SELECT fire_at, claimed_by, run_id, error FROM schedule_fires"
                " WHERE schedule_id = :id ORDER BY fire_at"
            ),
            {"id": schedule["id"]},
        ).all()
        runs = connection.execute(
            text("SELECT id, status FROM runs WHERE schedule_id = :id"), {"id": schedule["id"]}
        ).all()
    engine.dispose()

    times = [fire.fire_at for fire in fires]
    first, last = times[0], times[-1]
    expected = int((last - first).total_seconds()) // EVERY_SECONDS + 1
    claimers = {fire.claimed_by for fire in fires}
    print(
        f"exactly once: {SERVERS} servers, {len(times)} fire times over"
        f" {(last - first).total_seconds():.0f} s, {len(runs)} runs, claimed by"
        f" {len(claimers)} servers"
    )
    # Every fire time between the first and the last, each once (the store's unique key).
    assert len(times) == len(set(times)) == expected, times
    assert len(times) >= FIRING_SECONDS // EVERY_SECONDS - 2
    assert all(
        later - earlier == timedelta(seconds=EVERY_SECONDS) for earlier, later in pairwise(times)
    )
    assert last <= paused_at
    # One run per fire time, each started and finished.
    assert all(fire.run_id is not None and fire.error is None for fire in fires), fires
    assert sorted(run.id for run in runs) == sorted(fire.run_id for fire in fires)
    assert {run.status for run in runs} == {"succeeded"}, runs
    assert not [log for log in logs if "firing schedules failed" in log]
