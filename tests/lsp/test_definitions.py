"""Go to definition: a name of the standard library or a package opens the file of the
script's own interpreter, read-only, through the editor's ``sources:`` drive; a file under
the root opens as itself."""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import unquote

import pytest

from jupyter_scriptforge.errors import InvalidInput, NotFound
from jupyter_scriptforge.lsp.service import LanguageService
from jupyter_scriptforge.lsp.sources import DRIVE

from .editors import editing, interpreter

pytestmark = pytest.mark.timeout(240)

USES_JSON = "import json\njson.dumps({})\n"


@pytest.fixture
def editor_on(root: Path, jp_asyncio_loop):
    interpreters = {"cpython-3.11": interpreter("3.11"), "cpython-3.13": interpreter("3.13")}
    with editing(root, interpreters, jp_asyncio_loop) as (editor, servers):
        yield editor, servers


def local_path(location: str) -> str:
    """The path within the drive, as the editor's drive asks the server for it."""
    contents_path = unquote(location)  # what jupyterlab-lsp makes of the URI
    assert contents_path.startswith(f"{DRIVE}:")
    return contents_path.removeprefix(f"{DRIVE}:")


async def test_a_standard_library_definition_opens_the_interpreters_own_file(editor_on, root):
    editor, servers = editor_on
    sources = LanguageService(servers)
    for name, version in (("cpython-3.11", "3.11"), ("cpython-3.13", "3.13")):
        uri = (root / f"{name}.py").as_uri()
        await editor.open(uri, USES_JSON)

        [location] = await editor.definitions(uri, 1, 7)
        assert location.startswith(f"{DRIVE}:{name}/")
        source = await sources.source(local_path(location))

        assert source.interpreter == name
        assert source.file.endswith(f"/python{version}/json/__init__.py")
        assert source.text == await asyncio.to_thread(Path(source.file).read_text)
        assert "def dumps(obj, *," in source.text


async def test_a_source_file_in_the_editor_follows_its_own_relative_imports(editor_on, root):
    editor, servers = editor_on
    script = (root / "cpython-3.11.py").as_uri()
    await editor.open(script, USES_JSON)
    [location] = await editor.definitions(script, 1, 7)
    source = await LanguageService(servers).source(local_path(location))

    # jupyterlab-lsp opens the drive's file under the root URI, by its contents path.
    opened = (root / unquote(location)).as_uri()
    await editor.open(opened, source.text)
    line_no, line = next(
        (n, line)
        for n, line in enumerate(source.text.splitlines())
        if line.startswith("from .decoder import JSONDecoder")
    )
    [target] = await editor.definitions(opened, line_no, line.index("JSONDecoder") + 2)
    assert target.startswith(f"{DRIVE}:cpython-3.11/")
    assert target.endswith("/python3.11/json/decoder.py")

    # The standard library's findings are not the user's to fix: none reach the editor.
    await editor.change(script, USES_JSON + "undefined_name\n", 2)
    await editor.diagnostics_of(script, until=lambda found: bool(found))
    await asyncio.sleep(1.0)
    assert opened not in editor.diagnostics


async def test_the_drive_serves_only_what_a_language_server_pointed_to(editor_on, root):
    editor, servers = editor_on
    sources = LanguageService(servers)
    uri = (root / "cpython-3.11.py").as_uri()
    await editor.open(uri, USES_JSON)
    [location] = await editor.definitions(uri, 1, 7)
    pointed = local_path(location)

    with pytest.raises(NotFound, match="go to the definition again"):
        await sources.source("cpython-3.11/etc/passwd")
    with pytest.raises(NotFound):  # pointed to for 3.11, not for 3.13
        await sources.source(pointed.replace("cpython-3.11", "cpython-3.13", 1))
    for malformed in ("json.py", "cpython-3.11/", pointed.replace("/json/", "/json/../json/")):
        with pytest.raises(InvalidInput):
            await sources.source(malformed)


async def test_a_definition_under_the_root_stays_a_file_of_the_root(editor_on, root):
    editor, _ = editor_on
    (root / "helpers.py").write_text("def shared_helper(x):\n    return x\n")
    uri = (root / "cpython-3.13.py").as_uri()
    await editor.open(uri, "import helpers\nhelpers.shared_helper(1)\n")

    assert await editor.definitions(uri, 1, 12) == [(root / "helpers.py").as_uri()]
