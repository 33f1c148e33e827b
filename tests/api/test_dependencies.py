"""A script's declared dependencies through the REST API: their state for the editor, their
environment prepared ahead of a run, refusals before any run, the cache in health."""

from __future__ import annotations

import asyncio
import io
import tarfile
from pathlib import Path
from typing import Any

import pytest

from tests.api.test_runs import finished, output_text
from tests.environments.index import PackageIndex

DECLARES = """# /// script
# dependencies = ["sfdemo"]
# ///
import sfdemo
print("sfdemo", sfdemo.VERSION)
"""


@pytest.fixture
def jp_server_config(
    jp_server_config: dict[str, Any],
    package_index: PackageIndex,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> dict[str, Any]:
    """The usual server, installing packages from the loopback index with a cold cache."""
    monkeypatch.setenv("UV_CACHE_DIR", str(tmp_path / "uv-cache"))
    config = {**jp_server_config, "ScriptForgeApp": dict(jp_server_config["ScriptForgeApp"])}
    config["ScriptForgeApp"]["package_index_url"] = package_index.url
    config["ScriptForgeApp"]["env_cache_dir"] = str(tmp_path / "environments")
    return config  # type: ignore[no-any-return]


async def dependencies(api: Any, script_id: int, **query: Any) -> dict[str, Any]:
    answer = await api.get(f"scripts/{script_id}/dependencies", **query)
    assert answer.status == 200, answer.body
    return answer.body  # type: ignore[no-any-return]


async def test_the_editor_sees_dependencies_resolve_and_a_run_use_them(api):
    script = await api.create("report", content=DECLARES)
    before = await dependencies(api, script["id"])

    prepared = await api.post(f"scripts/{script['id']}/dependencies")
    async with asyncio.timeout(60):
        while (state := await dependencies(api, script["id"]))["state"] != "ready":
            assert state["state"] in ("resolving", "installing", "unresolved"), state
            await asyncio.sleep(0.1)
    run = await api.post("runs", {"script_id": script["id"]})
    done = await finished(api, run.body["id"])
    health = (await api.get("health")).body
    # The interpreter's language server reads the packages the script declared.
    text = "import sfdemo\nsfdemo.VER"
    completions = await api.post(
        "language/completions",
        {"content": text, "offset": len(text), "interpreter": state["interpreter"]},
    )

    assert (before["state"], before["dependencies"], before["pins"]) == (
        "unresolved",
        ["sfdemo"],
        None,
    )
    assert prepared.status == 202
    assert state["pins"] == ["sfdemo==1.0", "sfhelper==1.0"]
    assert done["status"] == "succeeded"
    assert await output_text(api, done["id"], "stdout") == "sfdemo 1.0\n"
    # Prepared ahead: the run found its environment ready.
    assert "installing" not in await output_text(api, done["id"], "stderr")
    diagnostics = await api.post(
        "language/diagnostics",
        {"content": "import sfdemo\nprint(sfdemo)\n", "interpreter": state["interpreter"]},
    )
    assert completions.body["items"] == ["VERSION"]
    assert diagnostics.body["diagnostics"] == []  # not "No module named 'sfdemo'"
    [environment] = health["environments"]["items"]
    assert environment["key"].startswith("cpython-3.")
    assert environment["size_bytes"] > 0


async def test_metadata_a_run_cannot_honour_is_a_400_and_starts_nothing(api):
    future = await api.create(
        "future", content='# /// script\n# requires-python = ">=3.99"\n# ///\n'
    )
    broken = await api.create("broken", content="# /// script\n# dependencies = [\n# ///\n")
    bad_name = await api.create(
        "bad", content='# /// script\n# dependencies = ["not a requirement!"]\n# ///\n'
    )

    answers = [await api.post("runs", {"script_id": s["id"]}) for s in (future, broken, bad_name)]
    future_state = await dependencies(api, future["id"])

    assert [a.status for a in answers] == [400, 400, 400]
    assert "requires Python >=3.99" in answers[0].body["message"]
    assert "not valid TOML" in answers[1].body["message"]
    assert "'not a requirement!'" in answers[2].body["message"]
    assert future_state["state"] == "unsupported"
    assert (await api.get("runs")).body["runs"] == []


async def test_resolving_again_records_newer_pins_as_a_new_version(api, package_index):
    script = await api.create("report", content=DECLARES)
    first = await ready(api, script["id"])
    package_index.add("sfhelper", "2.0")
    package_index.add("sfdemo", "2.0", "sfhelper>=2")

    again = await api.post(f"scripts/{script['id']}/dependencies/resolve")
    newer = await ready(api, script["id"])
    old = await dependencies(api, script["id"], version=first["version_id"])
    run = await api.post("runs", {"script_id": script["id"], "source": "head"})
    done = await finished(api, run.body["id"])

    assert again.status == 201
    assert again.body["version_id"] == newer["version_id"] != first["version_id"]
    assert newer["pins"] == ["sfdemo==2.0", "sfhelper==2.0"]
    assert old["pins"] == ["sfdemo==1.0", "sfhelper==1.0"]  # the older version keeps its own
    versions = (await api.get(f"scripts/{script['id']}/versions")).body["items"]
    assert versions[0]["message"] == "Dependencies resolved again"
    assert await output_text(api, done["id"], "stdout") == "sfdemo 2.0\n"


async def ready(api: Any, script_id: int) -> dict[str, Any]:
    """Prepare the head's environment; → its state once ready."""
    await api.post(f"scripts/{script_id}/dependencies")
    async with asyncio.timeout(60):
        while (state := await dependencies(api, script_id))["state"] != "ready":
            assert state["state"] in ("resolving", "installing", "unresolved"), state
            await asyncio.sleep(0.1)
    return state


async def test_a_built_environment_is_given_as_a_tar_to_whoever_may_read_the_script(api):
    script = await api.create("report", content=DECLARES)
    plain = await api.create("plain", content="print(1)\n")
    path = f"scripts/{script['id']}/dependencies/environment"
    early = await api.get(path)
    nothing_declared = await api.get(f"scripts/{plain['id']}/dependencies/environment")

    await api.post(f"scripts/{script['id']}/dependencies")
    async with asyncio.timeout(60):
        while (state := await dependencies(api, script["id"]))["state"] != "ready":
            assert state["state"] in ("resolving", "installing"), state
            await asyncio.sleep(0.1)
    answer = await api.get(path)

    assert (early.status, early.body["state"]) == (409, "unresolved")
    assert "not ready" in early.body["message"]
    assert (nothing_declared.status, nothing_declared.body["state"]) == (409, "none")
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "application/x-tar"
    assert 'filename="cpython-' in answer.headers["Content-Disposition"]
    with tarfile.open(fileobj=io.BytesIO(answer.body)) as tar:
        names = tar.getnames()
        module = tar.extractfile("sfdemo/__init__.py")
        assert module is not None
        assert b'VERSION = "1.0"' in module.read()
    assert "sfhelper/__init__.py" in names
    # The cache's own marks stay behind; every path is inside the environment.
    assert not {".used", ".complete"} & set(names)
    assert all(not name.startswith(("/", "..")) for name in names)
