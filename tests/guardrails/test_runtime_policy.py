"""The runtime policy, run for real: every script of the guardrail corpus executes in the
local runner's sandbox (no network) with the policy on and off.

A witness hook after the policy's (runtime_witness.py) reports every act that got through.
A hostile script that acts with the policy off must, with it on, be refused by name before
any act; a benign script must never be refused and must end as it does without the policy.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import uuid
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from jupyter_scriptforge.execution.interpreters import Interpreter
from jupyter_scriptforge.execution.runners import docker, launchers, local
from jupyter_scriptforge.execution.runners.base import Limits, Runner, RunSpec
from jupyter_scriptforge.execution.runners.inside import program_text
from jupyter_scriptforge.guardrails.runtime import RUNTIME_RULES
from tests.conftest import unavailable
from tests.execution.conftest import LOCAL_MODES, Recorder, docker_image

CORPUS = Path(__file__).with_name("corpus")
HOSTILE = sorted((CORPUS / "hostile").glob("*.py"))
BENIGN = sorted((CORPUS / "benign").glob("*.py"))
WITNESS = Path(__file__).with_name("runtime_witness.py").read_text(encoding="utf-8")
REFUSED = "[scriptforge] runtime policy refused"
INTERPRETER = Interpreter("own", "CPython", "3", os.path.realpath(sys.executable))


@pytest.fixture(params=["local", pytest.param("docker", marks=pytest.mark.docker)])
def runner(
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    jp_asyncio_loop: asyncio.AbstractEventLoop,
) -> Iterator[tuple[Runner, Interpreter]]:
    """Each runner with the witness joined to its programs, and no network."""
    if request.param == "docker":
        client = request.getfixturevalue("docker_client")
        image = docker_image(client, "python-3.11")
        monkeypatch.setattr(docker, "BOOT", _witnessed(docker.BOOT))
        docker_runner = docker.DockerRunner(f"policy-{uuid.uuid4().hex[:10]}", warm_images=[image])
        jp_asyncio_loop.run_until_complete(docker_runner.start())
        yield docker_runner, Interpreter("cpython-3.11", "CPython", "3.11", None, image)
        jp_asyncio_loop.run_until_complete(docker_runner.close())
        return
    mode = LOCAL_MODES[0]
    if mode == "process" or shutil.which("bwrap") is None:
        unavailable("the runtime policy's corpus runs in the bwrap sandbox (no network)")
    monkeypatch.setattr(
        launchers,
        "program_text",
        lambda *names: (
            _witnessed(program_text(*names)) if "policy" in names else program_text(*names)
        ),
    )
    # The launcher as runs have it: a module its interpreter compiled (the witness joined),
    # most runs in a warm sandbox (four runs at a time: the first ones start their own).
    folder = str(request.getfixturevalue("tmp_path") / "launchers")
    runner = local.LocalRunner(
        mode,
        [],
        200_000 + os.getpid() % 1000 * 64,
        network=False,
        launcher_folder=folder,
        warm_sandboxes=4,
    )
    yield runner, INTERPRETER
    jp_asyncio_loop.run_until_complete(runner.close())


def _witnessed(program: str) -> str:
    """The policy, then the witness, then the rest."""
    main = program_text("script_main")
    return program.replace(main, WITNESS + "\n" + main)


async def _run(
    runner: tuple[Runner, Interpreter], path: Path, rules: tuple[str, ...]
) -> tuple[str, str]:
    spec = RunSpec(
        run_id=1,
        content=path.read_text(encoding="utf-8"),  # noqa: ASYNC240 - a small corpus file
        interpreter=runner[1],
        limits=Limits(timeout_seconds=8, processes=32, memory_bytes=1 << 30),
        # No rule at all still installs the policy program, so the witness sees every act.
        runtime_rules=rules or ("SF000",),
    )
    sink = Recorder()
    outcome = await runner[0].run(spec, sink, asyncio.Event())
    return outcome.status, sink.text()


async def _each(paths: list[Path], check: Callable[[Path], Awaitable[str | None]]) -> list[str]:
    """``check`` on every script, a few at a time (they mostly wait); the problems found."""
    gate = asyncio.Semaphore(4)

    async def one(path: Path) -> str | None:
        async with gate:
            return await check(path)

    return [problem for problem in await asyncio.gather(*map(one, paths)) if problem]


async def test_every_hostile_script_is_refused_before_its_payload_acts(runner) -> None:
    acted_unguarded: list[str] = []

    async def check(path: Path) -> str | None:
        _, unguarded = await _run(runner, path, ())
        _, guarded = await _run(runner, path, RUNTIME_RULES)
        if "SF-WITNESS" in guarded:
            return f"{path.name} acted under the policy:\n{guarded[-1500:]}"
        if "SF-WITNESS" in unguarded:  # its payload can act here: the policy must stop it
            acted_unguarded.append(path.name)
            if REFUSED not in guarded:
                return f"{path.name} was not refused:\n{guarded[-1500:]}"
        return None

    problems = await _each(HOSTILE, check)

    print(  # the figures for the record (pytest -s)
        f"\n{runner[0].name}: {len(HOSTILE)} hostile scripts, {len(acted_unguarded)} act "
        f"without the policy; with it, none acts and each of those is refused by name"
    )
    assert not problems, "\n\n".join(problems)
    assert len(acted_unguarded) > len(HOSTILE) // 2, "most payloads must be able to act here"


async def test_no_benign_script_is_refused_and_each_ends_as_without_the_policy(runner) -> None:
    async def check(path: Path) -> str | None:
        status, _ = await _run(runner, path, ())
        guarded_status, guarded = await _run(runner, path, RUNTIME_RULES)
        if REFUSED in guarded:
            return f"{path.name} was refused:\n{guarded[-1500:]}"
        if guarded_status != status:
            return f"{path.name}: {status} without the policy, {guarded_status} with it"
        return None

    problems = await _each(BENIGN, check)

    assert not problems, "\n\n".join(problems)


async def test_os_spawn_is_refused_where_the_script_calls_it(runner, tmp_path) -> None:
    # On POSIX os.spawn* forks, then execs in the child: a refusal there could be lost
    # with the child when the script (P_NOWAIT) ends first.
    script = tmp_path / "spawn.py"
    script.write_text(
        "import os\nos.spawnlp(os.P_NOWAIT, 'echo', 'echo', 'SF-' + 'ACTED')\nprint('after')\n"
    )

    status, output = await _run(runner, script, RUNTIME_RULES)

    assert status == "failed"
    assert f"{REFUSED} SF201 (starts a program): os.spawnlp('echo'" in output
    assert "SF-ACTED" not in output.splitlines()  # what echo would have printed
    assert "after" not in output
