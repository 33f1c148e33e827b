"""What the browser tests do again and again: call the API, use the palette, edit a file."""

import json
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page, expect

from tests.jupyter_process import JupyterProcess

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "images"


def api(lab: JupyterProcess, method: str, path: str, body: object = None) -> dict[str, Any]:
    return json.loads(lab.request(method, f"/scriptforge/api/{path}", body))  # type: ignore[no-any-return]


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name))


def run_from_palette(page: Page, label: str) -> None:
    page.keyboard.press("Control+Shift+C")
    page.locator(".lm-CommandPalette-input").fill(label)
    # Enter runs the active (first matching) item, as a keyboard user does; unlike a
    # click it cannot miss an item the palette re-renders when a command changes.
    active = page.locator(".lm-CommandPalette-item.lm-mod-active")
    expect(active).to_contain_text(label)
    page.locator(".lm-CommandPalette-input").press("Enter")


def open_in_editor(page: Page, path: str) -> Locator:
    """Open a file in JupyterLab's editor, as the Scripts panel or file browser does."""
    page.evaluate(
        "path => window.jupyterapp.commands.execute('docmanager:open', {path}).then(() => null)",
        path,
    )
    expect(page.locator(".lm-TabBar-tab.jp-mod-current", has_text=Path(path).name)).to_be_visible(
        timeout=20_000
    )
    editor = page.locator(".jp-FileEditor:visible .cm-content")
    expect(editor).to_be_visible()
    return editor


def type_and_save(page: Page, editor: Locator, text: str) -> None:
    """Add ``text`` at the end of the file and save it."""
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.insert_text(text)  # as pasted: no auto-indent on top of ours
    page.keyboard.press("Control+s")
    expect(page.locator(".lm-TabBar-tab.jp-mod-current.jp-mod-dirty")).to_have_count(0)


def use_theme(page: Page, theme: str) -> None:
    page.evaluate(
        "theme => window.jupyterapp.commands.execute('apputils:change-theme', {theme})", theme
    )
    expect(page.locator("body")).to_have_attribute(
        "data-jp-theme-light", "false" if "Dark" in theme else "true"
    )
    # JupyterLab shows its splash screen while the theme loads.
    expect(page.locator("#jupyterlab-splash")).to_have_count(0)
