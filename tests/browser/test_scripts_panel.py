"""JupyterLab in Debian's Chromium: the Scripts panel as a user sees it."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.jupyter_process import JupyterProcess, running_jupyter
from tests.services import CHROMIUM_ARGS

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "images"


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterProcess]:
    with running_jupyter(
        tmp_path_factory.mktemp("lab"), extra_args=("--LabApp.expose_app_in_browser=True",)
    ) as server:
        yield server


@pytest.fixture
def page(chromium: str, lab: JupyterProcess) -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.goto(f"{lab.url}/lab?reset&token={lab.token}")
        page.wait_for_selector("#jp-main-dock-panel", timeout=60_000)
        yield page
        browser.close()


def open_scripts_from_the_sidebar(page: Page) -> None:
    page.locator('.jp-SideBar [data-id="jp-scriptforge-scripts"]').click()
    expect(page.locator("#jp-scriptforge-scripts")).to_be_visible()


def test_scripts_panel_shows_empty_catalog_and_server_health(page: Page, lab: JupyterProcess):
    open_scripts_from_the_sidebar(page)
    panel = page.locator("#jp-scriptforge-scripts")

    expect(panel.get_by_text("No scripts yet.")).to_be_visible()
    expect(panel.locator('[data-field="database"]')).to_have_text("sqlite")
    expect(panel.locator('[data-field="runners"]')).to_contain_text("local")
    expect(panel.locator('[data-field="interpreters"] li').first).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "scripts-panel.png"))


def test_command_palette_opens_the_scripts_panel(page: Page):
    expect(page.locator("#jp-scriptforge-scripts")).to_be_hidden()

    page.keyboard.press("Control+Shift+C")
    palette = page.locator(".lm-CommandPalette-input")
    palette.fill("Open Scripts Panel")
    page.locator(".lm-CommandPalette-item", has_text="Open Scripts Panel").first.click()

    expect(page.locator("#jp-scriptforge-scripts")).to_be_visible()


def test_scripts_panel_in_the_dark_theme(page: Page):
    page.evaluate(
        "window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Dark'})"
    )
    expect(page.locator("body")).to_have_attribute("data-jp-theme-light", "false")
    open_scripts_from_the_sidebar(page)

    health = page.locator(".jp-ScriptForge-health")
    expect(health).to_be_visible()
    # Text must stay readable: the panel takes its colours from the theme.
    color = health.evaluate("el => getComputedStyle(el).color")
    assert color != "rgb(0, 0, 0)"
    page.screenshot(path=str(SCREENSHOTS / "scripts-panel-dark.png"))
    page.evaluate(
        "window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Light'})"
    )
