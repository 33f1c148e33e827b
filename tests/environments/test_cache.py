"""The environment cache: whole environments or none, least recently used evicted first,
never one in use."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from jupyter_scriptforge.environments.cache import EnvironmentCache
from jupyter_scriptforge.environments.resolver import Resolver
from tests.execution.conftest import LOCAL_MODES, WARM_MODES, Harness, local_harness_in

# A build that installs for real, then stops before its environment is in place.
BUILD_THEN_HANG = """
import asyncio, sys
from pathlib import Path
import pytest

from jupyter_scriptforge.environments.cache import EnvironmentCache
from jupyter_scriptforge.environments.resolver import Resolver
from tests.execution.conftest import LOCAL_MODES, WARM_MODES, Harness, local_harness_in

async def main():
    cache = EnvironmentCache(Path(sys.argv[1]), 1 << 30)
    resolver = Resolver(index_url=sys.argv[2])

    async def build(staging):
        await resolver.install(sys.executable, ["sfdemo==1.0", "sfhelper==1.0"], staging)
        print(staging, flush=True)
        await asyncio.sleep(120)

    await cache.ensure("cpython-3.11-demo", build)

asyncio.run(main())
"""


async def test_kill_9_during_a_build_leaves_no_environment_a_run_would_take(
    tmp_path, package_index
):
    folder = tmp_path / "environments"
    builder = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        BUILD_THEN_HANG,
        str(folder),
        package_index.url,
        stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "UV_CACHE_DIR": str(tmp_path / "uv-cache")},
    )
    try:
        assert builder.stdout is not None
        staging = Path((await asyncio.wait_for(builder.stdout.readline(), 60)).decode().strip())
    finally:
        builder.send_signal(signal.SIGKILL)
        await builder.wait()
    assert (staging / "sfdemo" / "__init__.py").exists()  # killed with its packages in

    cache = EnvironmentCache(folder, 1 << 30)
    assert not cache.is_built("cpython-3.11-demo")
    assert cache.listing() == []
    cache.prepare_folder()  # a server starting: the cut-off build goes
    assert not staging.exists()  # noqa: ASYNC240

    async def build(target: Path) -> None:
        await Resolver(index_url=package_index.url).install(sys.executable, ["sfdemo==1.0"], target)

    assert await cache.ensure("cpython-3.11-demo", build)
    assert (cache.path_of("cpython-3.11-demo") / "sfdemo" / "__init__.py").exists()


async def test_the_least_recently_used_go_first_and_never_one_in_use(tmp_path):
    cache = EnvironmentCache(tmp_path / "environments", cap_bytes=25_000)

    def sized(size: int):
        async def build(target: Path) -> None:
            (target / "payload").write_bytes(b"x" * size)

        return build

    for name in ("oldest", "older", "newest"):
        await cache.ensure(name, sized(10_000))
        os.utime(cache.path_of(name) / ".used", (1, {"oldest": 1, "older": 2, "newest": 3}[name]))
    # Three would not fit in 25 kB: the oldest went when the third came, unless in use.
    assert [e.key for e in cache.listing()] == ["newest", "older"]

    with cache.using("older"):
        await cache.ensure("fourth", sized(10_000))
        kept = [e.key for e in cache.listing()]
    assert sorted(kept) == ["fourth", "older"]  # "newest" was used before "older" was taken


@pytest.fixture(params=[LOCAL_MODES[0], WARM_MODES[0]])
def sandbox(
    request: pytest.FixtureRequest,
    server_secrets: Path,
    jp_asyncio_loop: asyncio.AbstractEventLoop,
) -> Iterator[Harness]:
    """The local runner, starting a sandbox per run, or with warm sandboxes."""
    with local_harness_in(request.param, server_secrets, jp_asyncio_loop) as harness:
        yield harness


async def test_a_run_imports_its_packages_in_a_sandbox_cold_or_warm(
    sandbox, tmp_path, package_index
):
    cache = EnvironmentCache(tmp_path / "environments", 1 << 30)
    cache.prepare_folder()

    async def build(target: Path) -> None:
        pins = ["sfdemo==1.0", "sfhelper==1.0"]
        await Resolver(index_url=package_index.url).install(sys.executable, pins, target)

    await cache.ensure("demo", build)
    code = "import sfdemo, sfhelper\nprint(sfdemo.VERSION, sfhelper.__file__)\n"
    # Warm: the harness asserts a sandbox started before the run took it.
    outcome, output = await sandbox.run(code, packages=str(cache.path_of("demo")))

    assert outcome.status == "succeeded", output.text()
    assert output.text("stdout") == f"1.0 {cache.path_of('demo')}/sfhelper/__init__.py\n"
