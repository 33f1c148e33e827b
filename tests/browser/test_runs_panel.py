"""JupyterLab in Debian's Chromium: runs with live output, the history, groups."""

from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, Route, expect

from tests.browser.ui import api, readable, run_from_palette, screenshot, use_theme
from tests.jupyter_process import JupyterProcess

pytestmark = pytest.mark.browser

SIDEBAR = "#jp-scriptforge-scripts"
RUNS = "#jp-scriptforge-runs"

# Coloured stdout, a line on stderr, and pauses long enough to watch it arrive.
CHATTY = """\
import sys, time
print("\\033[31mred alert\\033[0m then plain", flush=True)
time.sleep(0.3)
print("a warning on stderr", file=sys.stderr, flush=True)
for i in range(3):
    time.sleep(0.4)
    print(f"\\033[32mstep {i}\\033[0m done", flush=True)
time.sleep(4)
print("all done", flush=True)
"""


def run_from_the_sidebar(page: Page, name: str) -> None:
    page.locator('.jp-SideBar [data-id="jp-scriptforge-scripts"]').click()
    row = page.locator(SIDEBAR).locator(".jp-ScriptForge-item", has_text=name)
    row.click(button="right")
    page.locator(".lm-Menu-item", has_text="Run").first.click()


def select_filter(page: Page, label: str, value: str) -> None:
    page.locator(RUNS).get_by_label(label).select_option(value)
    expect(page.locator(RUNS).locator(".jp-ScriptForge-history")).to_have_attribute(
        "aria-busy", "false"
    )


def close_tab(page: Page, label: str) -> None:
    """Close a dirty tab from its close icon (a dot until hovered); a dialog asks first."""
    tab = page.locator(".lm-TabBar-tab", has_text=label)
    tab.hover()
    tab.locator(".lm-TabBar-tabCloseIcon").click()
    expect(page.locator(".jp-Dialog")).to_contain_text("not saved")


def detail(page: Page) -> Locator:
    return page.locator(RUNS).locator(".jp-ScriptForge-runDetail")


def test_a_run_streams_coloured_output_live_then_succeeds(page: Page, lab: JupyterProcess) -> None:
    api(lab, "POST", "scripts", {"name": "chatty", "content": CHATTY})

    run_from_the_sidebar(page, "chatty")

    expect(page.locator(RUNS)).to_be_visible()
    run = detail(page)
    output = run.get_by_label("Run output")
    expect(run.locator(".jp-ScriptForge-runSummary-name")).to_contain_text("chatty")
    expect(output).to_contain_text("step 1 done", timeout=20_000)
    # Seen while the script is still at work, not after the fact.
    expect(run.locator(".jp-ScriptForge-runSummary .jp-ScriptForge-status")).to_have_text("running")
    expect(output.locator(".ansi-red-fg")).to_have_text("red alert")
    red = output.locator(".ansi-red-fg").evaluate("el => getComputedStyle(el).color")
    plain = output.locator(".jp-ScriptForge-output-stdout").first.evaluate(
        "el => getComputedStyle(el).color"
    )
    assert red != plain
    expect(output.locator(".jp-ScriptForge-output-stderr")).to_have_text("a warning on stderr\n")
    expect(run.locator('[data-field="interpreter"]')).not_to_have_text("—")
    screenshot(page, "runs-panel.png")

    expect(run.locator(".jp-ScriptForge-runSummary .jp-ScriptForge-status")).to_have_text(
        "succeeded", timeout=30_000
    )
    expect(output).to_contain_text("all done")
    expect(run.locator('[data-field="exit-code"]')).to_have_text("0")
    expect(run.locator('[data-field="peak-memory"]')).not_to_have_text("—")
    row = page.locator(RUNS).locator(".jp-ScriptForge-runRow").first
    expect(row).to_have_attribute("data-status", "succeeded")
    expect(row).to_have_attribute("aria-selected", "true")
    expect(row).to_contain_text("chatty")
    expect(row).to_contain_text("v1")


def test_live_output_picks_up_again_after_the_connection_drops(
    page: Page, lab: JupyterProcess
) -> None:
    steady = (
        "import time\nfor i in range(4):\n    print(f'tick {i}', flush=True)\n    time.sleep(0.5)\n"
    )
    api(lab, "POST", "scripts", {"name": "steady", "content": steady})
    drops: list[str] = []

    def drop_twice(route: Route) -> None:
        if len(drops) < 2:
            drops.append(route.request.url)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/scriptforge/api/runs/*/events*", drop_twice)
    try:
        run_from_the_sidebar(page, "steady")

        run = detail(page)
        output = run.get_by_label("Run output")
        expect(run.locator(".jp-ScriptForge-output-reconnecting")).to_be_visible()
        expect(output).to_contain_text("tick 3", timeout=30_000)
        expect(run.locator(".jp-ScriptForge-runSummary .jp-ScriptForge-status")).to_have_text(
            "succeeded", timeout=30_000
        )
        expect(run.locator(".jp-ScriptForge-output-reconnecting")).to_have_count(0)
        expect(run.locator(".jp-ScriptForge-error")).to_have_count(0)
        # Picked up from the last offset: nothing twice.
        assert output.inner_text().count("tick 0") == 1
        assert len(drops) == 2
    finally:
        page.unroute("**/scriptforge/api/runs/*/events*", drop_twice)


def test_a_long_run_is_cancelled_from_the_panel(page: Page, lab: JupyterProcess) -> None:
    api(
        lab,
        "POST",
        "scripts",
        {
            "name": "sleepy",
            "content": "import time\nprint('sleeping', flush=True)\ntime.sleep(60)\n",
        },
    )

    run_from_the_sidebar(page, "sleepy")

    run = detail(page)
    status = run.locator(".jp-ScriptForge-runSummary .jp-ScriptForge-status")
    expect(run.get_by_label("Run output")).to_contain_text("sleeping", timeout=20_000)
    expect(status).to_have_text("running")
    run.get_by_role("button", name="Cancel").click()

    expect(status).to_have_text("cancelled", timeout=20_000)
    expect(page.locator(RUNS).locator(".jp-ScriptForge-runRow").first).to_have_attribute(
        "data-status", "cancelled"
    )
    expect(run.get_by_role("button", name="Re-run")).to_be_visible()


def test_history_filters_by_status_and_reruns(page: Page, lab: JupyterProcess) -> None:
    quick = api(lab, "POST", "scripts", {"name": "quick", "content": "print('quick one')\n"})
    api(lab, "POST", "runs", {"script_id": quick["id"], "source": "head"})
    long = api(lab, "POST", "scripts", {"name": "long", "content": "import time\ntime.sleep(60)\n"})
    started = api(lab, "POST", "runs", {"script_id": long["id"], "source": "head"})
    api(lab, "POST", f"runs/{started['id']}/cancel", {})

    run_from_palette(page, "Open Runs Panel")
    panel = page.locator(RUNS)
    rows = panel.locator(".jp-ScriptForge-runRow")
    expect(rows.first).to_be_visible()

    # The script filter searches the catalog on the server (not a list of the first few).
    panel.get_by_label("Filter by script").fill("lon")
    panel.locator(".jp-ScriptForge-pickerResult", has_text="long").click()
    expect(panel.locator(".jp-ScriptForge-filterChip")).to_have_text("long")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("long")
    panel.get_by_role("button", name="Clear the script filter").click()
    expect(panel.get_by_label("Filter by script")).to_have_value("")
    expect(rows.filter(has_text="quick")).not_to_have_count(0)

    select_filter(page, "Filter by status", "cancelled")
    # The unfiltered page stays on screen until the filtered one arrives.
    expect(rows.and_(page.locator(":not([data-status='cancelled'])"))).to_have_count(0)
    expect(rows.filter(has_text="long")).to_have_count(1)
    select_filter(page, "Filter by status", "succeeded")
    expect(rows.filter(has_text="long")).to_have_count(0)
    quick_row = rows.filter(has_text="quick").first
    expect(quick_row).to_have_attribute("data-status", "succeeded")
    count_before = len(api(lab, "GET", f"runs?script_id={quick['id']}")["runs"])

    quick_row.hover()
    quick_row.get_by_role("button", name="Re-run").click()

    # The new run comes first, selected, with the filters cleared.
    expect(panel.get_by_label("Filter by status")).to_have_value("")
    first = rows.first
    expect(first).to_contain_text("quick")
    expect(first).to_have_attribute("aria-selected", "true")
    expect(first).to_have_attribute("data-status", "succeeded", timeout=20_000)
    expect(detail(page).get_by_label("Run output")).to_contain_text("quick one")
    assert len(api(lab, "GET", f"runs?script_id={quick['id']}")["runs"]) == count_before + 1


def test_a_group_is_built_in_the_editor_and_runs_its_children(
    page: Page, lab: JupyterProcess
) -> None:
    for name in ("alpha", "beta"):
        api(lab, "POST", "scripts", {"name": name, "content": f"print('{name} says hi')\n"})

    run_from_palette(page, "New Group…")
    dialog = page.locator(".jp-Dialog")
    dialog.locator("input").fill("nightly")
    dialog.get_by_role("button", name="Create").click()

    editor = page.locator(".jp-ScriptForge-groupEditor")
    expect(editor).to_be_visible()
    expect(page.locator(".lm-TabBar-tab", has_text="nightly")).to_be_visible()
    search = editor.get_by_label("Search scripts to add")
    for name in ("alpha", "beta"):
        search.fill(name)
        editor.locator(".jp-ScriptForge-pickerResult", has_text=name).click()
    items = editor.locator(".jp-ScriptForge-groupItem")
    expect(items).to_have_count(2)
    editor.get_by_role("button", name="Move beta up").click()
    expect(items.first).to_contain_text("beta")
    editor.get_by_label("Mode").select_option("parallel")
    expect(editor.get_by_label("Max concurrency")).to_be_enabled()
    editor.get_by_label("Arguments of alpha").fill("--day 'last monday'")
    expect(page.locator(".lm-TabBar-tab.jp-mod-dirty", has_text="nightly")).to_be_visible()
    screenshot(page, "group-editor.png")

    # Closing with unsaved changes asks first; Cancel keeps the editor and its changes.
    close_tab(page, "nightly")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    expect(page.locator(".lm-TabBar-tab.jp-mod-dirty", has_text="nightly")).to_be_visible()
    expect(editor.get_by_label("Arguments of alpha")).to_have_value("--day 'last monday'")

    editor.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".lm-TabBar-tab.jp-mod-dirty", has_text="nightly")).to_have_count(0)
    group = next(g for g in api(lab, "GET", "groups")["groups"] if g["name"] == "nightly")
    assert group["mode"] == "parallel"
    scripts = {s["id"]: s["name"] for s in api(lab, "GET", "scripts")["items"]}
    assert [scripts[item["script_id"]] for item in group["items"]] == ["beta", "alpha"]
    assert group["items"][1]["args"] == ["--day", "last monday"]

    editor.get_by_role("button", name="Run", exact=True).click()

    run = detail(page)
    children = run.locator(".jp-ScriptForge-child")
    expect(run.locator(".jp-ScriptForge-runSummary-name").first).to_have_text("nightly")
    expect(children).to_have_count(2)
    for child in (children.nth(0), children.nth(1)):
        expect(child.locator(".jp-ScriptForge-status")).to_have_text("succeeded", timeout=30_000)
    expect(children.nth(0)).to_contain_text("beta")
    children.filter(has_text="alpha").click()
    expect(run.locator(".jp-ScriptForge-childDetail").get_by_label("Run output")).to_contain_text(
        "alpha says hi"
    )
    expect(run.locator(".jp-ScriptForge-runSummary .jp-ScriptForge-status").first).to_have_text(
        "succeeded"
    )
    screenshot(page, "group-run.png")

    # Discard closes the editor and leaves the saved group as it was.
    page.locator(".lm-TabBar-tab", has_text="nightly").click()
    editor.get_by_label("Group name").fill("nightly renamed")
    close_tab(page, "nightly renamed")
    dialog.get_by_role("button", name="Discard").click()
    expect(editor).to_have_count(0)
    assert any(g["name"] == "nightly" for g in api(lab, "GET", "groups")["groups"])


def test_shortcut_opens_the_runs_panel_readable_in_the_dark_theme(page: Page) -> None:
    page.locator("#jp-main-dock-panel").click()
    page.keyboard.press("Alt+Shift+R")
    expect(page.locator(RUNS)).to_be_visible()
    use_theme(page, "JupyterLab Dark")
    page.locator(RUNS).locator(".jp-ScriptForge-runRow", has_text="chatty").first.click()

    output = detail(page).get_by_label("Run output")
    red = output.locator(".ansi-red-fg")
    expect(red).to_have_text("red alert")
    # The light theme's dark red would be lost on a dark background: a light red is used.
    assert red.evaluate("el => getComputedStyle(el).color") == "rgb(255, 107, 107)"
    text = output.evaluate("el => getComputedStyle(el).color")
    assert text != "rgb(0, 0, 0)"
    screenshot(page, "runs-panel-dark.png")
    use_theme(page, "JupyterLab Light")


KEEPS = """import os, pathlib
out = pathlib.Path(os.environ["SCRIPTFORGE_OUTPUT"])
(out / "charts").mkdir()
(out / "charts" / "sales-by-day.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
(out / "report.csv").write_text("day,total\\n1,42\\n2,57\\n")
print("wrote the report")
"""


def test_files_a_run_kept_are_listed_and_downloaded(page: Page, lab: JupyterProcess) -> None:
    api(lab, "POST", "scripts", {"name": "keeps_files", "content": KEEPS})

    run_from_the_sidebar(page, "keeps_files")

    run = detail(page)
    expect(run.locator(".jp-ScriptForge-runSummary .jp-ScriptForge-status")).to_have_text(
        "succeeded", timeout=30_000
    )
    files = run.get_by_role("region", name="Files kept by run")
    expect(files.locator(".jp-ScriptForge-artifacts-title")).to_have_text("2 files kept, 61 B")
    expect(files.locator(".jp-ScriptForge-artifact-path")).to_have_text(
        ["charts/sales-by-day.svg", "report.csv"]
    )
    row = page.locator(RUNS).locator(".jp-ScriptForge-runRow").first
    expect(row.locator('[data-field="files"]')).to_have_text("2 files")
    screenshot(page, "run-files.png")

    with page.expect_download() as download:
        files.locator('[data-path="report.csv"]').get_by_title("Download report.csv").click()
    assert download.value.suggested_filename == "report.csv"
    assert Path(download.value.path()).read_text() == "day,total\n1,42\n2,57\n"

    use_theme(page, "JupyterLab Dark")
    path = files.locator(".jp-ScriptForge-artifact-path").first
    expect(path).to_have_text("charts/sales-by-day.svg")
    assert readable(path)
    assert readable(files.locator(".jp-ScriptForge-artifacts-title"))
    screenshot(page, "run-files-dark.png")
    use_theme(page, "JupyterLab Light")
