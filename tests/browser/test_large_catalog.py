"""A 10,000-script catalog in the Scripts panel: folders load when opened, rows exist only
while on screen, search pages in as the user scrolls."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.ui import screenshot
from tests.jupyter_process import JupyterProcess, running_jupyter
from tests.seeding import seed_catalog

pytestmark = pytest.mark.browser

PANEL = "#jp-scriptforge-scripts"
SCRIPTS = 10_000
IN_BULK = 1_000  # one folder bigger than a page
# Rows on screen plus react-window's overscan: far fewer than the catalog.
MOST_ROWS_IN_THE_DOM = 80
ROW_HEIGHT = 26


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterProcess]:
    work = tmp_path_factory.mktemp("large")
    seed_catalog(work, SCRIPTS, IN_BULK)
    with running_jupyter(work, extra_args=("--LabApp.expose_app_in_browser=True",)) as server:
        yield server


@pytest.fixture(autouse=True)
def scripts_sidebar(page: Page) -> None:
    """Every test here starts with the Scripts panel open."""
    page.locator('.jp-SideBar [data-id="jp-scriptforge-scripts"]').click()


def rows(page: Page) -> Locator:
    return page.locator(f'{PANEL} [role="treeitem"]')


def scroll_until(
    page: Page, wanted: Locator, scroll: str = "el => { el.scrollTop = el.scrollHeight; }"
) -> None:
    """Scroll the tree (by default to its end) until ``wanted`` shows; pages load meanwhile."""
    # react-window's scrolling element is the tree's only child.
    scroller = page.locator(f"{PANEL} .jp-ScriptForge-tree > div")
    for _ in range(40):
        scroller.evaluate(scroll)
        if wanted.count() > 0:
            break
        page.wait_for_timeout(250)
    expect(wanted.first).to_be_visible()


def test_a_large_catalog_opens_with_closed_folders_and_few_rows(page: Page):
    panel = page.locator(PANEL)
    bulk = panel.locator('.jp-ScriptForge-folder[data-folder="bulk"]')
    expect(bulk).to_be_visible()
    expect(bulk).to_have_attribute("aria-expanded", "false")
    expect(bulk.locator(".jp-ScriptForge-count")).to_have_text(str(IN_BULK))
    expect(panel.locator('.jp-ScriptForge-folder[data-folder="team07"]')).to_contain_text("450")
    assert rows(page).count() == 21  # bulk and team00..team19, nothing loaded yet

    bulk.click()
    expect(panel.locator('.jp-ScriptForge-item[data-folder="bulk"]').first).to_contain_text(
        "job_00000"
    )
    assert rows(page).count() <= MOST_ROWS_IN_THE_DOM

    # The folder's first page of 200 ends in "Show more" (row 201).
    more = panel.locator(".jp-ScriptForge-moreRow")
    scroll_until(
        page, more, f"el => {{ el.scrollTop = 201 * {ROW_HEIGHT} - el.clientHeight / 2; }}"
    )
    # Asked for while a refresh is on its way (another user saved, the panel was shown
    # again): the refresh must not drop the page, nor the click be lost on a busy button.
    panel.locator('.jp-ScriptForge-header [title="Refresh"]').click()
    more.get_by_role("button").click()
    # Row 0 is the folder, 1..400 its scripts once the second page is in.
    scroll_until(
        page,
        panel.locator(".jp-ScriptForge-item", has_text="job_00399"),
        f"el => {{ el.scrollTop = 400 * {ROW_HEIGHT} - el.clientHeight / 2; }}",
    )
    assert rows(page).count() <= MOST_ROWS_IN_THE_DOM
    screenshot(page, "scripts-panel-large.png")

    panel.locator(".jp-ScriptForge-tree").focus()
    page.keyboard.press("Home")
    page.keyboard.press("ArrowLeft")
    expect(bulk).to_have_attribute("aria-expanded", "false")
    expect(panel.locator(".jp-ScriptForge-item")).to_have_count(0)


def test_search_over_ten_thousand_scripts_pages_in_while_scrolling(page: Page):
    panel = page.locator(PANEL)
    search = panel.get_by_label("Search scripts")

    search.fill("job_09999")
    expect(panel.locator(".jp-ScriptForge-item")).to_have_count(1)
    expect(panel.locator(".jp-ScriptForge-item")).to_contain_text("team19/area3")

    search.fill("job")
    first = panel.locator(".jp-ScriptForge-item").first
    expect(first).to_contain_text("job_00000")
    # Each time the end comes into view the next page of 100 is asked for.
    beyond_the_first_page = re.compile(r"job_00[1-9]\d\d")
    scroll_until(page, panel.locator(".jp-ScriptForge-item", has_text=beyond_the_first_page))
    assert rows(page).count() <= MOST_ROWS_IN_THE_DOM


def test_the_tag_filter_lists_the_tagged_scripts(page: Page):
    panel = page.locator(PANEL)
    panel.get_by_label("Filter by tag").select_option("t7")

    items = panel.locator(".jp-ScriptForge-item")
    expect(items.first).to_contain_text("job_00007")
    expect(items.first.locator(".jp-ScriptForge-tag")).to_have_text("t7")
    # A tag on a row filters by that tag too.
    panel.get_by_label("Filter by tag").select_option("")
    panel.locator('.jp-ScriptForge-folder[data-folder="bulk"]').click()
    panel.locator(
        ".jp-ScriptForge-item[data-script-id] .jp-ScriptForge-tag", has_text="t3"
    ).first.click()
    expect(panel.get_by_label("Filter by tag")).to_have_value("t3")
    expect(items.first).to_contain_text("job_00003")
