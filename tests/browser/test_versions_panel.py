"""JupyterLab in Debian's Chromium: versions of a script, as a user works with them.

The Version panel follows the editor; diffs open side by side; restore, labels and
publishing work from the panel and the editor toolbar; a publish that someone else
overtook (through the REST API, behind the UI's back) ends in the conflict dialog.
"""

import re
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from playwright.sync_api import Locator, Page, Route, expect

from tests.browser.ui import api, open_in_editor, screenshot, type_and_save, use_theme
from tests.jupyter_process import JupyterProcess, running_jupyter

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterProcess]:
    # As conftest's, but the scripts folder is scanned only at start-up: a file written
    # there stays unknown to the catalog until JupyterLab saves it.
    with running_jupyter(
        tmp_path_factory.mktemp("lab"),
        extra_args=("--LabApp.expose_app_in_browser=True", "--ScriptForgeApp.scan_interval=0"),
    ) as server:
        yield server


PANEL = "#jp-scriptforge-versions"
ROW = ".jp-ScriptForge-versionRow"
STATUS = ".jp-ScriptForge-versionStatusButton"


def show_versions(page: Page) -> Locator:
    tab = page.locator('.jp-SideBar [data-id="jp-scriptforge-versions"]')
    panel = page.locator(PANEL)
    if not panel.is_visible():
        tab.click()
    expect(panel).to_be_visible()
    return panel


def row(panel: Locator, seq: int) -> Locator:
    return panel.locator(f'{ROW}[data-seq="{seq}"]')


def test_the_panel_shows_history_diffs_labels_restore_and_publish(page: Page, lab: JupyterProcess):
    script = api(
        lab,
        "POST",
        "scripts",
        {"name": "monthly_sales", "folder": "reports", "content": "total = 0\n"},
    )
    panel = show_versions(page)
    expect(panel.get_by_text("Open a script in the editor to see its versions.")).to_be_visible()

    # A file that is no script gets no history and no ScriptForge toolbar.
    (lab.root / "notes.py").write_text("x = 1\n")
    open_in_editor(page, "notes.py")
    expect(panel.get_by_text("is not a ScriptForge script")).to_be_visible()
    expect(page.locator(".jp-ScriptForge-editor-run:visible")).to_have_count(0)

    editor = open_in_editor(page, script["path"])
    expect(row(panel, 1)).to_be_visible()
    type_and_save(page, editor, "for month in range(12):\n    total += month\n")
    expect(row(panel, 2)).to_be_visible(timeout=15_000)
    type_and_save(page, editor, "\nprint(total)\n")
    expect(row(panel, 3)).to_be_visible(timeout=15_000)
    rows = panel.locator(ROW)
    expect(rows).to_have_count(3)
    expect(row(panel, 3)).to_contain_text("head")
    expect(row(panel, 3)).to_contain_text("Saved in JupyterLab")
    assert row(panel, 1).locator("time").get_attribute("title")  # the full time on hover
    expect(page.locator(STATUS)).to_have_text("v3 · draft")

    # Label v2, see the chip, take it off again.
    row(panel, 2).locator(".jp-ScriptForge-labelVersion").click()
    page.locator(".jp-Dialog input").fill("reviewed")
    page.locator(".jp-Dialog").get_by_role("button", name="Add Label").click()
    chip = row(panel, 2).locator(".jp-ScriptForge-chip", has_text="reviewed")
    expect(chip).to_be_visible()
    assert api(lab, "GET", f"scripts/{script['id']}/versions")["items"][1]["labels"] == ["reviewed"]
    row(panel, 1).locator(".jp-ScriptForge-labelVersion").click()
    page.locator(".jp-Dialog input").fill("first draft")
    page.locator(".jp-Dialog").get_by_role("button", name="Add Label").click()
    expect(row(panel, 1).locator(".jp-ScriptForge-chip")).to_have_text("first draft")
    row(panel, 3).hover()
    screenshot(page, "versions-panel.png")
    chip.get_by_role("button", name="Remove label reviewed").click()
    expect(chip).to_have_count(0)

    # Compare v1 with v3: select one, then "compare with selected" on the other.
    row(panel, 1).locator(".jp-ScriptForge-selectForCompare").click()
    expect(panel.locator(".jp-ScriptForge-compareBar")).to_contain_text("v1 selected")
    row(panel, 3).locator(".jp-ScriptForge-compareSelected").click()
    diff = page.locator(".jp-ScriptForge-diffPanel:visible")
    expect(page.locator(".lm-TabBar-tab", has_text="monthly_sales.py: v1 ↔ v3")).to_be_visible()
    expect(diff.locator(".jp-ScriptForge-diffSide-left")).to_contain_text("v1")
    expect(diff.locator(".jp-ScriptForge-diffSide-right")).to_contain_text("v3")
    changed = diff.locator(".cm-merge-b .cm-changedLine")
    expect(changed.first).to_be_visible()
    expect(diff.locator(".cm-merge-b")).to_contain_text("total += month")
    expect(diff.locator(".cm-merge-b")).to_contain_text("print(total)")
    assert "total += month" not in diff.locator(".cm-merge-a").inner_text()
    # Python highlighting: keywords get their own colour.
    expect(diff.locator(".cm-merge-b .cm-content span", has_text="for").first).to_be_visible()
    screenshot(page, "version-diff.png")
    page.locator(".lm-TabBar-tab.jp-mod-current .lm-TabBar-tabCloseIcon").click()

    # Compare the head with unsaved text in the editor.
    page.locator(".lm-TabBar-tab", has_text="monthly_sales.py").first.click()
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("print('unsaved')")
    row(panel, 3).locator(".jp-ScriptForge-compareWorkingCopy").click()
    expect(
        page.locator(".lm-TabBar-tab", has_text="monthly_sales.py: v3 ↔ working copy")
    ).to_be_visible()
    diff = page.locator(".jp-ScriptForge-diffPanel:visible")
    expect(diff.locator(".cm-merge-b .cm-changedLine")).to_contain_text("print('unsaved')")
    expect(diff.locator(".jp-ScriptForge-diffSide-right")).to_contain_text("unsaved edits")
    page.locator(".lm-TabBar-tab.jp-mod-current .lm-TabBar-tabCloseIcon").click()
    page.locator(".lm-TabBar-tab", has_text="monthly_sales.py").first.click()
    # Back to the saved text (as the user would undo), so no new version is made.
    head = api(lab, "GET", f"scripts/{script['id']}/versions")["items"][0]
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(api(lab, "GET", f"versions/{head['id']}")["content"])
    page.keyboard.press("Control+s")
    expect(page.locator(".lm-TabBar-tab.jp-mod-current.jp-mod-dirty")).to_have_count(0)

    # Restore v1: a new head v4 with v1's content, and the editor shows it.
    row(panel, 1).locator(".jp-ScriptForge-restoreVersion").click()
    page.locator(".jp-Dialog").get_by_role("button", name="Restore").click()
    expect(row(panel, 4)).to_contain_text("head", timeout=15_000)
    expect(editor).to_have_text("total = 0", timeout=15_000)
    expect(page.locator(".lm-TabBar-tab.jp-mod-current.jp-mod-dirty")).to_have_count(0)
    assert (lab.root / script["path"]).read_text() == "total = 0\n"

    # Publish from the editor toolbar: the status bar and the panel say so.
    toolbar = page.locator(".jp-FileEditor:visible").locator("..").locator(".jp-Toolbar")
    expect(toolbar.get_by_label("Interpreter")).to_be_visible()
    toolbar.locator(".jp-ScriptForge-editor-publish").click()
    expect(page.locator(STATUS)).to_have_text("v4 · published", timeout=15_000)
    expect(row(panel, 4)).to_contain_text("published")
    assert (
        api(lab, "GET", f"scripts/{script['id']}")["published_version_id"]
        == (api(lab, "GET", f"scripts/{script['id']}/versions")["items"][0]["id"])
    )
    page.wait_for_timeout(1000)  # let the toasts finish sliding in
    screenshot(page, "editor-toolbar.png")

    # The status bar item opens the panel.
    page.locator('.jp-SideBar [data-id="jp-scriptforge-versions"]').click()
    expect(panel).to_be_hidden()
    page.locator(STATUS).click()
    expect(panel).to_be_visible()


def test_interpreter_picker_sets_the_scripts_interpreter(page: Page, lab: JupyterProcess):
    script = api(lab, "POST", "scripts", {"name": "pick_me", "content": "pass\n"})
    interpreters = api(lab, "GET", "interpreters")["interpreters"]
    assert interpreters, "the server found no interpreter"
    open_in_editor(page, script["path"])
    picker = page.locator(".jp-FileEditor:visible").locator("..").get_by_label("Interpreter")
    expect(picker).to_have_value("")

    picker.select_option(interpreters[0]["name"])

    page.wait_for_function(
        """async ([url, token, id, name]) => {
            const r = await fetch(`${url}/scriptforge/api/scripts/${id}`,
                                  {headers: {Authorization: `token ${token}`}});
            return (await r.json()).interpreter === name;
        }""",
        arg=[lab.url, lab.token, script["id"], interpreters[0]["name"]],
        timeout=15_000,
    )
    picker.select_option("")
    page.wait_for_function(
        """async ([url, token, id]) => {
            const r = await fetch(`${url}/scriptforge/api/scripts/${id}`,
                                  {headers: {Authorization: `token ${token}`}});
            return (await r.json()).interpreter === null;
        }""",
        arg=[lab.url, lab.token, script["id"]],
        timeout=15_000,
    )


def test_snapshot_records_a_message_and_says_when_nothing_changed(page: Page, lab: JupyterProcess):
    script = api(lab, "POST", "scripts", {"name": "snap", "content": "a = 1\n"})
    editor = open_in_editor(page, script["path"])
    panel = show_versions(page)
    expect(row(panel, 1)).to_be_visible()
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("b = 2\n")

    page.locator(".jp-FileEditor:visible").locator("..").locator(
        ".jp-ScriptForge-editor-snapshot"
    ).click()
    page.locator(".jp-Dialog input").fill("Add b")
    page.locator(".jp-Dialog").get_by_role("button", name="Snapshot").click()

    expect(row(panel, 2)).to_contain_text("Add b", timeout=15_000)
    # The working copy follows the snapshot, so the editor is clean again.
    expect(page.locator(".lm-TabBar-tab.jp-mod-current.jp-mod-dirty")).to_have_count(
        0, timeout=15_000
    )
    editor.click()
    page.keyboard.press("Control+Alt+s")
    page.locator(".jp-Dialog input").fill("again")
    page.locator(".jp-Dialog").get_by_role("button", name="Snapshot").click()
    expect(page.get_by_text("Nothing changed since v2")).to_be_visible()
    expect(panel.locator(ROW)).to_have_count(2)


def test_a_publish_overtaken_behind_the_uis_back_offers_override_and_merge(
    page: Page, lab: JupyterProcess
):
    script = api(lab, "POST", "scripts", {"name": "forecast", "content": "rate = 1.0\n"})
    sid = script["id"]
    editor = open_in_editor(page, script["path"])
    panel = show_versions(page)
    type_and_save(page, editor, "growth = rate * 2\n")
    expect(row(panel, 2)).to_be_visible(timeout=15_000)
    row(panel, 1).locator(".jp-ScriptForge-publishVersion").click()
    expect(row(panel, 1)).to_contain_text("published")
    expect(page.locator(STATUS)).to_have_text("v2 · published v1")
    first = api(lab, "GET", f"scripts/{sid}")["published_version_id"]

    # Someone else saves and publishes v3 while the panel still shows v1 and v2.
    theirs = api(
        lab,
        "POST",
        f"scripts/{sid}/versions",
        {"content": "rate = 1.5  # theirs\n", "message": "Raise the rate"},
    )
    api(
        lab,
        "POST",
        f"scripts/{sid}/publish",
        {"version_id": theirs["id"], "base_version_id": first},
    )
    expect(panel.locator(ROW)).to_have_count(2)

    # Round 1: publish v2 from the panel → conflict → publish mine anyway.
    row(panel, 2).locator(".jp-ScriptForge-publishVersion").click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_contain_text("Someone else published v3")
    expect(dialog.locator(".jp-ScriptForge-diffSide-left")).to_contain_text("v3")
    expect(dialog.locator(".jp-ScriptForge-diffSide-right")).to_contain_text("Yours: v2")
    expect(dialog.locator(".cm-merge-a")).to_contain_text("rate = 1.5  # theirs")
    expect(dialog.locator(".cm-merge-b")).to_contain_text("growth = rate * 2")
    screenshot(page, "publish-conflict.png")
    dialog.get_by_role("button", name="Publish Mine Anyway").click()

    expect(row(panel, 2)).to_contain_text("published", timeout=15_000)
    expect(page.locator(STATUS)).to_have_text("v3 · published v2")
    assert (
        api(lab, "GET", f"scripts/{sid}")["published_version_id"]
        == api(lab, "GET", f"scripts/{sid}/versions")["items"][1]["id"]
    )
    # The refresh also brought the clean editor up to the new head (their save).
    expect(editor).to_contain_text("# theirs", timeout=15_000)

    # Round 2: they publish v3 again; I edit and publish from the editor → merge.
    api(
        lab,
        "POST",
        f"scripts/{sid}/publish",
        {
            "version_id": theirs["id"],
            "base_version_id": api(lab, "GET", f"scripts/{sid}")["published_version_id"],
        },
    )
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("months = 12\n")
    page.locator(".jp-FileEditor:visible").locator("..").locator(
        ".jp-ScriptForge-editor-publish"
    ).click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_contain_text("Someone else published v3")
    dialog.get_by_role("button", name="Merge…").click()
    expect(dialog).to_contain_text("Merge v3 and v4")
    mine = dialog.locator(".cm-merge-b .cm-content")
    expect(mine).to_contain_text("months = 12")
    mine.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("# merged by hand\n")
    dialog.get_by_role("button", name="Save and Publish").click()

    expect(row(panel, 5)).to_contain_text("Merge of v3 and v4", timeout=15_000)
    expect(row(panel, 5)).to_contain_text("published")
    expect(page.locator(STATUS)).to_have_text("v5 · published")
    published = api(lab, "GET", f"scripts/{sid}")["published_version_id"]
    content = api(lab, "GET", f"versions/{published}")["content"]
    assert "months = 12" in content
    assert "# merged by hand" in content
    expect(editor).to_contain_text("# merged by hand", timeout=15_000)


def test_panel_and_diff_stay_readable_in_the_dark_theme(page: Page, lab: JupyterProcess):
    script = api(lab, "POST", "scripts", {"name": "night", "content": "x = 1\n"})
    use_theme(page, "JupyterLab Dark")
    editor = open_in_editor(page, script["path"])
    panel = show_versions(page)
    type_and_save(page, editor, "y = 2\n")
    expect(row(panel, 2)).to_be_visible(timeout=15_000)

    row(panel, 1).locator(".jp-ScriptForge-compareWorkingCopy").click()
    diff = page.locator(".jp-ScriptForge-diffPanel:visible")
    expect(diff.locator(".cm-merge-b .cm-changedLine")).to_contain_text("y = 2")
    # Text takes the theme's light-on-dark colours, not a fixed black.
    for element in (row(panel, 2), diff.locator(".cm-merge-b .cm-content")):
        assert element.evaluate("el => getComputedStyle(el).color") != "rgb(0, 0, 0)"
    background = diff.locator(".cm-editor.cm-merge-b").evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )
    assert background != "rgb(255, 255, 255)"
    screenshot(page, "version-diff-dark.png")
    use_theme(page, "JupyterLab Light")


def editor_toolbar(page: Page) -> Locator:
    return page.locator(".jp-FileEditor:visible").locator("..").locator(".jp-Toolbar")


def test_a_file_the_server_adopts_later_gets_the_toolbar(page: Page, lab: JupyterProcess):
    (lab.root / "scripts").mkdir(exist_ok=True)
    (lab.root / "scripts" / "adopt_me.py").write_text("a = 1\n")
    panel = show_versions(page)
    editor = open_in_editor(page, "scripts/adopt_me.py")
    expect(panel.get_by_text("is not a ScriptForge script")).to_be_visible()
    toolbar = editor_toolbar(page)
    expect(toolbar.locator(".jp-ScriptForge-editor-run")).to_have_count(0)

    # Saved in JupyterLab, the new file in the scripts folder becomes a script.
    type_and_save(page, editor, "b = 2\n")
    page.wait_for_function(
        """async ([url, token, path]) => {
            const r = await fetch(`${url}/scriptforge/api/scripts?path=${path}`,
                                  {headers: {Authorization: `token ${token}`}});
            return (await r.json()).items.length === 1;
        }""",
        arg=[lab.url, lab.token, quote("scripts/adopt_me.py", safe="")],
        timeout=15_000,
    )
    # The tracker looks again a moment after the save; the Refresh button makes sure.
    panel.get_by_title("Refresh").click()
    expect(row(panel, 1)).to_be_visible(timeout=15_000)
    run = toolbar.locator(".jp-ScriptForge-editor-run")
    expect(run).to_be_visible()
    expect(run.locator("button")).to_be_enabled()
    expect(toolbar.locator(".jp-ScriptForge-editor-publish")).to_be_visible()
    expect(toolbar.get_by_label("Interpreter")).to_be_visible()
    expect(page.locator(STATUS)).to_have_text("v1 · draft")

    # The buttons act on this editor: a snapshot of unsaved text makes v2.
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.insert_text("c = 3\n")
    toolbar.locator(".jp-ScriptForge-editor-snapshot").click()
    page.locator(".jp-Dialog input").fill("Add c")
    page.locator(".jp-Dialog").get_by_role("button", name="Snapshot").click()
    expect(row(panel, 2)).to_contain_text("Add c", timeout=15_000)


def test_the_status_bar_does_not_keep_the_last_scripts_state(page: Page, lab: JupyterProcess):
    first = api(lab, "POST", "scripts", {"name": "status_a", "content": "a = 1\n"})
    second = api(lab, "POST", "scripts", {"name": "status_b", "content": "b = 1\n"})
    api(
        lab,
        "POST",
        f"scripts/{first['id']}/publish",
        {"version_id": first["head_version_id"], "base_version_id": None},
    )
    open_in_editor(page, first["path"])
    status = page.locator(STATUS)
    expect(status).to_have_text("v1 · published")

    # The second script's versions cannot be fetched: no claim rather than the first's.
    def fail(route: Route) -> None:
        route.fulfill(status=500, content_type="application/json", body='{"message": "down"}')

    versions_of_second = re.compile(rf"/scriptforge/api/scripts/{second['id']}/versions")
    page.route(versions_of_second, fail)
    open_in_editor(page, second["path"])
    expect(status).to_have_attribute("data-state", "unknown")
    expect(status).to_have_text("Versions…")

    page.unroute(versions_of_second)
    page.locator(".lm-TabBar-tab", has_text="status_a.py").click()
    expect(status).to_have_text("v1 · published")
    page.locator(".lm-TabBar-tab", has_text="status_b.py").click()
    expect(status).to_have_text("v1 · draft")
