"""The Docker runner runs real containers of the interpreter images built from images/.

Each test makes its own runner (a fresh instance id, so its containers are easy to find),
and most use no pool: a container made for the run takes the same boot path as a warm one.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import docker
import pytest

from jupyter_scriptforge.execution.docker_engine import interpreter_images
from jupyter_scriptforge.execution.interpreters import Interpreter
from jupyter_scriptforge.execution.runners.base import (
    Limits,
    Outcome,
    RunnerUnavailableError,
    RunSpec,
    Stream,
)
from jupyter_scriptforge.execution.runners.docker import (
    INSTANCE_LABEL,
    POOL_LABEL,
    USER_LABEL,
    DockerRunner,
)
from jupyter_scriptforge.execution.runners.docker_attach import Relay
from jupyter_scriptforge.execution.runners.environment import script_environment
from tests.conftest import unavailable

PY311 = Interpreter("cpython-3.11", "CPython", "3.11", None, "scriptforge/python:3.11")
PY313 = Interpreter("cpython-3.13", "CPython", "3.13", None, "scriptforge/python:3.13")
PYPY = Interpreter("pypy-3.9", "PyPy", "3.9", None, "scriptforge/pypy:3")
INTERPRETERS = [PY311, PY313, PYPY]
SMALL = Limits(timeout_seconds=30, memory_bytes=128 << 20, processes=32)


class Sink:
    """Collects output per stream, and checks it arrives on the event loop's thread."""

    def __init__(self) -> None:
        self.chunks: list[tuple[Stream, str]] = []
        self.loop_thread = threading.get_ident()

    def write(self, stream: Stream, text: str) -> None:
        assert threading.get_ident() == self.loop_thread
        self.chunks.append((stream, text))

    def text(self, stream: Stream) -> str:
        return "".join(text for each, text in self.chunks if each == stream)


@pytest.fixture(scope="module")
def images(docker_client: docker.DockerClient) -> docker.DockerClient:
    for interpreter in INTERPRETERS:
        try:
            docker_client.images.get(interpreter.image)
        except docker.errors.ImageNotFound:
            unavailable(f"image {interpreter.image} is not built (make images)")
    return docker_client


# Instance ids of the runners made here, for the last test's check.
INSTANCES: set[str] = set()


def new_instance() -> str:
    instance = f"test-{uuid.uuid4().hex[:12]}"
    INSTANCES.add(instance)
    return instance


@contextlib.asynccontextmanager
async def docker_runner(**options: Any) -> AsyncIterator[DockerRunner]:
    runner = DockerRunner(new_instance(), **{"pool_size": 0, **options})
    await runner.start()
    try:
        yield runner
    finally:
        await runner.close()


async def run(
    runner: DockerRunner,
    content: str,
    interpreter: Interpreter = PY311,
    cancel: asyncio.Event | None = None,
    **spec: Any,
) -> tuple[Outcome, Sink]:
    sink = Sink()
    spec.setdefault("limits", SMALL)
    outcome = await runner.run(
        RunSpec(run_id=1, content=content, interpreter=interpreter, **spec),
        sink,
        cancel or asyncio.Event(),
    )
    return outcome, sink


def containers_of(client: docker.DockerClient, runner: DockerRunner) -> list[dict[str, Any]]:
    """The runner's containers, as the engine lists them (no inspect that a removal races)."""
    label = f"{INSTANCE_LABEL}={runner.instance_id}"
    return client.api.containers(all=True, filters={"label": label})


async def eventually(predicate: Any, within: float = 5.0) -> bool:
    deadline = time.monotonic() + within
    while not predicate():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


# --- the boot program and the output relay, without an engine --------------------------


def frame(stream_id: int, data: bytes) -> bytes:
    return bytes([stream_id, 0, 0, 0]) + len(data).to_bytes(4, "big") + data


def test_the_relay_splits_streams_and_stops_at_both_end_marks():
    out: list[tuple[str, str]] = []
    relay = Relay(lambda stream, text: out.append((stream, text)), b"\0tok\0")
    wire = (
        frame(1, "héllo ".encode())
        + frame(2, b"oops\n")
        + frame(1, b"world\n\0tok\x003 5000\n")
        + frame(2, b"\0tok\x003 5000\n")
    )
    # Byte by byte: frames, characters and marks all break at every possible place.
    for index in range(len(wire)):
        relay.feed(wire[index : index + 1])
    relay.flush()

    assert "".join(t for s, t in out if s == "stdout") == "héllo world\n"
    assert "".join(t for s, t in out if s == "stderr") == "oops\n"
    assert relay.exit_code == 3
    assert relay.peak_memory == 5000


def test_without_marks_the_relay_gives_everything_back():
    out: list[tuple[str, str]] = []
    relay = Relay(lambda stream, text: out.append((stream, text)), b"\0tok\0")
    relay.feed(frame(1, b"a\0to") + frame(2, b"\xff"))
    relay.flush()

    assert out == [("stdout", "a"), ("stderr", "\ufffd"), ("stdout", "\0to")]
    assert relay.exit_code is None


async def test_no_engine_is_a_clear_error_and_start_still_succeeds(tmp_path):
    runner = DockerRunner("nowhere", base_url=f"unix://{tmp_path}/docker.sock")
    await runner.start()
    with pytest.raises(RunnerUnavailableError, match="No Docker Engine answers"):
        await runner.run(RunSpec(1, "pass", PY311), Sink(), asyncio.Event())
    await runner.close()
    assert interpreter_images(f"unix://{tmp_path}/docker.sock") == []


def test_only_interpreters_with_an_image_are_supported():
    runner = DockerRunner("unused")
    assert runner.supports(PY311)
    assert not runner.supports(Interpreter("local", "CPython", "3.11", "/usr/bin/python3"))


# --- with the engine -------------------------------------------------------------------


@pytest.mark.docker
def test_the_engine_lists_the_interpreter_images(images):
    found = {image.image: image for image in interpreter_images()}

    assert found["scriptforge/python:3.11"].implementation == "CPython"
    assert found["scriptforge/python:3.11"].version.startswith("3.11.")
    assert found["scriptforge/python:3.13"].version.startswith("3.13.")
    assert found["scriptforge/pypy:3"].implementation == "PyPy"


HELLO = """\
import platform, sys
print("hello from", platform.python_implementation(), *sys.version_info[:2])
print("a warning", file=sys.stderr)
"""


@pytest.mark.docker
@pytest.mark.parametrize("interpreter", INTERPRETERS, ids=lambda i: i.name)
async def test_hello_world_from_a_warm_container_of_each_image(images, interpreter):
    async with docker_runner(pool_size=1, warm_images=[interpreter.image]) as runner:
        await runner.pools_filled()
        assert runner.warm_count(interpreter.image) == 1

        outcome, sink = await run(runner, HELLO, interpreter, limits=Limits())

    assert (outcome.status, outcome.exit_code) == ("succeeded", 0)
    major, minor = interpreter.version.split(".")
    implementation = interpreter.implementation
    assert sink.text("stdout") == f"hello from {implementation} {major} {minor}\n"
    assert sink.text("stderr") == "a warning\n"


@pytest.mark.docker
async def test_the_peak_memory_of_the_container_is_reported(images):
    async with docker_runner() as runner:
        outcome, _ = await run(runner, "block = bytearray(48 << 20)")

    assert outcome.status == "succeeded"
    assert outcome.peak_memory_bytes is not None
    assert 48 << 20 < outcome.peak_memory_bytes < SMALL.memory_bytes


ENVIRONMENT = """\
import json, os, sys
print(json.dumps({
    "argv": sys.argv, "cwd": os.getcwd(), "env": dict(os.environ),
    "initial": open("/proc/self/environ", "rb").read().decode(errors="replace"),
}))
"""


@pytest.mark.docker
@pytest.mark.parametrize("pool_size", [0, 1], ids=["made-for-the-run", "warm"])
async def test_args_and_env_reach_the_script_and_the_servers_environment_does_not(
    images, monkeypatch, pool_size
):
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "server-secret")
    async with docker_runner(pool_size=pool_size, warm_images=[PY311.image]) as runner:
        await runner.pools_filled()
        outcome, sink = await run(
            runner,
            ENVIRONMENT,
            args=["one", "two words"],
            env={"GREETING": "hi there"},
            limits=Limits(),
        )

    assert outcome.status == "succeeded", sink.chunks
    seen = json.loads(sink.text("stdout"))
    assert seen["argv"] == ["/work/script.py", "one", "two words"]
    assert seen["cwd"] == "/work"
    assert seen["env"] == script_environment({"GREETING": "hi there"}, "/work")
    assert "server-secret" not in seen["initial"]
    assert "JUPYTERHUB" not in seen["initial"]


@pytest.mark.docker
async def test_a_startup_variable_gets_a_container_made_with_it(images):
    async with docker_runner(pool_size=1, warm_images=[PY311.image]) as runner:
        await runner.pools_filled()
        outcome, sink = await run(
            runner,
            "import sys; print(sys.flags.hash_randomization, hash('a'))",
            env={"PYTHONHASHSEED": "0"},
            limits=Limits(),
        )
        # The warm container was not used: it had started without the variable.
        assert runner.warm_count(PY311.image) == 1

    assert outcome.status == "succeeded"
    assert sink.text("stdout").split()[0] == "0"


TRACEBACK = """\
def divide():
    return 1 / 0

divide()
"""


@pytest.mark.docker
async def test_an_uncaught_exception_prints_the_usual_traceback_and_fails(images):
    async with docker_runner() as runner:
        outcome, sink = await run(runner, TRACEBACK)

    assert (outcome.status, outcome.exit_code) == ("failed", 1)
    assert sink.text("stderr") == (
        "Traceback (most recent call last):\n"
        '  File "/work/script.py", line 4, in <module>\n'
        "    divide()\n"
        '  File "/work/script.py", line 2, in divide\n'
        "    return 1 / 0\n"
        "           ~~^~~\n"
        "ZeroDivisionError: division by zero\n"
    )


@pytest.mark.docker
@pytest.mark.parametrize(
    ("content", "exit_code", "stderr"),
    [
        ("import sys; sys.exit(3)", 3, ""),
        ("import sys; sys.exit('bad input')", 1, "bad input\n"),
        # No end mark: the runner waits for the engine's exit code.
        ("import os; print('bye', flush=True); os._exit(4)", 4, ""),
    ],
    ids=["exit-3", "exit-message", "os-exit"],
)
async def test_a_non_zero_exit_is_a_failure_with_its_code(images, content, exit_code, stderr):
    async with docker_runner() as runner:
        outcome, sink = await run(runner, content)

    assert (outcome.status, outcome.exit_code) == ("failed", exit_code)
    assert sink.text("stderr") == stderr


FORK_AND_THREAD = """\
import os, sys, threading, time
if os.fork() == 0:
    sys.exit(0)  # the child runs atexit handlers too: its exit must not end the run
os.wait()
def later():
    time.sleep(0.3)
    print("thread done", flush=True)
threading.Thread(target=later).start()
print("main done", flush=True)
"""


@pytest.mark.docker
@pytest.mark.parametrize("interpreter", INTERPRETERS, ids=lambda i: i.name)
async def test_the_run_ends_with_the_main_process_after_its_threads(images, interpreter):
    async with docker_runner() as runner:
        outcome, sink = await run(runner, FORK_AND_THREAD, interpreter)

    assert (outcome.status, outcome.exit_code) == ("succeeded", 0)
    assert sink.text("stdout") == "main done\nthread done\n"


SLOW = "import time\nprint('started', flush=True)\ntime.sleep(60)\n"


@pytest.mark.docker
@pytest.mark.timeout(40)  # the script sleeps 60 s: only its kill ends the test in time
async def test_a_timeout_kills_the_run_and_removes_its_container(images):
    async with docker_runner() as runner:
        outcome, sink = await run(runner, SLOW, limits=Limits(timeout_seconds=1.5))

        assert outcome.status == "timed_out"
        assert sink.text("stdout") == "started\n"
        assert containers_of(images, runner) == []


@pytest.mark.docker
async def test_cancel_kills_the_run_and_removes_its_container(images):
    async with docker_runner() as runner:
        cancel = asyncio.Event()
        sink = Sink()
        task = asyncio.create_task(runner.run(RunSpec(2, SLOW, PY311, limits=SMALL), sink, cancel))
        # Output streams while the script runs.
        assert await eventually(lambda: sink.text("stdout") == "started\n", within=10)
        cancel.set()
        outcome = await asyncio.wait_for(task, 10)

        assert outcome.status == "cancelled"
        assert containers_of(images, runner) == []


MEMORY_BOMB = """\
hog = []
while True:
    hog.append(bytearray(8 << 20))
"""


@pytest.mark.docker
async def test_a_memory_bomb_is_killed_at_the_memory_limit(images):
    async with docker_runner() as runner:
        outcome, sink = await run(runner, MEMORY_BOMB, limits=Limits(memory_bytes=64 << 20))

    assert (outcome.status, outcome.exit_code) == ("failed", 137)
    assert "killed: out of memory (limit 64 MiB)" in sink.text("stderr")


FORK_BOMB = """\
import os, time
children = 0
try:
    for _ in range(200):
        if os.fork() == 0:
            time.sleep(30)
            os._exit(0)
        children += 1
except OSError as error:
    print(children, type(error).__name__)
"""


@pytest.mark.docker
async def test_a_fork_bomb_stops_at_the_process_limit(images):
    async with docker_runner() as runner:
        outcome, sink = await run(runner, FORK_BOMB, limits=Limits(processes=16))

    assert outcome.status == "succeeded", sink.chunks
    children, error = sink.text("stdout").split()
    assert int(children) < 16
    assert error == "BlockingIOError"


@pytest.mark.docker
async def test_a_runs_container_names_its_user_and_holds_its_limits(images):
    limits = Limits(timeout_seconds=30, memory_bytes=96 << 20, processes=24, cpus=0.5)
    async with docker_runner() as runner:
        running = asyncio.ensure_future(
            run(runner, "import time; time.sleep(3)", user="alice", limits=limits)
        )
        assert await eventually(lambda: containers_of(images, runner), within=20)
        [container] = containers_of(images, runner)
        host = images.api.inspect_container(container["Id"])["HostConfig"]
        outcome, sink = await running

    assert outcome.status == "succeeded", sink.chunks
    assert container["Labels"][USER_LABEL] == "alice"
    assert (host["Memory"], host["NanoCpus"], host["PidsLimit"]) == (96 << 20, 5 * 10**8, 24)


NETWORK = """\
import socket
print(open("/proc/net/dev").read().count(":"))
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=3)
    print("connected")
except OSError as error:
    print(type(error).__name__)
"""


@pytest.mark.docker
async def test_the_network_is_out_of_reach(images):
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.setblocking(False)
        port = listener.getsockname()[1]
        async with docker_runner() as runner:
            outcome, sink = await run(runner, NETWORK.format(port=port))
        with pytest.raises(BlockingIOError):
            listener.accept()

    interfaces, result = sink.text("stdout").split()
    assert outcome.status == "succeeded"
    assert interfaces == "1"  # loopback only
    assert result == "ConnectionRefusedError"


DISK_FILL = """\
import errno
written = 0
try:
    for index in range(1000):
        with open(f"/work/fill-{index}", "wb") as file:
            file.write(bytes(1 << 20))
        written += 1 << 20
except OSError as error:
    print(written, errno.errorcode[error.errno])
"""


@pytest.mark.docker
async def test_filling_the_disk_stops_at_the_work_directory_size(images):
    async with docker_runner(tmpfs_bytes=8 << 20) as runner:
        outcome, sink = await run(runner, DISK_FILL)

    written, error = sink.text("stdout").split()
    assert outcome.status == "succeeded"
    assert int(written) <= 8 << 20
    assert error == "ENOSPC"


CONFINEMENT = """\
import errno, os
status = dict(
    line.split(":\\t") for line in open("/proc/self/status").read().splitlines() if ":\\t" in line
)
print(os.getuid(), os.getgid(), status["CapEff"], status["CapBnd"], status["NoNewPrivs"])
for path in ("/usr/planted", "/home/runner/planted"):
    try:
        open(path, "w")
    except OSError as error:
        print(errno.errorcode[error.errno])
"""


@pytest.mark.docker
async def test_the_script_runs_as_uid_1000_without_capabilities_on_a_read_only_root(images):
    async with docker_runner() as runner:
        outcome, sink = await run(runner, CONFINEMENT)

    assert outcome.status == "succeeded"
    ids, *denied = sink.text("stdout").splitlines()
    assert ids.split() == ["1000", "1000", "0000000000000000", "0000000000000000", "1"]
    assert denied == ["EROFS", "EROFS"]


@pytest.mark.docker
async def test_a_warm_container_runs_once_and_the_pool_refills(images):
    async with docker_runner(pool_size=1, warm_images=[PY311.image]) as runner:
        await runner.pools_filled()
        [warm] = containers_of(images, runner)
        assert warm["Labels"][POOL_LABEL] == "warm"

        outcome, _ = await run(runner, "pass", limits=Limits())
        assert outcome.status == "succeeded"

        await runner.pools_filled()
        assert runner.warm_count(PY311.image) == 1
        assert await eventually(lambda: len(containers_of(images, runner)) == 1)
        [fresh] = containers_of(images, runner)
        assert fresh["Id"] != warm["Id"]
    assert containers_of(images, runner) == []


@pytest.mark.docker
async def test_start_removes_the_containers_a_crashed_runner_left(images):
    crashed = DockerRunner(new_instance(), warm_images=[PY311.image])
    await crashed.start()
    await crashed.pools_filled()
    # A container of another server on the same engine: not ours to remove.
    other = images.containers.run(
        PY311.image,
        ["sleep", "60"],
        detach=True,
        network_mode="none",
        labels={INSTANCE_LABEL: "someone-else"},
    )
    try:
        assert len(containers_of(images, crashed)) == 2

        successor = DockerRunner(crashed.instance_id, pool_size=0)
        await successor.start()
        assert containers_of(images, crashed) == []
        await successor.close()
        other.reload()
        assert other.status == "running"
    finally:
        other.remove(force=True)
        await crashed.close()


@pytest.mark.docker
async def test_a_missing_image_is_a_clear_error(images):
    missing = Interpreter("nope", "CPython", "3.99", None, "scriptforge/python:3.99")
    async with docker_runner() as runner:
        with pytest.raises(RunnerUnavailableError, match=r"scriptforge/python:3\.99 is not"):
            await run(runner, "pass", missing)
        assert containers_of(images, runner) == []


@pytest.mark.docker
def test_no_test_left_a_container_behind(docker_client):
    """Runs last in this file: every runner above removed what it made."""
    left = docker_client.api.containers(all=True, filters={"label": INSTANCE_LABEL})
    assert [c for c in left if c["Labels"][INSTANCE_LABEL] in INSTANCES] == []
