"""The local runner's warm sandboxes: a run given to a sandbox started before it must run
as it would have in one of its own (the runner contract runs on them too, conftest.py)."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from jupyter_scriptforge.execution.interpreters import Interpreter
from jupyter_scriptforge.execution.runners import warm_sandboxes
from jupyter_scriptforge.execution.runners.base import Limits, RunSpec
from jupyter_scriptforge.execution.runners.local import LocalRunner
from jupyter_scriptforge.guardrails.runtime import RUNTIME_RULES
from tests.execution.conftest import (
    LOCAL_MODES,
    WARM_MODES,
    Harness,
    Recorder,
    _tree,
    local_harness_in,
)

# Everything of its start a script can look at, but its process ids.
PROBE = """\
import getpass, os, resource, sys
print(getpass.getuser(), os.getcwd(), sys.argv, sys.flags, sys.path[0], __file__)
print(sorted(os.environ.items()))
limits = ("NPROC", "AS", "NOFILE", "CPU", "FSIZE", "CORE")
print([resource.getrlimit(getattr(resource, "RLIMIT_" + name)) for name in limits])
print(os.nice(0), repr(sys.stdin.read()), sys.getfilesystemencoding(), sys.stdout.encoding)
print(oct(os.stat(__file__).st_mode), len(open(__file__).read()), sorted(os.listdir(".")))
print(sorted(os.listdir("/tmp")), sorted(os.listdir("/dev/shm")))
"""


@pytest.fixture
def warm(server_secrets: Path, jp_asyncio_loop: asyncio.AbstractEventLoop) -> Iterator[Harness]:
    with local_harness_in(WARM_MODES[0], server_secrets, jp_asyncio_loop) as harness:
        yield harness


@pytest.fixture
def cold(server_secrets: Path, jp_asyncio_loop: asyncio.AbstractEventLoop) -> Iterator[Harness]:
    """The same runner without warm sandboxes: each run starts its own."""
    with local_harness_in(LOCAL_MODES[0], server_secrets, jp_asyncio_loop) as harness:
        yield harness


def _runner(harness: Harness) -> LocalRunner:
    assert isinstance(harness.runner, LocalRunner)
    return harness.runner


async def test_a_warm_sandbox_runs_a_script_as_a_sandbox_of_its_own_would(warm, cold):
    run = {"args": ("a b", "", "ü"), "env": {"GREETING": "hé\nllo"}, "processes": 17}
    outcome, output = await warm.run(PROBE, **run)  # type: ignore[arg-type]
    cold_outcome, cold_output = await cold.run(PROBE, **run)  # type: ignore[arg-type]

    assert outcome.status == cold_outcome.status == "succeeded", output.text()
    assert output.text("stdout") == cold_output.text("stdout")
    assert "'a b', '', 'ü'" in output.text()
    assert "('GREETING', 'hé\\nllo')" in output.text()
    assert outcome.peak_memory_bytes
    assert cold_outcome.peak_memory_bytes


async def test_a_package_installed_after_the_sandbox_started_is_there(warm, venv_in_tmp):
    python = venv_in_tmp / "bin" / "python"
    warm.interpreter = Interpreter("venv", "CPython", "3", str(python))
    site = next((venv_in_tmp / "lib").glob("python3*/site-packages"))
    hour_ago = time.time() - 3600
    os.utime(site, (hour_ago, hour_ago))  # installed long before the sandboxes started
    outcome, output = await warm.run("import only_in_this_venv\n")
    assert outcome.status == "succeeded", output.text()

    # A .pth file is read as the interpreter starts: a warm one has started without it.
    extra = venv_in_tmp / "extra"
    extra.mkdir(mode=0o755)
    (extra / "late_module.py").write_text("print('found late')\n")
    (site / "late.pth").write_text(f"{extra}\n")
    outcome, output = await warm.run("import late_module\n")

    assert outcome.status == "succeeded", output.text()
    assert output.text() == "found late\n"


async def test_a_run_setting_a_variable_python_starts_with_gets_a_sandbox_of_its_own(warm):
    runner = _runner(warm)
    await runner.warm_up(warm.interpreter, False, Limits().file_bytes)
    waiting = set(runner.waiting_sandboxes())
    warm.warm = False  # this run must not take one

    outcome, output = await warm.run(
        "import sys\nprint(sys.flags.hash_randomization)\n", env={"PYTHONHASHSEED": "0"}
    )

    assert outcome.status == "succeeded", output.text()
    assert output.text() == "0\n"
    assert set(runner.waiting_sandboxes()) == waiting


async def test_a_warm_sandbox_killed_while_it_waited_does_not_fail_the_run(warm):
    runner = _runner(warm)
    await runner.warm_up(warm.interpreter, False, Limits().file_bytes)
    for sandbox in runner.waiting_sandboxes():
        for process in _tree(sandbox.process.pid):
            os.kill(process, signal.SIGKILL)
    await asyncio.sleep(0.2)

    outcome, output = await warm.run("print('still runs')\n")

    assert outcome.status == "succeeded", output.text()
    assert output.text() == "still runs\n"
    assert await warm.leftovers() == []


async def test_the_runtime_policy_holds_in_a_warm_sandbox(warm):
    runner = _runner(warm)
    await runner.warm_up(warm.interpreter, True, Limits().file_bytes)
    waiting = set(runner.waiting_sandboxes())
    spec = RunSpec(
        run_id=1,
        content="import os\nos.system('echo SF-MARK-' + 'ACTED')\nprint('after')\n",
        interpreter=warm.interpreter,
        runtime_rules=RUNTIME_RULES,
    )
    sink = Recorder()

    outcome = await runner.run(spec, sink, asyncio.Event())

    assert waiting - set(runner.waiting_sandboxes()), "no warm sandbox took the run"
    assert "runtime policy refused SF201" in sink.text("stderr")
    assert sink.text("stdout") == ""  # neither the command's marker nor what follows
    assert outcome.status == "failed"


async def test_closing_the_runner_ends_its_warm_sandboxes(warm):
    runner = _runner(warm)
    await runner.warm_up(warm.interpreter, False, Limits().file_bytes)
    processes: set[int] = set()
    # bwrap, its init, the launcher of each: soon all started (on a loaded machine, seconds).
    for _ in range(600):
        processes = {p for s in runner.waiting_sandboxes() for p in _tree(s.process.pid)}
        if len(processes) == 6:
            break
        await asyncio.sleep(0.05)
    assert len(processes) == 6

    await runner.close()

    # The sandboxes' own processes end as their bwrap goes (a CI run saw one a moment late).
    for _ in range(100):
        if not any(_running(pid) for pid in processes):
            break
        await asyncio.sleep(0.05)
    assert [pid for pid in processes if _running(pid)] == []


def _running(pid: int) -> bool:
    """Whether ``pid`` runs still: bwrap's init is left a zombie for PID 1 to reap."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


async def test_sandboxes_of_a_kind_left_unused_are_ended(warm, monkeypatch):
    monkeypatch.setattr(warm_sandboxes, "_IDLE_SECONDS", 0.5)
    runner = _runner(warm)
    await runner.warm_up(warm.interpreter, False, Limits().file_bytes)
    waiting = [sandbox.process.pid for sandbox in runner.waiting_sandboxes()]
    assert len(waiting) == 2

    await asyncio.sleep(1.5)

    assert runner.waiting_sandboxes() == []
    assert [pid for pid in waiting if _running(pid)] == []


async def test_only_the_kinds_used_last_are_kept_warm(warm):
    runner = _runner(warm)
    sizes = [(16 + kind) << 20 for kind in range(5)]  # a working folder size makes a kind
    for size in sizes:
        await runner.warm_up(warm.interpreter, False, size)
    await runner.warm_up(warm.interpreter, False, sizes[0])  # used again: the newest

    kept = {sandbox.kind.tmp_bytes for sandbox in runner.waiting_sandboxes()}
    assert kept == {sizes[0], *sizes[2:]}
