"""What the browser tests do again and again: call the API, use the palette, edit a file."""

import contextlib
import json
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page, expect

from tests.jupyter_process import JupyterProcess

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "images"
# The script editor's language-server indicator ("<interpreter> · ready").
INDICATOR = ".jp-MainAreaWidget:visible .jp-ScriptForge-languageStatusButton"


def api(lab: JupyterProcess, method: str, path: str, body: object = None) -> dict[str, Any]:
    return json.loads(lab.request(method, f"/scriptforge/api/{path}", body))  # type: ignore[no-any-return]


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name))


def run_from_palette(page: Page, label: str) -> None:
    palette = page.locator(".lm-CommandPalette-input")
    # The palette closes when it loses focus: opened just as another widget takes the
    # focus, it is gone at once (once in a full run of the browser tests). Open it again.
    for _ in range(3):
        page.keyboard.press("Control+Shift+C")
        with contextlib.suppress(AssertionError):
            expect(palette).to_be_visible(timeout=5_000)
            break
    palette.fill(label)
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


# The element's text colour against the first background behind it, as WCAG measures it.
_CONTRAST = """el => {
    // "rgb(r, g, b)" or "rgba(…, a)"; a color-mix() computes to "color(srgb r g b / a)", 0..1.
    const rgb = text => {
        const [r, g, b, a] = text.match(/[\\d.]+/g).map(Number);
        const scale = text.startsWith("color(") ? 255 : 1;
        return [r * scale, g * scale, b * scale, a];
    };
    const luminance = ([r, g, b]) => {
        const linear = c => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    };
    let behind = el;
    while (behind && (rgb(getComputedStyle(behind).backgroundColor)[3] ?? 1) === 0) {
        behind = behind.parentElement;
    }
    const back = behind ? rgb(getComputedStyle(behind).backgroundColor) : [255, 255, 255];
    const [light, dark] = [luminance(rgb(getComputedStyle(el).color)), luminance(back)]
        .sort((a, b) => b - a);
    return (light + 0.05) / (dark + 0.05);
}"""


def readable(element: Locator) -> bool:
    """Whether the element's text stands out from what is behind it (WCAG AA: 4.5:1)."""
    return float(element.evaluate(_CONTRAST)) >= 4.5


def type_at_end(page: Page, text: str) -> None:
    page.locator(".jp-FileEditor:visible .cm-content").click()
    page.keyboard.press("Control+End")
    page.keyboard.type(text)


def offered(page: Page, name: str):
    """The completer's item for ``name``."""
    return page.locator(f'.jp-Completer-item[data-value="{name}"]:visible')


def tab_until_offered(page: Page, name: str, attempts: int = 3) -> None:
    """Tab until the completer offers ``name``. A server's first completion takes seconds
    (jedi loads the module; PyPy's JIT is cold): the completer may give up on it, and
    Tab again, as a user would press it, gets the answer."""
    for _ in range(attempts - 1):
        page.keyboard.press("Tab")
        try:
            expect(offered(page, name)).to_be_visible(timeout=8_000)
            return
        except AssertionError:
            page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    expect(offered(page, name)).to_be_visible(timeout=8_000)
