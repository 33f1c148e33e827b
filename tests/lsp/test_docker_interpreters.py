"""An interpreter that only an image has gets its language server in a container of that
image: the same features, the image's own standard library and grammar, and the container
gone when the server stops."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import docker
import pytest

from jupyter_scriptforge.execution.interpreters import Interpreter
from jupyter_scriptforge.lsp.docker_process import LANGUAGE_SERVER_LABEL
from jupyter_scriptforge.lsp.service import LanguageService
from tests.conftest import unavailable

from .editors import editing, eventually, messages

pytestmark = [pytest.mark.docker, pytest.mark.timeout(300)]

PYPY = Interpreter("pypy-3.9", "PyPy", "3.9.16", None, "scriptforge/pypy:3")
CPYTHON = Interpreter("cpython-3.13", "CPython", "3.13.5", None, "scriptforge/python:3.13")


@pytest.fixture(scope="module")
def images(docker_client: docker.DockerClient) -> docker.DockerClient:
    for interpreter in (PYPY, CPYTHON):
        try:
            image = docker_client.images.get(interpreter.image)
        except docker.errors.ImageNotFound:
            unavailable(f"image {interpreter.image} is not built (make images)")
        if "org.jupyter.scriptforge.image.recipe" not in image.labels:
            unavailable(f"image {interpreter.image} is from an older recipe (make images)")
    return docker_client


def containers(client: docker.DockerClient) -> list[str]:
    return [
        c.id for c in client.containers.list(all=True, filters={"label": LANGUAGE_SERVER_LABEL})
    ]


def test_an_image_only_interpreter_completes_and_diagnoses_in_a_container(
    images, tmp_path: Path, jp_asyncio_loop
):
    root = tmp_path / "root"
    (root / "lib").mkdir(parents=True)
    (root / "lib" / "helpers.py").write_text("def shared_helper(x):\n    return x\n")
    interpreters = {"pypy-3.9": PYPY, "cpython-3.13": CPYTHON}
    before = set(containers(images))
    with editing(root, interpreters, jp_asyncio_loop) as (editor, servers):

        async def scenario() -> None:
            text = (
                "import copy, itertools\nfrom lib import helpers\nhelpers.shared_h\n"
                "copy.rep\ntype A = int\n"
            )
            pypy = (root / "pypy-3.9.py").as_uri()
            cpython = (root / "cpython-3.13.py").as_uri()
            await editor.open(pypy, text)
            await editor.open(cpython, text)

            # The scripts folder is mounted read-only: sibling modules resolve in there.
            assert "shared_helper(x)" in await editor.completions(pypy, 2, 16)
            assert "replace(obj, changes)" in await editor.completions(cpython, 3, 8)
            assert await editor.completions(pypy, 3, 8) == []  # PyPy 3.9 has no copy.replace
            found = messages(await editor.diagnostics_of(pypy))
            assert [line for line, _ in found] == [5]  # PEP 695 is no syntax for 3.9
            assert messages(await editor.diagnostics_of(cpython, until=lambda d: True)) in (
                [],
                [(1, "'itertools' imported but unused")],
            )
            # Go to definition: a sibling module is itself; the standard library comes
            # out of the image, read through the running container.
            assert await editor.definitions(pypy, 1, 18) == [(root / "lib/helpers.py").as_uri()]
            [module] = await editor.definitions(pypy, 0, 8)
            assert module.startswith("sources:pypy-3.9/")
            source = await LanguageService(servers).source(unquote(module)[len("sources:") :])
            # PyPy's own module: jedi is bound to the server's interpreter, not to the
            # image's other Python (Debian's CPython 3.11 is in there too).
            assert source.file.endswith("/pypy3.9/copy.py")
            assert "def deepcopy(x, memo=None" in source.text

            statuses = {s.interpreter: s for s in servers.statuses()}
            assert statuses["pypy-3.9"].where.startswith("container ")
            assert 0 < (statuses["pypy-3.9"].memory_bytes or 1) < 150 * 2**20

        jp_asyncio_loop.run_until_complete(scenario())
        assert len(set(containers(images)) - before) == 2
    assert set(containers(images)) - before == set()


def test_a_killed_container_server_comes_back(images, tmp_path: Path, jp_asyncio_loop):
    root = tmp_path / "root"
    root.mkdir()
    with editing(root, {"pypy-3.9": PYPY}, jp_asyncio_loop) as (editor, servers):

        async def scenario() -> None:
            uri = (root / "pypy-3.9.py").as_uri()
            await editor.open(uri, "import os\nos.pa\n")
            assert "path" in await editor.completions(uri, 1, 5)
            [status] = servers.statuses()
            container = images.containers.get(status.where.split()[-1])
            container.kill()
            await eventually(lambda: servers.statuses()[0].state == "failed")
            assert servers.statuses()[0].reason == "the language server exited (exit status 137)"
            assert "path" in await editor.completions(uri, 1, 5)

        jp_asyncio_loop.run_until_complete(scenario())
