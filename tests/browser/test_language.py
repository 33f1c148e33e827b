"""Language intelligence in the file editor: jupyterlab-lsp talking to ScriptForge's router,
each script served by the language server of its own interpreter."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.ui import (
    INDICATOR,
    api,
    offered,
    open_in_editor,
    screenshot,
    tab_until_offered,
    type_at_end,
    use_theme,
)
from tests.jupyter_process import JupyterProcess

pytestmark = pytest.mark.timeout(300)


def interpreter_named(lab: JupyterProcess, minor: str, local: bool = True) -> str:
    for found in api(lab, "GET", "interpreters")["interpreters"]:
        if found["version"].startswith(minor + ".") and bool(found["path"]) == local:
            return str(found["name"])
    raise LookupError(f"no interpreter {minor} ({'local' if local else 'image only'})")


def new_script(lab: JupyterProcess, name: str, content: str, interpreter: str) -> str:
    created = api(
        lab, "POST", "scripts", {"name": name, "content": content, "interpreter": interpreter}
    )
    return str(created["path"])


def test_completion_follows_the_scripts_interpreter(page: Page, lab: JupyterProcess):
    new = interpreter_named(lab, "3.13")
    old = interpreter_named(lab, "3.11")
    newer = new_script(lab, "on_new", "import copy\n", new)
    older = new_script(lab, "on_old", "import copy\n", old)

    open_in_editor(page, newer)
    expect(page.locator(INDICATOR)).to_have_text(f"{new} · ready", timeout=60_000)
    type_at_end(page, "\ncopy.rep")
    tab_until_offered(page, "replace")
    screenshot(page, "language-completion.png")
    page.keyboard.press("Escape")

    open_in_editor(page, older)
    expect(page.locator(INDICATOR)).to_have_text(f"{old} · ready", timeout=60_000)
    type_at_end(page, "\ncopy.")
    # The same kind of server answers, from 3.11's standard library: no replace() there.
    tab_until_offered(page, "deepcopy")
    expect(offered(page, "replace")).to_have_count(0)


def test_syntax_is_underlined_only_where_the_interpreter_cannot_parse_it(
    page: Page, lab: JupyterProcess
):
    old = interpreter_named(lab, "3.11")
    new = interpreter_named(lab, "3.13")
    path = new_script(lab, "aliases", "type Alias = int\nprint(Alias)\n", old)

    open_in_editor(page, path)
    errors = page.locator(".jp-FileEditor:visible .cm-lintRange-error")
    expect(errors.first).to_be_visible(timeout=60_000)
    expect(page.locator(".jp-FileEditor:visible .cm-line").first).to_contain_text("type Alias")

    # The toolbar's picker moves the script to 3.13: the editor follows, still open.
    page.locator(
        ".jp-MainAreaWidget:visible .jp-ScriptForge-interpreterPicker select"
    ).select_option(new)
    expect(page.locator(INDICATOR)).to_have_text(f"{new} · ready", timeout=60_000)
    expect(errors).to_have_count(0, timeout=30_000)


def test_hover_shows_the_signature(page: Page, lab: JupyterProcess):
    path = new_script(
        lab, "hovering", "import copy\ncopy.deepcopy({})\n", interpreter_named(lab, "3.13")
    )
    open_in_editor(page, path)
    expect(page.locator(INDICATOR)).to_contain_text("ready", timeout=60_000)
    target = page.locator(".jp-FileEditor:visible .cm-line", has_text="copy.deepcopy").get_by_text(
        "deepcopy"
    )
    hover = page.locator(".lsp-hover")
    page.keyboard.down("Control")
    # jupyterlab-lsp asks on a mouse move with Ctrl held; the first answer may come after
    # it stopped waiting (jedi loads the module), so move again, as a user would.
    for _ in range(3):
        page.mouse.move(0, 0)
        target.hover()
        try:
            expect(hover).to_contain_text("deepcopy(x", timeout=8_000)
            break
        except AssertionError:
            continue
    expect(hover).to_contain_text("deepcopy(x")
    page.keyboard.up("Control")


def current_path(page: Page) -> str:
    return str(page.evaluate("() => window.jupyterapp.shell.currentWidget.context.path"))


def cursor_line_text(page: Page) -> str:
    """The text of the line the cursor of the editor in front is on."""
    return str(
        page.evaluate(
            """() => {
                const editor = window.jupyterapp.shell.currentWidget.content.editor;
                return editor.getLine(editor.getCursorPosition().line);
            }"""
        )
    )


def jump_to_definition_of(page: Page, line_text: str, name: str) -> None:
    """Put the cursor in ``name`` on the line holding ``line_text`` and press Ctrl+B
    (jupyterlab-lsp's jump); a server's first answer may take seconds, so press again."""
    line = page.locator(".jp-FileEditor:visible .cm-line", has_text=line_text)
    line.get_by_text(name).click()
    tabs = page.locator(".lm-TabBar-tab.jp-mod-current")
    before = tabs.first.inner_text()
    for _ in range(3):
        page.keyboard.press("Control+b")
        try:
            expect(tabs.first).not_to_have_text(before, timeout=10_000)
            return
        except AssertionError:
            continue
    expect(tabs.first).not_to_have_text(before)


def test_go_to_definition_opens_the_interpreters_own_library_read_only(
    page: Page, lab: JupyterProcess
):
    for minor in ("3.11", "3.13"):
        name = interpreter_named(lab, minor)
        path = new_script(lab, f"jumps_{minor[2:]}", "import json\njson.dumps({})\n", name)
        open_in_editor(page, path)
        expect(page.locator(INDICATOR)).to_have_text(f"{name} · ready", timeout=60_000)

        jump_to_definition_of(page, "json.dumps", "dumps")
        # The standard library of the script's interpreter, from the read-only sources drive.
        expect(page.locator(".lm-TabBar-tab.jp-mod-current")).to_contain_text("__init__.py")
        opened = current_path(page)
        assert opened.startswith(f"sources:{name}/")
        assert opened.endswith(f"/python{minor}/json/__init__.py")
        source = page.locator(".jp-FileEditor:visible")
        definition = source.locator(".cm-line", has_text="def dumps(obj, *,")
        expect(definition).to_be_in_viewport()
        assert cursor_line_text(page).startswith("def dumps(obj, *,")
        toolbar = page.locator(".jp-MainAreaWidget:visible .jp-Toolbar")
        expect(toolbar).to_contain_text("file is read-only")
        expect(toolbar.locator(".jp-ScriptForge-sourceLabel")).to_have_text(
            f"{name} · {opened.removeprefix(f'sources:{name}')}"
        )
        # Typing changes nothing.
        page.keyboard.type("oops")
        expect(source.locator(".cm-content")).not_to_contain_text("oops")
        if minor == "3.13":
            screenshot(page, "language-definition.png")


def test_an_image_only_interpreter_completes_too(page: Page, lab: JupyterProcess, docker_client):
    pypy = interpreter_named(lab, "3.9", local=False)
    path = new_script(lab, "on_pypy", "import os\n", pypy)
    open_in_editor(page, path)
    expect(page.locator(INDICATOR)).to_have_text(f"{pypy} · ready", timeout=90_000)
    type_at_end(page, "\nos.pa")
    # A language server in a container, on a cold PyPy: its first answer may take a while.
    tab_until_offered(page, "pathsep", attempts=6)
    [server] = [
        s
        for s in api(lab, "GET", "language-servers")["language_servers"]
        if s["interpreter"] == pypy
    ]
    assert server["where"].startswith("container ")


def test_a_failed_language_server_says_why(page: Page, lab: JupyterProcess):
    path = new_script(lab, "vanished", "print(1)\n", "cpython-9.9")
    open_in_editor(page, path)
    indicator = page.locator(INDICATOR)
    expect(indicator).to_have_text("cpython-9.9 · failed", timeout=60_000)
    expect(indicator).to_have_attribute(
        "title",
        "The language server of cpython-9.9 failed: "
        "the interpreter 'cpython-9.9' is not available on this server. Click for details.",
    )
    use_theme(page, "JupyterLab Dark")
    screenshot(page, "language-failed-dark.png")
    use_theme(page, "JupyterLab Light")
