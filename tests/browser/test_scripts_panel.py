"""JupyterLab in Debian's Chromium: the Scripts panel as a user sees it."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.ui import api, run_from_palette, screenshot, use_theme
from tests.jupyter_process import JupyterProcess

pytestmark = pytest.mark.browser

PANEL = "#jp-scriptforge-scripts"


def open_scripts_from_the_sidebar(page: Page) -> None:
    page.locator('.jp-SideBar [data-id="jp-scriptforge-scripts"]').click()
    expect(page.locator(PANEL)).to_be_visible()


def test_an_empty_catalog_invites_a_first_script_and_shows_server_health(page: Page):
    open_scripts_from_the_sidebar(page)
    panel = page.locator(PANEL)

    expect(panel.get_by_text("No scripts yet.")).to_be_visible()
    expect(panel.locator(".jp-ScriptForge-empty button", has_text="New Script")).to_be_visible()
    panel.get_by_text("Server", exact=True).click()
    expect(panel.locator('[data-field="database"]')).to_have_text("sqlite")
    expect(panel.locator('[data-field="runners"]')).to_contain_text("local")
    expect(panel.locator('[data-field="interpreters"] li').first).to_be_visible()
    screenshot(page, "scripts-panel-empty.png")


def test_command_palette_and_shortcut_open_the_scripts_panel(page: Page):
    expect(page.locator(PANEL)).to_be_hidden()

    run_from_palette(page, "Open Scripts Panel")

    expect(page.locator(PANEL)).to_be_visible()
    page.locator('.jp-SideBar [data-id="filebrowser"]').click()
    expect(page.locator(PANEL)).to_be_hidden()
    page.locator("#jp-main-dock-panel").click()
    page.keyboard.press("Control+Shift+Y")
    expect(page.locator(PANEL)).to_be_visible()


def test_new_script_opens_in_the_editor_and_each_save_is_a_version(page: Page, lab: JupyterProcess):
    open_scripts_from_the_sidebar(page)
    run_from_palette(page, "New Script…")
    dialog = page.locator(".jp-Dialog")
    dialog.locator("input").fill("reports/monthly_sales")
    dialog.get_by_role("button", name="Create").click()

    editor_tab = page.locator(".lm-TabBar-tab", has_text="monthly_sales.py")
    expect(editor_tab).to_be_visible(timeout=20_000)
    expect(
        page.locator(PANEL).locator(".jp-ScriptForge-item", has_text="monthly_sales")
    ).to_be_visible()
    editor = page.locator(".jp-FileEditor .cm-content")
    editor.click()
    page.keyboard.type("print('total')\n")
    page.keyboard.press("Control+s")

    script = api(lab, "GET", "scripts?q=monthly_sales")["items"][0]
    assert script["folder"] == "reports"
    expect(page.locator(".lm-TabBar-tab.jp-mod-dirty", has_text="monthly_sales.py")).to_have_count(
        0
    )
    page.wait_for_function(
        """async ([url, token, id]) => {
            const r = await fetch(`${url}/scriptforge/api/scripts/${id}/versions`,
                                  {headers: {Authorization: `token ${token}`}});
            return (await r.json()).items.length === 2;
        }""",
        arg=[lab.url, lab.token, script["id"]],
        timeout=20_000,
    )
    history = api(lab, "GET", f"scripts/{script['id']}/versions")["items"]
    assert history[0]["message"] == "Saved in JupyterLab"
    assert api(lab, "GET", f"versions/{history[0]['id']}")["content"] == "print('total')\n"


def test_search_narrows_the_catalog_and_a_click_opens_the_script(page: Page, lab: JupyterProcess):
    for script in (
        {"name": "load_orders", "folder": "etl", "tags": ["nightly"], "content": "import csv\n"},
        {
            "name": "revenue",
            "folder": "finance",
            "visibility": "team",
            "description": "Quarterly revenue",
            "content": "import pandas\n",
        },
    ):
        api(lab, "POST", "scripts", script)
    open_scripts_from_the_sidebar(page)
    panel = page.locator(PANEL)
    items = panel.locator(".jp-ScriptForge-item")
    expect(items).to_have_count(3)
    screenshot(page, "scripts-panel.png")

    panel.get_by_label("Search scripts").fill("pandas")

    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("revenue")
    panel.get_by_label("Search scripts").fill("nothing like this")
    expect(panel.get_by_text("No scripts match")).to_be_visible()
    panel.get_by_label("Search scripts").fill("csv")
    items.first.click()
    expect(page.locator(".lm-TabBar-tab", has_text="load_orders.py")).to_be_visible()


def test_rename_and_delete_from_the_context_menu_with_undo(page: Page, lab: JupyterProcess):
    api(lab, "POST", "scripts", {"name": "scratch", "content": "x = 1\n"})
    open_scripts_from_the_sidebar(page)
    panel = page.locator(PANEL)
    row = panel.locator(".jp-ScriptForge-item", has_text="scratch")

    row.click(button="right")
    screenshot(page, "scripts-context-menu.png")
    page.locator(".lm-Menu-item", has_text="Rename or Move…").click()
    dialog = page.locator(".jp-Dialog")
    dialog.locator("input").fill("archive/final")
    dialog.get_by_role("button", name="Rename").click()

    renamed = panel.locator(".jp-ScriptForge-item", has_text="final")
    expect(renamed).to_have_attribute("data-folder", "archive")
    expect(panel.locator('.jp-ScriptForge-folder[data-folder="archive"]')).to_be_visible()
    assert (lab.root / "scripts/archive/final.py").read_text() == "x = 1\n"

    renamed.click(button="right")
    expect(page.locator(".lm-Menu-item", has_text="Make Private")).to_be_hidden()
    page.locator(".lm-Menu-item", has_text="Share with the Team").click()
    expect(renamed.locator(".jp-ScriptForge-badge")).to_be_visible()

    renamed.click(button="right")
    page.locator(".lm-Menu-item", has_text="Delete").click()
    expect(renamed).to_have_count(0)
    assert not (lab.root / "scripts/archive/final.py").exists()
    page.get_by_role("alert").filter(has_text="Deleted “final”").get_by_role(
        "button", name="Undo"
    ).click()
    expect(panel.locator(".jp-ScriptForge-item", has_text="final")).to_be_visible()
    assert (lab.root / "scripts/archive/final.py").read_text() == "x = 1\n"


def test_the_keyboard_renames_and_deletes_and_the_open_editor_follows(
    page: Page, lab: JupyterProcess
):
    api(lab, "POST", "scripts", {"name": "kb_target", "folder": "kb", "content": "x = 1\n"})
    open_scripts_from_the_sidebar(page)
    panel = page.locator(PANEL)
    panel.locator(".jp-ScriptForge-item", has_text="kb_target").click()
    expect(page.locator(".lm-TabBar-tab", has_text="kb_target.py")).to_be_visible()
    tree = panel.locator(".jp-ScriptForge-tree")

    # The clicked row keeps the keyboard focus of the tree: F2 renames it.
    tree.focus()
    page.keyboard.press("F2")
    dialog = page.locator(".jp-Dialog")
    expect(dialog.locator("input")).to_have_value("kb/kb_target")
    dialog.locator("input").fill("kb/renamed")
    dialog.get_by_role("button", name="Rename").click()

    # The editor moved with the file: nothing writes the old path back.
    expect(page.locator(".lm-TabBar-tab", has_text="renamed.py")).to_be_visible()
    expect(page.locator(".lm-TabBar-tab", has_text="kb_target.py")).to_have_count(0)
    assert not (lab.root / "scripts/kb/kb_target.py").exists()

    # Undo moves it back, editor and all.
    page.get_by_role("alert").filter(has_text="Renamed “kb/kb_target”").get_by_role(
        "button", name="Undo"
    ).click()
    expect(page.locator(".lm-TabBar-tab", has_text="kb_target.py")).to_be_visible()
    expect(page.locator(".lm-TabBar-tab", has_text="renamed.py")).to_have_count(0)
    assert (lab.root / "scripts/kb/kb_target.py").read_text() == "x = 1\n"

    # Arrow keys reach the row; the context-menu key opens its menu; Delete deletes it.
    row = panel.locator(".jp-ScriptForge-item", has_text="kb_target")
    tree.focus()
    page.keyboard.press("Home")
    for _ in range(10):
        if "jp-mod-focused" in (row.get_attribute("class") or ""):
            break
        page.keyboard.press("ArrowDown")
    expect(row).to_have_class(re.compile("jp-mod-focused"))
    page.keyboard.press("Shift+F10")
    expect(page.locator(".lm-Menu-item", has_text="Rename or Move…")).to_be_visible()
    page.keyboard.press("Escape")
    tree.focus()
    page.keyboard.press("Delete")
    expect(row).to_have_count(0)
    expect(page.locator(".lm-TabBar-tab", has_text="kb_target.py")).to_have_count(0)
    assert not (lab.root / "scripts/kb/kb_target.py").exists()


def test_scripts_panel_in_the_dark_theme(page: Page):
    use_theme(page, "JupyterLab Dark")
    open_scripts_from_the_sidebar(page)

    item = page.locator(".jp-ScriptForge-item").first
    expect(item).to_be_visible()
    # Text must stay readable: the panel takes its colours from the theme.
    color = item.evaluate("el => getComputedStyle(el).color")
    assert color != "rgb(0, 0, 0)"
    screenshot(page, "scripts-panel-dark.png")
    use_theme(page, "JupyterLab Light")
