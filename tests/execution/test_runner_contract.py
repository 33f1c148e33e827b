"""The contract every runner keeps, checked on each runner with real processes.

Hostile scripts are run for real: each must be stopped and reported, and leave nothing
behind, while the test process (standing in for the server) is unharmed.
"""

from __future__ import annotations

import asyncio
import os

from jupyter_scriptforge.parameters.reader import read_parameters
from jupyter_scriptforge.parameters.values import main_call
from tests.execution.conftest import SECRETS


async def test_output_streams_are_kept_apart_and_a_clean_exit_succeeds(harness):
    code = "import sys\nprint('to out')\nprint('to err', file=sys.stderr)\nprint('ünïcödé ✓')\n"

    outcome, output = await harness.run(code)

    assert outcome.status == "succeeded"
    assert outcome.exit_code == 0
    assert output.text("stdout") == "to out\nünïcödé ✓\n"
    assert output.text("stderr") == "to err\n"


async def test_a_nonzero_exit_fails_with_its_code_and_traceback(harness):
    outcome, output = await harness.run("x = 1\nraise ValueError('bad value')\n")

    assert outcome.status == "failed"
    assert outcome.exit_code == 1
    assert "ValueError: bad value" in output.text("stderr")
    assert "line 2, in <module>" in output.text("stderr")


async def test_args_and_env_parameters_reach_the_script(harness):
    code = "import os, sys\nprint(sys.argv[1:])\nprint(os.environ['GREETING'])\n"

    outcome, output = await harness.run(code, args=("one", "two words"), env={"GREETING": "hi"})

    assert outcome.status == "succeeded"
    assert output.text("stdout") == "['one', 'two words']\nhi\n"


MAIN = """import datetime, pathlib

def main(name: str, day: datetime.date, where: pathlib.Path, days: list[datetime.date],
         count: int = 2, until: datetime.datetime | None = None):
    print(name * count, repr(day), repr(where), [d.isoformat() for d in days], until)
    return f"done {day:%d %b}"

if __name__ == "__main__":
    main("run as __main__", None, None, [])
"""


async def test_main_is_called_with_its_parameter_values_as_their_types(harness):
    values = {"name": "ab", "day": "2026-12-03", "where": "/tmp/x", "days": ["2026-01-02"]}
    call = main_call(read_parameters(MAIN), values)

    outcome, output = await harness.run(MAIN, main_call=call)

    assert (outcome.status, output.text("stderr")) == ("succeeded", "")
    assert output.text("stdout") == (
        "abab datetime.date(2026, 12, 3) PosixPath('/tmp/x') ['2026-01-02'] None\ndone 03 Dec\n"
    )


async def test_an_error_in_main_fails_the_run_with_the_script_s_own_traceback(harness):
    code = "async def main(n: int):\n    return 10 // n\n"

    worked, answer = await harness.run(code, main_call=main_call(read_parameters(code), {"n": 5}))
    failed, output = await harness.run(code, main_call=main_call(read_parameters(code), {"n": 0}))

    assert (worked.status, answer.text()) == ("succeeded", "2\n")
    assert (failed.status, failed.exit_code) == ("failed", 1)
    assert "ZeroDivisionError" in output.text("stderr")
    assert '", line 2, in main' in output.text("stderr")
    assert "script_main" not in output.text("stderr")


async def test_the_server_environment_does_not_reach_the_script(harness):
    code = "import os\nfor name in sorted(os.environ):\n    print(name, '=', os.environ[name])\n"

    outcome, output = await harness.run(code)

    assert outcome.status == "succeeded"
    for name, value in SECRETS.items():
        assert name not in output.text()
        assert value not in output.text()


async def test_the_server_process_environment_cannot_be_read(harness):
    code = (
        f"import os\n"
        f"try:\n"
        f"    data = open('/proc/{os.getpid()}/environ', 'rb').read()\n"
        f"    print('read', len(data), b'hub-token-secret' in data)\n"
        f"except OSError as error:\n"
        f"    print('refused', type(error).__name__)\n"
    )

    outcome, output = await harness.run(code)

    assert outcome.status == "succeeded"
    if harness.mode == "process":
        # What the last-resort mode cannot stop: the script is the server's own user.
        assert output.text("stdout").startswith("read ")
        return
    assert output.text("stdout").startswith("refused")


async def test_killing_its_parent_does_not_touch_the_server(harness):
    # In process mode the script could kill the server (its own user): it only checks that
    # it may, with signal 0, which is what that mode documents.
    signal = "0" if harness.mode == "process" else "signal.SIGKILL"
    code = (
        f"import os, signal\n"
        f"for pid in (os.getppid(), {os.getpid()}, 1):\n"
        f"    try:\n"
        f"        os.kill(pid, {signal})\n"
        f"        print('killed', pid)\n"
        f"    except OSError as error:\n"
        f"        print('refused', pid, type(error).__name__)\n"
    )

    outcome, output = await harness.run(code)

    assert outcome.status in ("succeeded", "failed")
    if harness.mode == "process":
        assert f"killed {os.getpid()}" in output.text()
    else:
        assert f"killed {os.getpid()}" not in output.text()
    assert (await harness.run("print('still here')"))[1].text() == "still here\n"


async def test_a_timeout_stops_a_cpu_spin(harness):
    outcome, output = await harness.run(
        "print('spinning', flush=True)\nwhile True:\n    pass\n", timeout_seconds=1.5
    )

    assert outcome.status == "timed_out"
    assert output.text() == "spinning\n"


async def test_cancel_stops_the_whole_process_tree(harness):
    # A child in its own session that would outlive a plain kill of the script.
    code = (
        "import os, subprocess, sys, time\n"
        "sleeper = [sys.executable, '-c', 'import time; time.sleep(300)']\n"
        "subprocess.Popen(sleeper, start_new_session=True)\n"
        "print('started', flush=True)\n"
        "time.sleep(300)\n"
    )
    cancel = asyncio.Event()
    running = asyncio.ensure_future(harness.run(code, cancel=cancel, timeout_seconds=60))
    await asyncio.sleep(1.5)

    cancel.set()
    outcome, output = await asyncio.wait_for(running, 20)

    assert outcome.status == "cancelled", (outcome, output.text())
    assert output.text() == "started\n"
    assert await harness.leftovers() == []


async def test_a_fork_bomb_is_contained(harness):
    code = (
        "import os, time\n"
        "children = 0\n"
        "try:\n"
        "    while True:\n"
        "        if os.fork() == 0:\n"
        "            time.sleep(60)\n"
        "            os._exit(0)\n"
        "        children += 1\n"
        "except OSError as error:\n"
        "    print('stopped after', children, type(error).__name__, flush=True)\n"
        "time.sleep(60)\n"
    )

    outcome, output = await harness.run(code, processes=32, timeout_seconds=4)

    assert outcome.status == "timed_out"
    stopped = output.text("stdout").split()
    assert stopped[:2] == ["stopped", "after"]
    assert int(stopped[2]) < 32
    assert await harness.leftovers() == []


async def test_a_memory_bomb_fails_without_hurting_anyone(harness):
    code = "blocks = []\nwhile True:\n    blocks.append(bytearray(50 * 1024 * 1024))\n"

    outcome, _ = await harness.run(code, memory_bytes=256 << 20, timeout_seconds=30)

    assert outcome.status == "failed"
    assert outcome.exit_code != 0
    assert (await harness.run("print(sum(range(10)))"))[1].text() == "45\n"


async def test_filling_the_disk_stops_at_the_limit(harness):
    code = (
        "written = 0\n"
        "try:\n"
        "    with open('fill.bin', 'wb') as out:\n"
        "        while True:\n"
        "            out.write(b'x' * (1 << 20))\n"
        "            out.flush()\n"
        "            written += 1\n"
        "except OSError as error:\n"
        "    print('stopped at', written, 'MiB', type(error).__name__, flush=True)\n"
        "    raise\n"
    )

    outcome, output = await harness.run(code, file_bytes=16 << 20, timeout_seconds=30)

    assert outcome.status == "failed"
    assert outcome.exit_code != 0
    assert "stopped at" in output.text("stdout") or "limit" in output.text("stderr")


async def test_the_working_directory_is_fresh_for_every_run(harness):
    first, output = await harness.run(
        "import os\nopen('left.txt', 'w').write('x')\nprint(sorted(os.listdir('.')))"
    )
    second, again = await harness.run("import os\nprint(sorted(os.listdir('.')))")

    assert first.status == second.status == "succeeded"
    assert "left.txt" in output.text()
    assert "left.txt" not in again.text()


async def test_output_arrives_while_the_script_runs(harness):
    code = "import time\nprint('first', flush=True)\ntime.sleep(2)\nprint('second')\n"
    seen_alone = False
    running = asyncio.ensure_future(harness.run(code))
    while not running.done():
        await asyncio.sleep(0.05)
        # A runner that passed output on only at the end would show both lines at once.
        seen_alone = seen_alone or harness.last_sink_text() == "first\n"
    outcome, output = running.result()

    assert outcome.status == "succeeded"
    assert output.text() == "first\nsecond\n"
    assert seen_alone, "the first line reached the sink only with the second"


async def test_the_server_files_are_out_of_reach(harness):
    code = (
        f"try:\n"
        f"    print('read', open({str(harness.secret_file)!r}).read())\n"
        f"except OSError as error:\n"
        f"    print('refused', type(error).__name__)\n"
    )

    outcome, output = await harness.run(code)

    assert outcome.status == "succeeded"
    if harness.mode == "process":
        # Documented: the last-resort mode hides nothing its user may read.
        assert "server-token-secret" in output.text()
        return
    assert "server-token-secret" not in output.text()
    assert output.text("stdout").startswith("refused")


async def test_every_run_leaves_nothing_behind(harness):
    code = (
        "import os, subprocess, sys\n"
        "# a daemon: double fork, new session, parent exits at once\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        "        import time; time.sleep(300)\n"
        "    os._exit(0)\n"
        "print('done')\n"
    )

    outcome, output = await harness.run(code)

    assert outcome.status == "succeeded"
    assert output.text() == "done\n"
    assert await harness.leftovers() == []


async def test_peak_memory_is_reported(harness):
    code = "block = bytearray(120 * 1024 * 1024)\nblock[::4096] = b'x' * len(block[::4096])\n"

    outcome, _ = await harness.run(code, memory_bytes=512 << 20)

    assert outcome.status == "succeeded"
    assert outcome.peak_memory_bytes is not None
    assert 120 << 20 <= outcome.peak_memory_bytes < 200 << 20


async def test_the_peak_is_the_scripts_not_the_servers(harness):
    """A server grown large (Jupyter AI, a big catalog in memory) does not make every run
    report its size."""
    ballast = b"x" * (600 << 20)  # resident in this process, which starts the run

    outcome, _ = await harness.run("print('small')\n", memory_bytes=512 << 20)

    assert outcome.status == "succeeded"
    assert outcome.peak_memory_bytes is not None
    assert outcome.peak_memory_bytes < 100 << 20 < len(ballast)
