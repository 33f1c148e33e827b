"""Services whose runs install declared dependencies from a loopback index, on each runner."""

from __future__ import annotations

import asyncio
import contextlib
import platform
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from jupyter_scriptforge.execution.interpreters import (
    InterpreterImage,
    InterpreterRegistry,
    usual_name,
)
from jupyter_scriptforge.execution.runners.docker import DockerRunner
from jupyter_scriptforge.services import Services
from tests.environments.index import PackageIndex
from tests.execution.conftest import (  # noqa: F401 - fixtures of the runners' tests
    LOCAL_MODES,
    docker_harness,
    docker_image,
    local_harness_in,
    server_secrets,
)
from tests.wiring import services_on

# This Python, under the name the Docker image of the same Python is attached to.
INTERPRETER = usual_name("CPython", platform.python_version())


@dataclass
class Deps:
    services: Services
    index: PackageIndex
    mode: str
    uv_cache: Path


@pytest.fixture(params=["local", pytest.param("docker", marks=pytest.mark.docker)])
def deps(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    package_index: PackageIndex,
    jp_asyncio_loop: asyncio.AbstractEventLoop,
) -> Iterator[Deps]:
    """Services on a SQLite store with one runner; the interpreter is this one (with, for
    Docker, the image of the same Python), packages come from ``package_index``."""
    with contextlib.ExitStack() as stack:
        images: list[InterpreterImage] = []
        if request.param == "docker":
            harness = request.getfixturevalue("docker_harness")
            image = docker_image(request.getfixturevalue("docker_client"), "python-3.11")
            images.append(InterpreterImage(image, "CPython", "3.11"))
            mode = "docker"
        else:
            secrets = request.getfixturevalue("server_secrets")
            harness = stack.enter_context(
                local_harness_in(LOCAL_MODES[0], secrets, jp_asyncio_loop)
            )
            mode = harness.mode

        async def listed() -> list[InterpreterImage]:
            return images

        registry = InterpreterRegistry({INTERPRETER: sys.executable}, search=False, images=listed)
        # A cold uv cache of the test's own (uv is given UV_* settings): what is installed
        # comes from the index.
        uv_cache = tmp_path / "uv-cache"
        request.getfixturevalue("monkeypatch").setenv("UV_CACHE_DIR", str(uv_cache))
        built = services_on(
            f"sqlite:///{tmp_path / 'store.db'}",
            tmp_path / "root",
            runners={request.param: harness.runner},
            interpreters=registry,
            default_runner=request.param,
            runs_instance="test",
            package_index_url=package_index.url,
            env_cache_dir=str(tmp_path / "environments"),
        )
        jp_asyncio_loop.run_until_complete(built.runs.start())
        yield Deps(built, package_index, mode, uv_cache)
        jp_asyncio_loop.run_until_complete(built.runs.close())
        built.store.engine.dispose()


@pytest.fixture
def image_only(
    tmp_path: Path,
    package_index: PackageIndex,
    docker_client: object,
    jp_asyncio_loop: asyncio.AbstractEventLoop,
) -> Iterator[Deps]:
    """Services whose one interpreter only an image has (PyPy), run by the Docker runner."""
    image = docker_image(docker_client, "pypy-3")
    runner = DockerRunner(f"deps-{uuid.uuid4().hex[:10]}", pool_size=0)

    async def listed() -> list[InterpreterImage]:
        return [InterpreterImage(image, "PyPy", "3.9")]

    built = services_on(
        f"sqlite:///{tmp_path / 'store.db'}",
        tmp_path / "root",
        runners={"docker": runner},
        interpreters=InterpreterRegistry({}, search=False, images=listed),
        default_runner="docker",
        runs_instance="test",
        package_index_url=package_index.url,
        env_cache_dir=str(tmp_path / "environments"),
    )
    jp_asyncio_loop.run_until_complete(built.runs.start())
    yield Deps(built, package_index, "docker", tmp_path / "uv-cache")
    jp_asyncio_loop.run_until_complete(built.language_servers.close())
    jp_asyncio_loop.run_until_complete(built.runs.close())
    built.store.engine.dispose()
