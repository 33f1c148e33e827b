"""What only the local runner has to get right: interpreters wherever they live."""

from __future__ import annotations

import asyncio

from jupyter_scriptforge.execution.interpreters import Interpreter


async def test_a_virtualenv_under_tmp_keeps_its_packages(local_harness, venv_in_tmp):
    # The sandbox mounts its own /tmp: an interpreter living there must be bound back.
    venv = venv_in_tmp
    local_harness.interpreter = Interpreter("venv", "CPython", "3", str(venv / "bin" / "python"))

    outcome, output = await local_harness.run("import only_in_this_venv as m\nprint(m.WHERE)\n")

    assert outcome.status == "succeeded", output.text()
    assert output.text() == "venv\n"


async def test_a_cancelled_run_still_reports_its_peak(local_harness):
    """The runner reads the launcher's peak before the kill (``VmHWM``)."""
    code = (
        "import time\nblock = bytearray(64 * 1024 * 1024)\n"
        "block[::4096] = b'x' * len(block[::4096])\nprint('ready', flush=True)\ntime.sleep(60)\n"
    )

    cancel = asyncio.Event()
    running = asyncio.ensure_future(
        local_harness.run(code, cancel=cancel, memory_bytes=512 << 20, timeout_seconds=60)
    )
    for _ in range(200):  # until the block is allocated
        if "ready" in local_harness.last_sink_text():
            break
        await asyncio.sleep(0.1)

    cancel.set()
    outcome, _ = await asyncio.wait_for(running, 20)

    assert outcome.status == "cancelled"
    assert outcome.peak_memory_bytes is not None
    assert 64 << 20 <= outcome.peak_memory_bytes < 200 << 20
