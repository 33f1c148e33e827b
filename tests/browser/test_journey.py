"""The journey of a new user, start to end, in one browser session: write a script, keep
versions of it, compare and restore them, publish, run it live, group it with another and
run the group, cancel a long run — and see it all in the dark theme."""

from playwright.sync_api import Locator, Page, expect

from tests.browser.ui import api, run_from_palette, screenshot, type_and_save, use_theme
from tests.jupyter_process import JupyterProcess

SCRIPTS = "#jp-scriptforge-scripts"
VERSIONS = "#jp-scriptforge-versions"
RUNS = "#jp-scriptforge-runs"
STATUS_BAR_ITEM = ".jp-ScriptForge-versionStatusButton"

COUNTING = """import time

for step in range(3):
    print(f"\\033[32mstep {step}\\033[0m", flush=True)
    time.sleep(1)
"""


def create_script(page: Page, path: str) -> Locator:
    """Answer the "New Script" dialog and wait for the editor it opens."""
    dialog = page.locator(".jp-Dialog")
    dialog.locator("input").fill(path)
    dialog.get_by_role("button", name="Create").click()
    name = path.rsplit("/", 1)[-1]
    expect(page.locator(".lm-TabBar-tab.jp-mod-current", has_text=f"{name}.py")).to_be_visible(
        timeout=20_000
    )
    # The Runs panel shares the main area: find the editor by its tab.
    editor = page.get_by_role("tabpanel", name=f"{name}.py").locator(".cm-content")
    expect(editor).to_be_visible()
    return editor


def version(page: Page, seq: int) -> Locator:
    return page.locator(VERSIONS).locator(f'.jp-ScriptForge-versionRow[data-seq="{seq}"]')


def run_status(page: Page) -> Locator:
    return page.locator(RUNS).locator(".jp-ScriptForge-runSummary .jp-ScriptForge-status").first


def test_a_new_user_writes_versions_publishes_and_runs_scripts(page: Page, lab: JupyterProcess):
    # The empty catalog invites a first script; it opens in the editor.
    page.locator('.jp-SideBar [data-id="jp-scriptforge-scripts"]').click()
    page.locator(SCRIPTS).locator(".jp-ScriptForge-empty button", has_text="New Script").click()
    editor = create_script(page, "reports/daily_total")
    expect(page.locator(SCRIPTS).locator(".jp-ScriptForge-item")).to_have_text(["daily_totaldraft"])

    # Two saves, two versions after the first one.
    type_and_save(page, editor, COUNTING)
    type_and_save(page, editor, 'print("done")\n')
    status_item = page.locator(STATUS_BAR_ITEM)
    expect(status_item).to_have_text("v3 · draft", timeout=15_000)
    status_item.click()
    expect(version(page, 3)).to_contain_text("head")
    expect(version(page, 2)).to_contain_text("Saved in JupyterLab")

    # Compare the two saves side by side.
    version(page, 2).locator(".jp-ScriptForge-selectForCompare").click()
    version(page, 3).locator(".jp-ScriptForge-compareSelected").click()
    diff = page.locator(".jp-ScriptForge-diffPanel:visible")
    expect(diff.locator(".cm-merge-b .cm-changedLine")).to_contain_text('print("done")')

    # Restore the first save: a new version with its content, in the editor too.
    page.locator(".lm-TabBar-tab", has_text="daily_total.py").first.click()
    version(page, 2).locator(".jp-ScriptForge-restoreVersion").click()
    page.locator(".jp-Dialog").get_by_role("button", name="Restore").click()
    expect(version(page, 4)).to_contain_text("head")
    expect(editor).not_to_contain_text('print("done")', timeout=15_000)
    expect(editor).to_contain_text("for step in range(3):")

    # Publish from the editor's toolbar.
    page.locator(".jp-ScriptForge-editor-publish:visible").click()
    expect(status_item).to_have_text("v4 · published", timeout=15_000)

    # Run it from the editor: the output streams in while it runs, in colour.
    page.locator(".jp-ScriptForge-editor-run:visible").click()
    output = page.locator(RUNS).locator(".jp-ScriptForge-runDetail").get_by_label("Run output")
    expect(output).to_contain_text("step 0", timeout=20_000)
    expect(run_status(page)).to_have_text("running")
    expect(output.locator(".ansi-green-fg").first).to_be_visible()
    expect(run_status(page)).to_have_text("succeeded", timeout=30_000)
    expect(output).to_contain_text("step 2")

    # A second script, from the command palette, and a group of the two.
    run_from_palette(page, "New Script…")
    second = create_script(page, "reports/second")
    type_and_save(page, second, 'print("second says hi")\n')
    run_from_palette(page, "New Group…")
    dialog = page.locator(".jp-Dialog")
    dialog.locator("input").fill("morning")
    dialog.get_by_role("button", name="Create").click()
    group_editor = page.locator(".jp-ScriptForge-groupEditor:visible")
    picker = group_editor.get_by_label("Search scripts to add")
    for name in ("daily_total", "second"):
        picker.fill(name)
        page.locator(".jp-ScriptForge-pickerResult", has_text=name).first.click()
    expect(group_editor.locator(".jp-ScriptForge-groupItem")).to_have_count(2)
    group_editor.get_by_label("Mode").select_option("parallel")
    group_editor.get_by_role("button", name="Save", exact=True).click()
    group_editor.get_by_role("button", name="Run", exact=True).click()
    children = page.locator(RUNS).locator(".jp-ScriptForge-child")
    expect(children).to_have_count(2, timeout=20_000)
    for child in (children.nth(0), children.nth(1)):
        expect(child.locator(".jp-ScriptForge-status")).to_have_text("succeeded", timeout=30_000)
    children.filter(has_text="second").click()
    expect(page.locator(RUNS).locator(".jp-ScriptForge-childDetail")).to_contain_text(
        "second says hi"
    )
    expect(
        page.locator(SCRIPTS).locator(".jp-ScriptForge-group", has_text="morning")
    ).to_be_visible()

    # A long run is cancelled from the Runs panel.
    api(lab, "POST", "scripts", {"name": "long", "content": "import time\ntime.sleep(60)\n"})
    page.locator(SCRIPTS).locator(".jp-ScriptForge-toolbar").get_by_title("Refresh").click()
    long_row = page.locator(SCRIPTS).locator(".jp-ScriptForge-item", has_text="long")
    long_row.click(button="right")
    page.locator(".lm-Menu-item", has_text="Run").first.click()
    expect(run_status(page)).to_have_text("running", timeout=20_000)
    page.locator(RUNS).locator(".jp-ScriptForge-runDetail").get_by_role(
        "button", name="Cancel"
    ).click()
    expect(run_status(page)).to_have_text("cancelled", timeout=15_000)

    # Everything stays readable in the dark theme.
    page.locator(".lm-TabBar-tab", has_text="daily_total.py").first.click()
    use_theme(page, "JupyterLab Dark")
    screenshot(page, "journey-dark.png")
    use_theme(page, "JupyterLab Light")
