"""Team mode in Chromium: two users log in through the hub's login page, each gets a Lab in a
container of their own, and each Lab shows what its user may see and do."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.browser.ui import INDICATOR, SCREENSHOTS, tab_until_offered, type_at_end
from tests.hub_process import HubProcess
from tests.services import CHROMIUM_ARGS

pytestmark = [pytest.mark.hub, pytest.mark.docker, pytest.mark.browser]

PANEL = "#jp-scriptforge-scripts"
HALF = {"width": 1100, "height": 640}


@pytest.fixture
def browser(chromium: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def log_in(browser: Browser, hub: HubProcess, user: str, shot: str | None = None) -> Page:
    """A fresh browser session of ``user``: the login page, the spawn form, the Lab."""
    page = browser.new_context(viewport=HALF).new_page()
    page.goto(f"{hub.url}/hub/login")
    expect(page.locator("#login_submit")).to_be_visible()
    page.fill("#username_input", user)
    page.fill("#password_input", hub.password)
    if shot:
        page.screenshot(path=str(SCREENSHOTS / shot))
    page.click("#login_submit")
    # The spawn form offers the interpreters (unless an earlier test started the server).
    image = page.locator("select[name=image]")
    page.wait_for_selector("select[name=image], #jp-main-dock-panel", timeout=60_000)
    if image.count():
        image.select_option(label="CPython 3.11")
        page.locator("form input[type=submit], form button[type=submit]").first.click()
    expect(page.locator("#jp-main-dock-panel")).to_be_visible(timeout=120_000)
    page.locator('.jp-SideBar [data-id="jp-scriptforge-scripts"]').click()
    expect(page.locator(PANEL)).to_be_visible()
    return page


def open_script(page: Page, name: str) -> None:
    page.locator(PANEL).locator(".jp-ScriptForge-item", has_text=name).dblclick()
    expect(page.locator(".lm-TabBar-tab.jp-mod-current", has_text=f"{name}.py")).to_be_visible(
        timeout=30_000
    )


def side_by_side(browser: Browser, left: bytes, right: bytes, name: str) -> None:
    """One picture of two screenshots, drawn by the browser itself."""
    page = browser.new_page(viewport={"width": 2 * HALF["width"] + 8, "height": HALF["height"]})
    images = "".join(
        f'<img style="width:{HALF["width"]}px" src="data:image/png;base64,'
        f'{base64.b64encode(shot).decode()}">'
        for shot in (left, right)
    )
    page.set_content(f'<body style="margin:0;display:flex;gap:8px;background:#888">{images}</body>')
    page.screenshot(path=str(SCREENSHOTS / name))
    page.close()


def test_two_users_each_see_their_own_lab_with_what_they_may_do(
    hub: HubProcess, lab_image: str, browser: Browser
):
    alice = hub.token("alice")
    status, private = hub.call(
        alice, "POST", "scripts", {"name": "alice_notes", "content": "print('mine')\n"}
    )
    assert status == 201, private
    status, team = hub.call(
        alice,
        "POST",
        "scripts",
        {"name": "team_report", "visibility": "team", "content": "print('for all')\n"},
    )
    assert status == 201, team

    alices = log_in(browser, hub, "alice", shot="hub-login.png")
    veras = log_in(browser, hub, "vera")

    # alice sees both of her scripts; vera, a viewer, the team's alone.
    for name in ("alice_notes", "team_report"):
        expect(alices.locator(PANEL).get_by_text(name)).to_be_visible(timeout=30_000)
    expect(veras.locator(PANEL).get_by_text("team_report")).to_be_visible(timeout=30_000)
    expect(veras.locator(PANEL).get_by_text("alice_notes")).to_have_count(0)
    # Creating is an author's: the viewer has no New Script button.
    expect(alices.locator(PANEL).get_by_role("button", name="New Script")).to_be_visible()
    expect(veras.locator(PANEL).get_by_role("button", name="New Script")).to_have_count(0)

    open_script(alices, "team_report")
    open_script(veras, "team_report")
    # Each editor's language server runs in its user's own container, on its interpreter.
    for page in (alices, veras):
        expect(page.locator(INDICATOR)).to_have_text("cpython-3.11 · ready", timeout=60_000)
    type_at_end(alices, "\nimport json\njson.du")
    tab_until_offered(alices, "dumps")
    for tool in ("run", "snapshot", "publish"):
        expect(alices.locator(f".jp-ScriptForge-editor-{tool}:visible")).to_have_count(1)
        expect(veras.locator(f".jp-ScriptForge-editor-{tool}:visible")).to_have_count(0)
    side_by_side(
        browser,
        alices.screenshot(),
        veras.screenshot(),
        "hub-two-users.png",
    )
    # What the Lab hides, the service refuses.
    vera = hub.token("vera")
    refused: dict[str, Any] = {
        "save": hub.call(vera, "POST", f"scripts/{team['id']}/versions", {"content": "x\n"}),
        "run": hub.call(vera, "POST", "runs", {"script_id": team["id"]}),
        "publish": hub.call(
            vera, "POST", f"scripts/{team['id']}/publish", {"version_id": team["head_version_id"]}
        ),
    }
    assert {what: answer[0] for what, answer in refused.items()} == dict.fromkeys(refused, 403)
