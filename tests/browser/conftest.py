"""A real ``jupyter lab`` per test module, and a fresh Chromium page on it per test.

Every test under tests/browser carries the ``browser`` marker, put there by the hook below
(a new module cannot forget it): ``-m "not browser"`` leaves them all out.
"""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, sync_playwright

from tests.jupyter_process import JupyterProcess, running_jupyter
from tests.services import CHROMIUM_ARGS

VIEWPORT = {"width": 1400, "height": 860}


def pytest_itemcollected(item: pytest.Item) -> None:
    # Called through the item's own hook proxy: only for items collected under this folder.
    item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterProcess]:
    # The app on `window.jupyterapp`, for the few steps a test takes through a command.
    with running_jupyter(
        tmp_path_factory.mktemp("lab"), extra_args=("--LabApp.expose_app_in_browser=True",)
    ) as server:
        yield server


@pytest.fixture
def page(chromium: str, lab: JupyterProcess) -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport=VIEWPORT).new_page()
        # ?reset: a workspace of an earlier test must not reopen its tabs.
        page.goto(f"{lab.url}/lab?reset&token={lab.token}")
        page.wait_for_selector("#jp-main-dock-panel", timeout=60_000)
        # The shell shows before every plugin has run: a command clicked in the palette
        # then can be re-rendered away under load. Begin once the layout is restored.
        page.wait_for_function("() => window.jupyterapp !== undefined", timeout=60_000)
        page.evaluate("() => window.jupyterapp.restored.then(() => null)")
        yield page
        browser.close()
