"""Runners on real processes and containers, and a sink that records what they print."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from jupyter_scriptforge.catalog.service import CatalogService
from jupyter_scriptforge.db.run_store import RunStore
from jupyter_scriptforge.execution.groups import GroupService
from jupyter_scriptforge.execution.interpreters import Interpreter, InterpreterRegistry
from jupyter_scriptforge.execution.runners.base import Limits, Outcome, Runner, RunSpec, Stream
from jupyter_scriptforge.execution.runners.local import LocalRunner
from jupyter_scriptforge.execution.runners.processes import processes_of
from jupyter_scriptforge.execution.service import RunService, RunSettings
from jupyter_scriptforge.execution.slots import RunSlots
from tests.conftest import unavailable
from tests.store.conftest import build_services

# The server's secrets, planted in this (the "server's") environment for scripts to look for.
SECRETS = {
    "JUPYTERHUB_API_TOKEN": "hub-token-secret",
    "JPY_API_TOKEN": "jpy-secret",
    "AWS_SECRET_ACCESS_KEY": "aws-secret",
}


_FIRST_UID = 62000


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

    ``leftovers`` lists what the runner's runs left alive (processes, containers): after
    any run has ended, it must be empty.
    """

    def __init__(
        self,
        runner: Runner,
        interpreter: Interpreter,
        leftovers: Callable[[], list[str]],
        secret_file: Path,
    ) -> None:
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
        )
        outcome = await self.runner.run(spec, sink, cancel or asyncio.Event())
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


@pytest.fixture
def local_harness(
    server_secrets: Path, jp_asyncio_loop: asyncio.AbstractEventLoop
) -> Iterator[Harness]:
    if os.geteuid() != 0 or shutil.which("bwrap") is None:
        unavailable("the bwrap sandbox needs root and bubblewrap (make system-deps)")
    hidden = [str(Path.home()), str(server_secrets.parent)]
    runner = LocalRunner("bwrap", hidden_paths=hidden, first_uid=_FIRST_UID)
    jp_asyncio_loop.run_until_complete(runner.start())
    uids = range(_FIRST_UID, _FIRST_UID + 100)

    def leftovers() -> list[str]:
        return [f"pid {pid}" for pid in processes_of(set(uids))]

    yield Harness(runner, own_interpreter(), leftovers, server_secrets)
    jp_asyncio_loop.run_until_complete(runner.close())


@pytest.fixture(params=["local"])
def harness(request: pytest.FixtureRequest) -> Harness:
    """Each runner in turn: the contract holds for all of them."""
    return request.getfixturevalue(f"{request.param}_harness")  # type: ignore[no-any-return]


@pytest.fixture
def run_services(
    tmp_path: Path, jp_asyncio_loop: asyncio.AbstractEventLoop
) -> Iterator[tuple[CatalogService, GroupService, RunService]]:
    """Catalog, groups and runs on a SQLite store and the bwrap local runner."""
    if os.geteuid() != 0 or shutil.which("bwrap") is None:
        unavailable("the bwrap sandbox needs root and bubblewrap (make system-deps)")
    built = build_services(f"sqlite:///{tmp_path / 'store.db'}", tmp_path / "root")
    run_store = RunStore(built.store)
    groups = GroupService(run_store, built.catalog, 600)
    interpreter = own_interpreter()
    registry = InterpreterRegistry({interpreter.name: interpreter.path or ""}, search=False)
    runner = LocalRunner("bwrap", hidden_paths=[str(Path.home())], first_uid=_FIRST_UID)
    runs = RunService(
        run_store,
        built.catalog,
        built.versions,
        groups,
        registry,
        {"local": runner},
        RunSlots(total=4, per_user=4),
        RunSettings(instance="test"),
    )
    jp_asyncio_loop.run_until_complete(runs.start())
    yield built.catalog, groups, runs
    jp_asyncio_loop.run_until_complete(runs.close())
    built.store.engine.dispose()
