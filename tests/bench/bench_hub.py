"""Team mode on a real JupyterHub (hub_config/), its proxy, PostgreSQL and Docker.

- spawn: from the login form submitted in Chromium to the Lab drawn with the Scripts panel
  (the spawn form's interpreter chosen on the way), p50 and p95, for one user at a time and
  for 12 users logging in together; the same Lab opened again on the running server is the
  baseline that tells the spawn from the browser's own work. For 12 users two more figures
  say where their time goes: the same 12 Labs opened together on servers already running
  (the browsers' own share of the two cores), and the 12 spawns over HTTP without drawing
  (the servers' share);
- memory: an idle user server's container, as the engine counts it;
- team runs: 12 users each running a group of 5 short scripts at once, against the same
  60 scripts run by one user, in the same run.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from tests.bench.report import emit, percentile
from tests.bench.targets import Target, assert_targets
from tests.hub.servers import spawn, stop_server
from tests.hub_process import HubProcess, running_hub
from tests.services import CHROMIUM_ARGS, PostgresCluster

TEAM = [f"user{n:02d}" for n in range(1, 13)]
SOLO_SPAWNS = 8
PANEL = "#jp-scriptforge-scripts"
IDLE_SECONDS = 20


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory, postgres: PostgresCluster) -> Any:
    with running_hub(
        tmp_path_factory.mktemp("benchhub"),
        dict.fromkeys(TEAM, "author"),
        db_url=postgres.new_database(),
    ) as started:
        yield started


async def _lab_drawn(browser: Browser, hub: HubProcess, user: str) -> tuple[float, float]:
    """Log ``user`` in and start her server as a user does; → (seconds to the Lab with the
    Scripts panel, seconds to the same Lab opened again on the running server)."""
    context = await browser.new_context(viewport={"width": 1200, "height": 760})
    page = await context.new_page()
    await page.goto(f"{hub.url}/hub/login")
    await page.fill("#username_input", user)
    await page.fill("#password_input", hub.password)
    began = time.monotonic()
    await page.click("#login_submit")
    await page.wait_for_selector("select[name=image]", timeout=60_000)
    await page.select_option("select[name=image]", label="CPython 3.11")
    await page.locator("form input[type=submit], form button[type=submit]").first.click()
    await _scripts_panel_shown(page, within_ms=300_000)
    spawned = time.monotonic() - began
    began = time.monotonic()
    await page.goto(f"{hub.url}/user/{user}/lab")
    await _scripts_panel_shown(page, within_ms=120_000)
    reopened = time.monotonic() - began
    await context.close()
    return spawned, reopened


async def _scripts_panel_shown(page: Page, within_ms: float) -> None:
    """Wait for the Lab, then open the Scripts panel as a user does."""
    tab = page.locator('.jp-SideBar [data-id="jp-scriptforge-scripts"]')
    await expect(tab).to_be_visible(timeout=within_ms)
    # The splash screen goes once the layout is restored (the panel may come back open).
    await expect(page.locator("#jupyterlab-splash")).to_have_count(0, timeout=within_ms)
    if not await page.locator(PANEL).is_visible():
        await tab.click()
    await expect(page.locator(PANEL)).to_be_visible(timeout=within_ms)


def _stop_servers(hub: HubProcess, users: list[str]) -> None:
    for user in users:
        stop_server(hub, user, within=120)


def _memory_mib(container: str) -> float:
    stats = subprocess.run(
        ["docker", "stats", "--no-stream", "--format", "{{json .}}", container],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    usage = json.loads(stats)["MemUsage"].split("/")[0].strip()
    units = {"KiB": 1 / 1024, "MiB": 1, "GiB": 1024, "B": 1 / (1 << 20)}
    for unit, factor in units.items():
        if usage.endswith(unit):
            return float(usage.removesuffix(unit)) * factor
    raise AssertionError(f"unreadable memory usage {usage!r}")


async def _spawns(chromium: str, hub: HubProcess, users: list[str]) -> list[tuple[float, float]]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            return await asyncio.gather(*(_lab_drawn(browser, hub, user) for user in users))
        finally:
            await browser.close()


async def _opened_together(chromium: str, hub: HubProcess, users: list[str]) -> list[float]:
    """Seconds to the Lab with the Scripts panel for ``users`` opening their running servers
    at once: no spawn, only the browsers drawing JupyterLab."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            pages = []
            for user in users:
                context = await browser.new_context(viewport={"width": 1200, "height": 760})
                page = await context.new_page()
                await page.goto(f"{hub.url}/hub/login")
                await page.fill("#username_input", user)
                await page.fill("#password_input", hub.password)
                await page.click("#login_submit")
                await _scripts_panel_shown(page, within_ms=120_000)
                pages.append((user, page))

            async def reopen(user: str, page: Page) -> float:
                began = time.monotonic()
                await page.goto(f"{hub.url}/user/{user}/lab")
                await _scripts_panel_shown(page, within_ms=300_000)
                return time.monotonic() - began

            return await asyncio.gather(*(reopen(user, page) for user, page in pages))
        finally:
            await browser.close()


def _spawned_over_http(hub: HubProcess, users: list[str]) -> list[float]:
    """Seconds from login to the Lab's page for ``users`` starting their servers at once,
    as the spawn page does, with no browser drawing anything."""
    with ThreadPoolExecutor(len(users)) as threads:
        started = [threads.submit(spawn, hub, user) for user in users]
        return [future.result()[2] for future in started]


@pytest.mark.timeout(1800)
def test_spawn_and_idle_memory(hub: HubProcess, chromium: str, tmp_path: Path):
    solo: list[tuple[float, float]] = []
    for _ in range(SOLO_SPAWNS):
        solo += asyncio.run(_spawns(chromium, hub, TEAM[:1]))
        if len(solo) == SOLO_SPAWNS:
            break
        _stop_servers(hub, TEAM[:1])
    time.sleep(IDLE_SECONDS)  # nobody uses it now
    idle_mib = _memory_mib(f"{hub.container_prefix}-{TEAM[0]}")
    _stop_servers(hub, TEAM[:1])
    together = asyncio.run(_spawns(chromium, hub, TEAM))
    drawn_only = asyncio.run(_opened_together(chromium, hub, TEAM))
    _stop_servers(hub, TEAM)
    servers_only = _spawned_over_http(hub, TEAM)
    _stop_servers(hub, TEAM)

    spawn_1 = [spawned for spawned, _ in solo]
    reopen_1 = [reopened for _, reopened in solo]
    spawn_12 = [spawned for spawned, _ in together]
    emit(
        "hub_spawn",
        spawns_one_user=len(spawn_1),
        one_user_p50_s=round(statistics.median(spawn_1), 2),
        one_user_p95_s=round(percentile(spawn_1, 95), 2),
        lab_reopened_p50_s=round(statistics.median(reopen_1), 2),
        twelve_users_p50_s=round(statistics.median(spawn_12), 2),
        twelve_users_p95_s=round(percentile(spawn_12, 95), 2),
        twelve_labs_opened_on_running_servers_p50_s=round(statistics.median(drawn_only), 2),
        twelve_spawns_without_a_browser_p50_s=round(statistics.median(servers_only), 2),
        twelve_spawns_without_a_browser_p95_s=round(percentile(servers_only, 95), 2),
        idle_server_mib=round(idle_mib, 1),
        hub_reported_start_s=_hub_start_times(hub),
        target="spawn p50 <= 3 s (1 user and 12 together); idle server <= 200 MiB",
    )
    assert_targets(
        "hub_spawn",
        Target("login -> Lab with Scripts panel, 1 user, p50", statistics.median(spawn_1), 3, " s"),
        Target("the same, 12 users together, p50", statistics.median(spawn_12), 3, " s"),
        Target("idle user server's memory", idle_mib, 200, " MiB"),
    )


def _hub_start_times(hub: HubProcess) -> list[float]:
    """What the hub logs as each server's start (``User x took N seconds to start``)."""
    return [
        float(line.split(" took ")[1].split()[0])
        for line in hub.log().splitlines()
        if " seconds to start" in line
    ]


GROUP_ITEM = "import time\nfor i in range(3):\n    time.sleep(0.1)\nprint(sum(range(10**5)))\n"


def _group_of(hub: HubProcess, token: str, tag: str) -> int:
    items = []
    for n in range(5):
        status, script = hub.call(
            token, "POST", "scripts", {"name": f"{tag}_{n}", "content": GROUP_ITEM}
        )
        assert status == 201, script
        items.append({"script_id": script["id"]})
    status, group = hub.call(
        token,
        "POST",
        "groups",
        {"name": tag, "mode": "parallel", "max_concurrency": 5, "items": items},
    )
    assert status == 201, group
    return int(group["id"])


def _run_all(hub: HubProcess, submissions: list[tuple[str, int]]) -> tuple[float, list[str]]:
    """Submit every (token, group) at once; → (seconds until all final, their statuses)."""
    began = time.monotonic()
    runs = []
    for token, group_id in submissions:
        status, run = hub.call(token, "POST", "runs", {"group_id": group_id})
        assert status in (200, 201, 202), run
        runs.append((token, run["id"]))
    statuses = []
    for token, run_id in runs:
        run = hub.finished(token, run_id, within=300)
        statuses += [child["status"] for child in run["children"]]
    return time.monotonic() - began, statuses


@pytest.mark.timeout(900)
def test_twelve_users_each_running_a_group_of_five(hub: HubProcess):
    tokens = {user: hub.token(user) for user in TEAM}
    team = [(tokens[user], _group_of(hub, tokens[user], f"team_{user}")) for user in TEAM]
    solo = [(tokens[TEAM[0]], _group_of(hub, tokens[TEAM[0]], f"solo_{n}")) for n in range(12)]

    _run_all(hub, solo[:1])  # images and the store warmed up
    solo_seconds, solo_statuses = _run_all(hub, solo)
    team_seconds, team_statuses = _run_all(hub, team)

    assert team_statuses == ["succeeded"] * 60
    assert solo_statuses == ["succeeded"] * 60
    ratio = team_seconds / solo_seconds
    emit(
        "hub_team_runs",
        runs=60,
        twelve_users_s=round(team_seconds, 2),
        one_user_s=round(solo_seconds, 2),
        ratio=round(ratio, 2),
        target="12 users x 5 <= 1.25 x one user x 60",
    )
    assert_targets("hub_team_runs", Target("12 users against one, same 60 runs", ratio, 1.25, "x"))
