"""Runners on real processes and containers, and a sink that records what they print."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import pytest

from jupyter_scriptforge.catalog.service import CatalogService
from jupyter_scriptforge.execution.groups import GroupService
from jupyter_scriptforge.execution.interpreters import (
    Interpreter,
    InterpreterImage,
    InterpreterRegistry,
)
from jupyter_scriptforge.execution.runners.base import Limits, Outcome, Runner, RunSpec, Stream
from jupyter_scriptforge.execution.runners.docker import INSTANCE_LABEL, POOL_LABEL, DockerRunner
from jupyter_scriptforge.execution.runners.local import LocalRunner
from jupyter_scriptforge.execution.runners.processes import processes_of
from jupyter_scriptforge.execution.runners.user_ids import uid_range_of
from jupyter_scriptforge.execution.service import RunService
from tests.conftest import unavailable
from tests.wiring import services_on

# The server's secrets, planted in this (the "server's") environment for scripts to look for.
SECRETS = {
    "JUPYTERHUB_API_TOKEN": "hub-token-secret",
    "JPY_API_TOKEN": "jpy-secret",
    "AWS_SECRET_ACCESS_KEY": "aws-secret",
}


# Per test session, so two sessions on one machine keep out of each other's way.
_FIRST_UID = uid_range_of(f"tests-{os.getpid()}")
IMAGES = Path(__file__).parents[2] / "images"


class Recorder:
    """An output sink that keeps each stream's text."""

    def __init__(self) -> None:
        self.pieces: list[tuple[Stream, str]] = []

    def write(self, stream: Stream, text: str) -> None:
        self.pieces.append((stream, text))

    def text(self, stream: Stream | None = None) -> str:
        return "".join(t for s, t in self.pieces if stream in (None, s))


class Harness:
    """Runs code on one runner: ``await harness.run("print(1)")``.

    ``mode`` names the runner's isolation (``bwrap``, ``bwrap-unprivileged``, ``process``,
    ``docker``): what each mode cannot stop, its tests state. With ``warm``, every run is
    given to a warm sandbox (the local runner's, started before the run).

    ``leftovers`` lists what the runner's runs left alive (processes, containers): after
    any run has ended, it must be empty.
    """

    def __init__(
        self,
        runner: Runner,
        interpreter: Interpreter,
        leftovers: Callable[[], list[str]],
        secret_file: Path,
        mode: str,
        warm: bool = False,
    ) -> None:
        self.mode = mode
        self.warm = warm
        self.runner = runner
        self.interpreter = interpreter
        self.secret_file = secret_file
        self._leftovers = leftovers
        self._next_id = 1
        self._sink = Recorder()

    def last_sink_text(self) -> str:
        return self._sink.text()

    async def leftovers(self) -> list[str]:
        return await asyncio.to_thread(self._leftovers)

    async def run(
        self,
        code: str,
        *,
        args: tuple[str, ...] = (),
        env: dict[str, str] | None = None,
        cancel: asyncio.Event | None = None,
        main_call: str | None = None,
        packages: str | None = None,
        keep_output: Callable[[BinaryIO], None] | None = None,
        inputs: dict[str, str] | None = None,
        **limits: float,
    ) -> tuple[Outcome, Recorder]:
        sink = self._sink = Recorder()
        self._next_id += 1
        spec = RunSpec(
            run_id=self._next_id,
            content=code,
            interpreter=self.interpreter,
            args=args,
            env=env or {},
            limits=Limits(**{"timeout_seconds": 20, **limits}),  # type: ignore[arg-type]
            main_call=main_call,
            packages=packages,
            keep_output=keep_output,
            inputs=inputs or {},
        )
        # A run with inputs starts a sandbox of its own, which mounts them.
        if not self.warm or spec.inputs:
            return await self.runner.run(spec, sink, cancel or asyncio.Event()), sink
        assert isinstance(self.runner, LocalRunner)
        await self.runner.warm_up(self.interpreter, False, spec.limits.file_bytes, packages)
        waiting = set(self.runner.waiting_sandboxes())
        outcome = await self.runner.run(spec, sink, cancel or asyncio.Event())
        assert waiting - set(self.runner.waiting_sandboxes()), "no warm sandbox took the run"
        return outcome, sink


def own_interpreter() -> Interpreter:
    return Interpreter(
        "cpython-own", "CPython", sys.version.split()[0], os.path.realpath(sys.executable)
    )


@pytest.fixture
def server_secrets(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Plant secrets in the environment, and a world-readable file in a hidden folder."""
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    secret_dir = tmp_path / "secret-home"
    secret_dir.mkdir()
    secret = secret_dir / "token.json"
    secret.write_text('{"token": "server-token-secret"}')
    tmp_path.chmod(0o755)
    secret_dir.chmod(0o755)  # readable by anyone: only hiding keeps it from scripts
    secret.chmod(0o644)
    return secret


# The local runner's modes this process can hold: root has the bwrap sandbox with a user id
# per run; an ordinary user has the unprivileged one and the plain process mode (which would
# run scripts as root here). tests/execution/test_as_ordinary_user.py runs these suites as
# an ordinary user, so every mode is covered by one `make test` as root.
LOCAL_MODES = ["bwrap"] if os.geteuid() == 0 else ["bwrap-unprivileged", "process"]
# A bwrap mode's warm sandboxes (started before their run), for the runner contract.
WARM_MODES = [f"{LOCAL_MODES[0]}-warm"]


def _tree(pid: int) -> set[int]:
    """``pid`` and the processes below it."""
    found, queue = {pid}, [pid]
    while queue:
        parent = queue.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            with contextlib.suppress(OSError):
                children = {int(child) for child in (task / "children").read_text().split()}
                queue += children - found
                found |= children
    return found


def _ancestry() -> set[int]:
    """This process and its parents: an ordinary user's test runs as the same user."""
    found, pid = set(), os.getpid()
    while pid > 1:
        found.add(pid)
        status = Path(f"/proc/{pid}/status").read_text()
        pid = int(next(line for line in status.splitlines() if line.startswith("PPid:")).split()[1])
    return found


@contextlib.contextmanager
def local_harness_in(
    mode: str, server_secrets: Path, jp_asyncio_loop: asyncio.AbstractEventLoop
) -> Iterator[Harness]:
    """A harness of the local runner in ``mode`` (``-warm``: with warm sandboxes)."""
    isolation, warm = mode.removesuffix("-warm"), mode.endswith("-warm")
    if isolation != "process" and shutil.which("bwrap") is None:
        unavailable("the bwrap sandbox needs bubblewrap (make system-deps)")
    hidden = [str(Path.home()), str(server_secrets.parent)]
    # As the server has it: the compiled launcher among the server's hidden files.
    launchers = str(server_secrets.parent / "runtime" / "scriptforge")
    runner = LocalRunner(
        isolation,  # type: ignore[arg-type]
        hidden,
        _FIRST_UID,
        launcher_folder=launchers,
        warm_sandboxes=2 if warm else 0,
    )
    jp_asyncio_loop.run_until_complete(runner.start())
    uids = set(range(_FIRST_UID, _FIRST_UID + 100)) if isolation == "bwrap" else {os.getuid()}
    ours = _ancestry()

    def leftovers() -> list[str]:
        # The kernel kills what is left in a run's PID namespace as its init exits: on a
        # loaded machine that can take a moment after the run has ended.
        deadline = time.monotonic() + 2
        while True:
            waiting = {p for s in runner.waiting_sandboxes() for p in _tree(s.process.pid)}
            left = [f"pid {pid}" for pid in processes_of(uids) if pid not in ours | waiting]
            if not left or time.monotonic() > deadline:
                return left
            time.sleep(0.05)

    try:
        yield Harness(runner, own_interpreter(), leftovers, server_secrets, isolation, warm)
    finally:
        jp_asyncio_loop.run_until_complete(runner.close())


@pytest.fixture(params=LOCAL_MODES)
def local_harness(
    request: pytest.FixtureRequest,
    server_secrets: Path,
    jp_asyncio_loop: asyncio.AbstractEventLoop,
) -> Iterator[Harness]:
    with local_harness_in(request.param, server_secrets, jp_asyncio_loop) as harness:
        yield harness


@pytest.fixture
def venv_in_tmp(tmp_path: Path) -> Path:
    """A virtualenv under /tmp with a module of its own."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next((venv / "lib").glob("python3*/site-packages"))
    (site / "only_in_this_venv.py").write_text("WHERE = 'venv'\n")
    for folder in (tmp_path, venv, *venv.rglob("*")):
        if folder.is_dir():
            folder.chmod(0o755)
    return venv


def docker_image(docker_client: Any, name: str) -> str:
    """An interpreter image of images/, built here if missing (quick when it exists)."""
    build = subprocess.run(
        [str(IMAGES / "build.sh"), name], capture_output=True, text=True, check=False
    )
    if build.returncode != 0:
        unavailable(f"image {name} could not be built: {build.stderr[-500:]}")
    return f"scriptforge/{name.replace('-', ':', 1)}"


@pytest.fixture
def docker_harness(
    server_secrets: Path, docker_client: Any, jp_asyncio_loop: asyncio.AbstractEventLoop
) -> Iterator[Harness]:
    image = docker_image(docker_client, "python-3.11")
    instance = f"contract-{uuid.uuid4().hex[:10]}"
    runner = DockerRunner(instance, warm_images=[image], pool_size=1)
    jp_asyncio_loop.run_until_complete(runner.start())
    interpreter = Interpreter("cpython-3.11", "CPython", "3.11", None, image)

    def leftovers() -> list[str]:
        # Removal follows the end of a run by a few milliseconds; pool containers stay.
        deadline = time.monotonic() + 5
        while True:
            # Sparse: a container removed between listing and inspecting is no error.
            found = docker_client.containers.list(
                all=True, sparse=True, filters={"label": [f"{INSTANCE_LABEL}={instance}"]}
            )
            left = [
                c.attrs["Names"][0].lstrip("/")
                for c in found
                if POOL_LABEL not in (c.attrs.get("Labels") or {})
            ]
            if not left or time.monotonic() > deadline:
                return left
            time.sleep(0.1)

    yield Harness(runner, interpreter, leftovers, server_secrets, "docker")
    jp_asyncio_loop.run_until_complete(runner.close())


@pytest.fixture(
    params=[*LOCAL_MODES, *WARM_MODES, pytest.param("docker", marks=pytest.mark.docker)]
)
def harness(
    request: pytest.FixtureRequest,
    server_secrets: Path,
    jp_asyncio_loop: asyncio.AbstractEventLoop,
) -> Iterator[Harness]:
    """Each runner, the local one in each mode this process can hold (and with warm
    sandboxes): the contract holds for all of them (what a mode cannot stop, the test
    says)."""
    if request.param == "docker":
        yield request.getfixturevalue("docker_harness")
        return
    with local_harness_in(request.param, server_secrets, jp_asyncio_loop) as harness:
        yield harness


@pytest.fixture
def run_settings() -> dict[str, Any]:
    """ScriptForgeApp settings of ``run_services`` over its own (a test module overrides it)."""
    return {}


@pytest.fixture(params=["local", pytest.param("docker", marks=pytest.mark.docker)])
def run_services(
    request: pytest.FixtureRequest, tmp_path: Path, jp_asyncio_loop: asyncio.AbstractEventLoop
) -> Iterator[tuple[CatalogService, GroupService, RunService, Harness]]:
    """Catalog, groups and runs on a SQLite store, with one runner (and its harness)."""
    with contextlib.ExitStack() as stack:
        yield from _run_services(request, tmp_path, jp_asyncio_loop, stack)


def _run_services(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    jp_asyncio_loop: asyncio.AbstractEventLoop,
    stack: contextlib.ExitStack,
) -> Iterator[tuple[CatalogService, GroupService, RunService, Harness]]:
    if request.param == "docker":
        harness: Harness = request.getfixturevalue("docker_harness")
    else:
        secrets = request.getfixturevalue("server_secrets")
        harness = stack.enter_context(local_harness_in(LOCAL_MODES[0], secrets, jp_asyncio_loop))
    interpreter = harness.interpreter
    if interpreter.path is not None:
        registry = InterpreterRegistry({interpreter.name: interpreter.path}, search=False)
    else:
        image = InterpreterImage(interpreter.image or "", interpreter.implementation, "3.11")

        async def images() -> list[InterpreterImage]:
            return [image]

        registry = InterpreterRegistry({}, search=False, images=images)
    built = services_on(
        f"sqlite:///{tmp_path / 'store.db'}",
        tmp_path / "root",
        runners={request.param: harness.runner},
        interpreters=registry,
        default_runner=request.param,
        runs_instance="test",
        max_runs=4,
        max_runs_per_user=4,
        **request.getfixturevalue("run_settings"),
    )
    groups, runs = built.groups, built.runs
    jp_asyncio_loop.run_until_complete(runs.start())
    yield built.catalog, groups, runs, harness
    jp_asyncio_loop.run_until_complete(runs.close())
    built.store.engine.dispose()
