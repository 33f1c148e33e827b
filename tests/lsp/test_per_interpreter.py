"""What the editor knows follows the script's interpreter: python-lsp-server runs on it,
so its standard library, its packages and its grammar are the ones that count."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from jupyter_scriptforge.execution.interpreters import Interpreter

from .editors import Editor, editing, interpreter, messages

pytestmark = pytest.mark.timeout(240)

NEW_SYNTAX = (
    "import copy\n"
    "type Alias = int\n"  # PEP 695: 3.12+
    "songs = ['a']\n"
    'print(f"{", ".join(songs)}")\n'  # PEP 701: nested same quotes, 3.12+
)


@pytest.fixture
def editor_on(root: Path, jp_asyncio_loop):
    """An editor whose documents go to the interpreter named by their file's stem."""
    interpreters = {
        "cpython-3.13": interpreter("3.13"),
        "cpython-3.11": interpreter("3.11"),
        "cpython-3.12": interpreter("3.12"),
    }
    with editing(root, interpreters, jp_asyncio_loop) as (editor, servers):
        yield editor, servers


async def open_as(editor: Editor, root: Path, name: str, text: str) -> str:
    uri = (root / f"{name}.py").as_uri()
    await editor.open(uri, text)
    return uri


async def test_standard_library_names_follow_the_interpreter(editor_on, root):
    editor, _ = editor_on
    text = "import copy, itertools\ncopy.rep\nitertools.batc\n"
    new = await open_as(editor, root, "cpython-3.13", text)
    old = await open_as(editor, root, "cpython-3.11", text)

    assert "replace(obj, changes)" in await editor.completions(new, 1, 8)
    assert await editor.completions(old, 1, 8) == []
    assert any(label.startswith("batched") for label in await editor.completions(new, 2, 14))
    assert await editor.completions(old, 2, 14) == []


async def test_syntax_is_an_error_only_where_the_interpreter_cannot_parse_it(editor_on, root):
    editor, _ = editor_on
    new = await open_as(editor, root, "cpython-3.13", NEW_SYNTAX)
    old = await open_as(editor, root, "cpython-3.11", NEW_SYNTAX)
    old_fstring = await open_as(
        editor, root, "cpython-3.12", NEW_SYNTAX.replace("type Alias = int", "Alias = int")
    )

    assert [line for line, _ in messages(await editor.diagnostics_of(old))] == [2]
    assert "syntax" in messages(editor.diagnostics[old])[0][1].lower()
    # 3.12 parses PEP 695 and PEP 701 alike; pyflakes still sees the unused import.
    assert messages(await editor.diagnostics_of(old_fstring)) == [(1, "'copy' imported but unused")]
    assert messages(await editor.diagnostics_of(new)) == [(1, "'copy' imported but unused")]


async def test_an_fstring_with_nested_quotes_is_an_error_on_3_11_only(editor_on, root):
    editor, _ = editor_on
    text = 'songs = [\'a\']\nprint(f"{", ".join(songs)}")\n'
    old = await open_as(editor, root, "cpython-3.11", text)
    new = await open_as(editor, root, "cpython-3.13", text)

    [(line, _)] = messages(await editor.diagnostics_of(old))
    assert line == 2
    await editor.diagnostics_of(new, until=lambda found: True)
    assert editor.diagnostics[new] == []


async def test_defaults_report_mistakes_not_style(editor_on, root):
    editor, _ = editor_on
    text = "import os,sys\ndef f( x ):\n  return undefined_name+x\nprint(sys.argv)\n"
    uri = await open_as(editor, root, "cpython-3.13", text)

    assert messages(await editor.diagnostics_of(uri)) == [
        (1, "'os' imported but unused"),
        (3, "undefined name 'undefined_name'"),
    ]


async def test_style_checks_come_on_when_the_settings_say_so(editor_on, root):
    editor, _ = editor_on
    uri = await open_as(editor, root, "cpython-3.13", "import sys\nprint( sys.argv )\n")
    await editor.diagnostics_of(uri, until=lambda found: True)
    assert editor.diagnostics[uri] == []

    await editor.notify(
        "workspace/didChangeConfiguration",
        {"settings": {"pylsp": {"plugins": {"pycodestyle": {"enabled": True}}}}},
    )
    await editor.change(uri, "import sys\nprint( sys.argv )\n\n", 2)

    found = await editor.diagnostics_of(uri)
    assert any(d["source"] == "pycodestyle" for d in found), found


@pytest.fixture(scope="module")
def venv_with_a_package(tmp_path_factory) -> Interpreter:
    """A virtualenv of CPython 3.12 holding a package no other interpreter has."""
    folder = tmp_path_factory.mktemp("venv")
    base = interpreter("3.12")
    assert base.path is not None
    subprocess.run([base.path, "-m", "venv", "--without-pip", str(folder)], check=True)
    [site] = folder.glob("lib/python3.12/site-packages")
    package = site / "sfprobe_pkg"
    package.mkdir()
    (package / "__init__.py").write_text(
        'def greeting_for(name: str) -> str:\n    """Say hello to ``name``."""\n'
        '    return "hello " + name\n'
    )
    return Interpreter("probe-venv", "CPython", base.version, str(folder / "bin" / "python"))


@pytest.fixture
def editor_with_venv(root: Path, venv_with_a_package, jp_asyncio_loop):
    interpreters = {"probe-venv": venv_with_a_package, "cpython-3.12": interpreter("3.12")}
    with editing(root, interpreters, jp_asyncio_loop) as (editor, _):
        yield editor


async def test_a_package_of_one_environment_is_known_there_only(root, editor_with_venv):
    editor = editor_with_venv
    text = "import sfprobe_pkg\nsfprobe_pkg.gree\nsfprobe_pkg.greeting_for('x')\n"
    there = await open_as(editor, root, "probe-venv", text)
    elsewhere = await open_as(editor, root, "cpython-3.12", text)

    assert "greeting_for(name)" in await editor.completions(there, 1, 16)
    assert "Say hello to" in await editor.hover(there, 2, 16)
    [location] = await editor.definitions(there, 2, 16)
    # Outside the root: a path of the editor's read-only sources: drive.
    assert location.startswith("sources:probe-venv/")
    assert location.endswith("/site-packages/sfprobe_pkg/__init__.py")

    assert await editor.completions(elsewhere, 1, 16) == []
    missing = messages(await editor.diagnostics_of(elsewhere))
    assert missing[0][0] == 1
    assert "No module named 'sfprobe_pkg' on this interpreter (cpython 3.12" in missing[0][1]
    await editor.diagnostics_of(there, until=lambda found: True)
    assert editor.diagnostics[there] == []


async def test_signature_help_is_the_interpreters_own(editor_on, root):
    editor, _ = editor_on
    text = "import copy\ncopy.replace(\n"
    new = await open_as(editor, root, "cpython-3.13", text)
    old = await open_as(editor, root, "cpython-3.11", text)

    def signatures(answer: dict) -> list[str]:
        return [s["label"] for s in (answer.get("result") or {}).get("signatures", [])]

    position = {"line": 1, "character": 13}
    on_new = await editor.call(
        "textDocument/signatureHelp", {"textDocument": {"uri": new}, "position": position}
    )
    on_old = await editor.call(
        "textDocument/signatureHelp", {"textDocument": {"uri": old}, "position": position}
    )
    assert any(label.startswith("replace(obj") for label in signatures(on_new))
    assert signatures(on_old) == []  # 3.11 has no copy.replace
