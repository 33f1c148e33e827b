"""Many group runs with cancels at random moments: every run ends, nothing is left."""

from __future__ import annotations

import asyncio
import random

from jupyter_scriptforge.catalog.script_requests import NewScript
from jupyter_scriptforge.execution.group_requests import group_draft
from jupyter_scriptforge.execution.run_requests import RunRequest
from jupyter_scriptforge.execution.runners.processes import processes_of
from jupyter_scriptforge.rights import Actor
from tests.execution.conftest import _FIRST_UID

GROUP_RUNS = 200
FINAL = {"succeeded", "failed", "cancelled", "timed_out"}


async def test_200_group_runs_with_random_cancels_leave_no_orphan(run_services):
    catalog, groups, runs, harness = run_services
    rng = random.Random(4)
    quick = await catalog.create(
        Actor.with_all_rights("ann"), NewScript(name="quick", content="print('ok')\n")
    )
    slow = await catalog.create(
        Actor.with_all_rights("ann"),
        NewScript(
            name="slow",
            content=(
                "import os, sys, time\n"
                "if os.fork() == 0:\n"  # a child that would outlive a careless kill
                "    time.sleep(60)\n"
                "time.sleep(float(sys.argv[1]))\n"
            ),
        ),
    )
    group_ids = []
    for mode in ("sequential", "parallel"):
        body = {
            "name": mode,
            "mode": mode,
            "max_concurrency": 2,
            "stop_on_failure": False,
            "items": [{"script_id": quick.id}, {"script_id": slow.id, "args": ["0.3"]}],
        }
        group_ids.append(
            (
                await groups.create(
                    Actor.with_all_rights("ann"),
                    group_draft(body, groups.max_timeout, creating=True),
                )
            )["id"]
        )

    submitted = []
    for n in range(GROUP_RUNS):
        run = await runs.submit(Actor.with_all_rights("ann"), RunRequest(group_id=group_ids[n % 2]))
        submitted.append(run["id"])
    cancels = []
    for run_id in rng.sample(submitted, GROUP_RUNS // 3):
        await asyncio.sleep(rng.uniform(0, 0.05))
        whole = await runs.get("ann", run_id)
        target = rng.choice([run_id, *(c["id"] for c in whole["children"])])
        cancels.append(asyncio.ensure_future(runs.cancel(Actor.with_all_rights("ann"), target)))
    await asyncio.gather(*cancels)
    async with asyncio.timeout(240):
        await runs.idle()

    statuses: dict[str, int] = {}
    for run_id in submitted:
        whole = await runs.get("ann", run_id)
        for run in (whole, *whole["children"]):
            assert run["status"] in FINAL, run
            assert run["finished_at"] is not None
            statuses[run["status"]] = statuses.get(run["status"], 0) + 1
    assert statuses["cancelled"] > 0
    assert statuses["succeeded"] > 0
    assert processes_of(set(range(_FIRST_UID, _FIRST_UID + 1024))) == []
    assert await harness.leftovers() == []
