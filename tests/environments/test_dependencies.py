"""Declared dependencies (PEP 723) of real scripts, resolved and installed by uv from a
loopback index, used by runs on each runner."""

from __future__ import annotations

import asyncio

import pytest

from jupyter_scriptforge.errors import InvalidInput
from jupyter_scriptforge.execution.run_requests import RunRequest
from jupyter_scriptforge.rights import Actor
from tests.environments.conftest import INTERPRETER, Deps

ALICE = Actor.with_all_rights("alice")


def script(*dependencies: str, body: str = "", requires: str | None = None) -> str:
    listed = ", ".join(f'"{d}"' for d in dependencies)
    header = "# /// script\n"
    if requires is not None:
        header += f'# requires-python = "{requires}"\n'
    header += f"# dependencies = [{listed}]\n# ///\n"
    return header + (body or "import sfdemo, sfhelper\nprint(sfdemo.VERSION, sfhelper.VERSION)\n")


async def run(deps: Deps, script_id: int, **request: object) -> tuple[dict, str, str]:
    """Run the script; → its final record, stdout and stderr."""
    runs = deps.services.runs
    started = await runs.submit(ALICE, RunRequest(script_id=script_id, **request))  # type: ignore[arg-type]
    async with asyncio.timeout(120):
        while True:
            record = await runs.get("alice", started["id"])
            if record["status"] not in ("queued", "running"):
                break
            await asyncio.sleep(0.05)
    pieces = (await runs.output("alice", started["id"], 0, 10_000))["pieces"]
    out = "".join(p["text"] for p in pieces if p["stream"] == "stdout")
    err = "".join(p["text"] for p in pieces if p["stream"] == "stderr")
    return record, out, err


def create(deps: Deps, name: str, content: str) -> int:
    info = deps.services.catalog.create_sync(
        "alice", name=name, content=content, interpreter=INTERPRETER
    )
    return info.id


async def test_declared_packages_are_installed_read_only_and_their_pins_recorded(deps):
    body = (
        "import sfdemo, sfhelper\n"
        "print(sfdemo.VERSION, sfhelper.VERSION)\n"
        "try:\n"
        "    open(sfdemo.__file__, 'a')\n"
        "    print('writable')\n"
        "except OSError:\n"
        "    print('read-only')\n"
    )
    script_id = create(deps, "report", script("sfdemo", body=body))

    record, out, err = await run(deps, script_id)

    assert record["status"] == "succeeded", err
    first, access = out.splitlines()
    assert first == "1.0 1.0"
    # Without a sandbox the run is the server's user, who owns the cache.
    assert access == ("writable" if deps.mode == "process" else "read-only")
    assert "[scriptforge] preparing environment: resolving sfdemo" in err
    state = await deps.services.dependencies.state("alice", script_id, None, None)
    assert state["pins"] == ["sfdemo==1.0", "sfhelper==1.0"]
    assert state["state"] == "ready"


async def test_a_second_script_with_the_same_set_reuses_the_environment(deps):
    first = create(deps, "one", script("sfdemo"))
    second = create(
        deps, "two", script("sfdemo", body="import sfdemo\nprint('two', sfdemo.VERSION)\n")
    )

    _, _, built = await run(deps, first)
    record, out, reused = await run(deps, second)

    assert "installing" in built
    assert record["status"] == "succeeded"
    assert out == "two 1.0\n"
    assert "installing" not in reused
    assert len(deps.services.dependencies._environments.cache.listing()) == 1


async def test_a_version_keeps_its_pins_after_a_newer_release_appears(deps):
    script_id = create(deps, "pinned", script("sfdemo"))
    _, before, _ = await run(deps, script_id)
    first_version = deps.services.catalog.get_sync(script_id, "alice").head_version_id

    deps.index.add("sfhelper", "2.0")
    deps.index.add("sfdemo", "2.0", "sfhelper>=2")
    _, again, _ = await run(deps, script_id)
    deps.services.catalog.save_version_sync(script_id, script("sfdemo") + "# new\n", ALICE)
    _, newer, _ = await run(deps, script_id, source="head")
    _, old_version, _ = await run(deps, script_id, version_id=first_version)

    assert (before, again, old_version) == ("1.0 1.0\n",) * 3
    assert newer == "2.0 2.0\n"


@pytest.mark.parametrize(
    ("dependencies", "words"),
    [
        (("nosuchpackage",), "nosuchpackage"),
        (("sfdemo==1.0", "sfhelper>=2"), "sfhelper"),
    ],
    ids=["missing", "conflict"],
)
async def test_a_failed_resolution_fails_the_run_with_uv_s_words(deps, dependencies, words):
    script_id = create(deps, "broken", script(*dependencies))

    record, out, err = await run(deps, script_id)

    assert record["status"] == "failed"
    assert out == ""
    assert "[scriptforge] The script's dependencies:" in err
    assert words in err
    assert "Traceback" not in err
    state = await deps.services.dependencies.state("alice", script_id, None, None)
    assert state["state"] == "failed"
    assert words in state["message"]


async def test_a_python_the_script_does_not_support_is_refused_before_any_run(deps):
    script_id = create(deps, "future", script("sfdemo", requires=">=3.99"))

    with pytest.raises(InvalidInput, match=rf"requires Python >=3.99; {INTERPRETER} is 3\."):
        await deps.services.runs.submit(ALICE, RunRequest(script_id=script_id))

    assert await deps.services.runs.history("alice", script_id=script_id) == []
    state = await deps.services.dependencies.state("alice", script_id, None, None)
    assert state["state"] == "unsupported"


async def test_two_runs_needing_the_same_new_environment_build_it_once(deps):
    scripts = [create(deps, f"twin{n}", script("sfdemo")) for n in range(2)]

    results = await asyncio.gather(*(run(deps, script_id) for script_id in scripts))

    assert [out for _, out, _ in results] == ["1.0 1.0\n"] * 2
    assert sum(err.count("installing") for _, _, err in results) == 1
    assert len(deps.services.dependencies._environments.cache.listing()) == 1


async def test_preparing_ahead_says_resolving_at_once_then_ready(deps):
    script_id = create(deps, "ahead", script("sfdemo"))
    dependencies = deps.services.dependencies

    first = await dependencies.prepare(ALICE, script_id, None, None)
    async with asyncio.timeout(60):
        while True:
            state = await dependencies.state("alice", script_id, None, None)
            if state["state"] not in ("resolving", "installing"):
                break
            await asyncio.sleep(0.05)

    assert first["state"] == "resolving"
    assert (state["state"], state["pins"]) == ("ready", ["sfdemo==1.0", "sfhelper==1.0"])
    _, _, err = await run(deps, script_id)
    assert "preparing environment" not in err


@pytest.mark.docker
async def test_an_image_only_interpreter_resolves_and_installs_inside_its_image(image_only):
    body = "import sys, sfdemo, sfhelper\nprint(sys.implementation.name, sfdemo.VERSION)\n"
    info = image_only.services.catalog.create_sync(
        "alice", name="on-pypy", content=script("sfdemo", body=body), interpreter="pypy-3.9"
    )

    record, out, err = await run(image_only, info.id)

    assert record["status"] == "succeeded", err
    assert out == "pypy 1.0\n"
    state = await image_only.services.dependencies.state("alice", info.id, None, None)
    assert (state["state"], state["pins"]) == ("ready", ["sfdemo==1.0", "sfhelper==1.0"])
    [environment] = image_only.services.dependencies._environments.cache.listing()
    assert environment.key.startswith("pypy-3.9-")
    # Its language server, in a container of the image, reads the packages too.
    text = "import sfdemo\nsfdemo.VER"
    completions = await image_only.services.language.completions(text, len(text), "pypy-3.9")
    assert completions == ["VERSION"]
