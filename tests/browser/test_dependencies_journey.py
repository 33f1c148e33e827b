"""A script that declares what it needs, in JupyterLab: the editor shows its dependencies
resolve, it runs with values from its form, and again from the history with the same ones."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_runs_panel import RUNS, detail
from tests.browser.ui import api, open_in_editor, screenshot, type_and_save
from tests.environments.index import serving
from tests.jupyter_process import JupyterProcess, running_jupyter

FORM = ".jp-Dialog.jp-ScriptForge-RunFormDialog"
STATUS = ".jp-MainAreaWidget:visible .jp-ScriptForge-dependencyStatus"

REPORT = """import argparse

import sfdemo

parser = argparse.ArgumentParser()
parser.add_argument("--times", type=int, default=1, help="How many lines")
for _ in range(parser.parse_args().times):
    print("sfdemo", sfdemo.VERSION)
"""
DECLARATION = '\n# /// script\n# dependencies = ["sfdemo"]\n# ///\n'


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterProcess]:
    """JupyterLab whose scripts' packages come from a loopback index, with a cold cache."""
    with serving(tmp_path_factory.mktemp("index")) as index:
        index.add("sfhelper", "1.0")
        index.add("sfdemo", "1.0", "sfhelper<2")
        work = tmp_path_factory.mktemp("lab")
        with running_jupyter(
            work,
            extra_args=(
                "--LabApp.expose_app_in_browser=True",
                f"--ScriptForgeApp.package_index_url={index.url}",
            ),
            env={"UV_CACHE_DIR": str(work / "uv-cache")},
        ) as server:
            yield server


def test_declared_packages_resolve_in_the_editor_and_runs_use_them(
    page: Page, lab: JupyterProcess
) -> None:
    script = api(lab, "POST", "scripts", {"name": "report", "content": REPORT})
    editor = open_in_editor(page, "scripts/report.py")
    expect(page.locator(STATUS)).to_have_count(0)  # nothing declared yet
    errors = page.locator(".jp-FileEditor:visible .cm-lintRange-error")
    expect(errors).to_have_count(1, timeout=30_000)  # this interpreter has no sfdemo

    type_and_save(page, editor, DECLARATION)

    status = page.locator(STATUS)
    expect(status).to_contain_text("1 package")
    expect(status).to_have_class(
        "jp-ScriptForge-dependencyStatus jp-mod-ready", timeout=60_000
    )  # resolving, installing, then ready
    expect(status).to_have_attribute("title", "sfdemo==1.0\nsfhelper==1.0")
    # The language server reads the packages now: `import sfdemo` is no error any more.
    expect(errors).to_have_count(0)
    screenshot(page, "dependencies-ready.png")

    page.locator(".jp-MainAreaWidget:visible").get_by_role("button", name="Run").first.click()
    form = page.locator(FORM)
    expect(form).to_be_visible()
    form.locator("#root_times").fill("2")
    form.locator(".jp-Dialog-button.jp-mod-accept").click()

    rows = page.locator(RUNS).locator(".jp-ScriptForge-runRow")
    expect(rows.first).to_have_attribute("data-status", "succeeded", timeout=30_000)
    output = detail(page).get_by_label("Run output")
    expect(output).to_contain_text("sfdemo 1.0\nsfdemo 1.0")
    # The environment was ready before the run: nothing was installed for it.
    expect(output).not_to_contain_text("preparing environment")

    rows.first.hover()
    rows.first.get_by_role("button", name="Re-run").click()
    expect(rows).to_have_count(2)
    expect(rows.first).to_have_attribute("data-status", "succeeded", timeout=30_000)
    expect(detail(page).get_by_label("Run output")).to_contain_text("sfdemo 1.0\nsfdemo 1.0")
    runs = api(lab, "GET", f"runs?script_id={script['id']}")["runs"]
    assert [run["parameters"] for run in runs] == [{"times": 2}, {"times": 2}]
