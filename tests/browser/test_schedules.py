"""Schedules in JupyterLab: Schedule… on a script, its next times shown while the expression
is typed, a bad expression refused at its field, the Schedules section of the sidebar with
Pause and Resume."""

import time
from collections.abc import Iterator
from datetime import datetime

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_runs_panel import run_from_the_sidebar
from tests.browser.ui import api, readable, run_from_palette, screenshot, use_theme
from tests.jupyter_process import JupyterProcess, running_jupyter

DIALOG = ".jp-Dialog:has(.jp-ScriptForge-scheduleForm)"
RUNS = "#jp-scriptforge-runs"


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterProcess]:
    """A lab whose schedules may fire every second, so a test sees one fire."""
    with running_jupyter(
        tmp_path_factory.mktemp("lab"),
        extra_args=(
            "--LabApp.expose_app_in_browser=True",
            "--ScriptForgeApp.schedule_min_seconds=1",
            "--ScriptForgeApp.schedule_tick_seconds=0.25",
        ),
    ) as server:
        yield server


SECTION = "#jp-scriptforge-scripts .jp-ScriptForge-schedules"


def schedule_from_the_sidebar(page: Page, name: str) -> None:
    page.locator('.jp-SideBar [data-id="jp-scriptforge-scripts"]').click()
    row = page.locator("#jp-scriptforge-scripts .jp-ScriptForge-item", has_text=name)
    row.click(button="right")
    page.locator(".lm-Menu-item", has_text="Schedule…").click()


def test_a_script_is_scheduled_with_its_times_previewed_then_paused(
    page: Page, lab: JupyterProcess
) -> None:
    script = api(lab, "POST", "scripts", {"name": "nightly", "content": "print('night')\n"})
    api(lab, "POST", f"scripts/{script['id']}/publish", {"version_id": script["head_version_id"]})

    schedule_from_the_sidebar(page, "nightly")
    dialog = page.locator(DIALOG)
    expect(dialog).to_contain_text("published version of “nightly”")
    expect(dialog.locator("input[name=name]")).to_have_value("nightly")
    preview = dialog.locator(".jp-ScriptForge-schedulePreview li")
    expect(preview).to_have_count(5)  # the default, every day at 06:00

    dialog.locator("input[name=cron]").fill("61 * * * *")
    expect(dialog.locator(".jp-ScriptForge-fieldError")).to_contain_text("61 * * * *")
    expect(dialog.locator("input[name=cron]")).to_have_attribute("aria-invalid", "true")
    expect(preview).to_have_count(0)

    dialog.locator("input[name=cron]").fill("30 2 * * 1")
    dialog.locator("input[name=timezone]").fill("Europe/Berlin")
    dialog.locator("input[name=name]").fill("Monday report")
    expect(preview).to_have_count(5)
    expect(preview.first).to_contain_text("02:30")
    expect(preview.first).to_contain_text("Mon")
    screenshot(page, "schedule-dialog.png")
    dialog.locator(".jp-Dialog-button.jp-mod-accept").click()
    expect(dialog).to_have_count(0)
    row = page.locator(SECTION).locator(".jp-ScriptForge-schedule", has_text="Monday report")
    expect(row).to_contain_text("next")  # made: the section lists it

    [made] = api(lab, "GET", "schedules")["schedules"]
    assert (made["name"], made["cron"], made["timezone"]) == (
        "Monday report",
        "30 2 * * 1",
        "Europe/Berlin",
    )
    assert made["run"] == {"script_id": script["id"]}
    assert all(datetime.fromisoformat(t).weekday() == 0 for t in made["next"])
    screenshot(page, "schedules-sidebar.png")

    row.hover()
    row.get_by_role("button", name="Pause schedule Monday report").click()
    expect(row).to_contain_text("paused")
    assert api(lab, "GET", f"schedules/{made['id']}")["active"] is False
    row.hover()
    row.get_by_role("button", name="Resume schedule Monday report").click()
    expect(row).to_contain_text("next")
    assert api(lab, "GET", f"schedules/{made['id']}")["active"] is True


def test_a_refused_schedule_reopens_at_the_field_the_server_named(
    page: Page, lab: JupyterProcess
) -> None:
    api(lab, "POST", "scripts", {"name": "draft_only", "content": "print(1)\n"})
    use_theme(page, "JupyterLab Dark")

    schedule_from_the_sidebar(page, "draft_only")
    dialog = page.locator(DIALOG)
    # Never published: the schedule pins the current version, and says so.
    expect(dialog).to_contain_text("no published version yet")
    dialog.locator("input[name=timezone]").fill("Nowhere/Atlantis")
    expect(dialog.locator(".jp-ScriptForge-fieldError")).to_contain_text("Nowhere/Atlantis")
    screenshot(page, "schedule-dialog-dark.png")
    dialog.locator(".jp-Dialog-button.jp-mod-accept").click()

    # The server refused it: the dialog is back, at the time zone, with the typed values.
    expect(dialog).to_be_visible()
    expect(dialog.locator("input[name=timezone]")).to_have_value("Nowhere/Atlantis")
    expect(dialog.locator(".jp-ScriptForge-fieldError")).to_contain_text("no IANA time zone")
    dialog.locator("input[name=timezone]").fill("UTC")
    expect(dialog.locator(".jp-ScriptForge-schedulePreview li")).to_have_count(5)
    dialog.locator(".jp-Dialog-button.jp-mod-accept").click()
    expect(dialog).to_have_count(0)
    expect(
        page.locator(SECTION).locator(".jp-ScriptForge-schedule", has_text="draft_only")
    ).to_be_visible()
    schedules = [s for s in api(lab, "GET", "schedules")["schedules"] if s["name"] == "draft_only"]
    assert len(schedules) == 1
    assert "version_id" in schedules[0]["run"]


def test_a_scheduled_run_is_marked_with_its_schedule_in_the_history(
    page: Page, lab: JupyterProcess
) -> None:
    script = api(lab, "POST", "scripts", {"name": "ticking", "content": "print('tick')\n"})
    version = script["head_version_id"]
    schedule = api(
        lab,
        "POST",
        "schedules",
        {"script_id": script["id"], "version_id": version, "cron": "* * * * * */2"},
    )
    deadline = time.monotonic() + 30
    while not [r for r in api(lab, "GET", "runs")["runs"] if r["schedule_id"] == schedule["id"]]:
        assert time.monotonic() < deadline, "the schedule started no run"
        time.sleep(0.25)
    api(lab, "PATCH", f"schedules/{schedule['id']}", {"active": False})

    run_from_palette(page, "Open Runs Panel")
    row = page.locator(RUNS).locator(".jp-ScriptForge-runRow").first
    expect(row.locator("[data-field=schedule]")).to_have_text("scheduled")
    expect(row.locator("[data-field=schedule]")).to_have_attribute(
        "title", f"Started by schedule #{schedule['id']}"
    )
    row.click()
    detail = page.locator(RUNS).locator('dd[data-field="schedule"]')
    expect(detail).to_have_text(f"schedule #{schedule['id']}")


def test_a_failed_scheduled_run_is_noticed_with_a_link_to_it(
    page: Page, lab: JupyterProcess
) -> None:
    script = api(
        lab, "POST", "scripts", {"name": "fails_nightly", "content": "raise SystemExit(5)\n"}
    )
    schedule = api(
        lab,
        "POST",
        "schedules",
        {
            "script_id": script["id"],
            "version_id": script["head_version_id"],
            "cron": "* * * * * */2",
        },
    )

    toast = page.locator(".Toastify__toast", has_text="Scheduled run of “fails_nightly” failed.")
    expect(toast.first).to_be_visible(timeout=30_000)
    api(lab, "PATCH", f"schedules/{schedule['id']}", {"active": False})
    # The toast slides in: whole once its button is.
    expect(toast.first.get_by_role("button", name="Show Run")).to_be_in_viewport(ratio=1)
    screenshot(page, "run-failed-notice.png")
    runs = [r for r in api(lab, "GET", "runs")["runs"] if r["schedule_id"] == schedule["id"]]
    toast.first.get_by_role("button", name="Show Run").click()

    detail = page.locator(RUNS).locator('dd[data-field="schedule"]')
    expect(detail).to_have_text(f"schedule #{schedule['id']}")
    assert runs
    assert {run["status"] for run in runs} == {"failed"}


def test_a_run_started_in_this_lab_fails_in_its_runs_panel_without_a_toast(
    page: Page, lab: JupyterProcess
) -> None:
    api(lab, "POST", "scripts", {"name": "fails_here", "content": "raise SystemExit(6)\n"})

    run_from_the_sidebar(page, "fails_here")
    row = page.locator(RUNS).locator(".jp-ScriptForge-runRow").first
    expect(row).to_have_attribute("data-status", "failed", timeout=30_000)
    page.wait_for_timeout(2000)  # its end has reached the Lab by now

    expect(page.locator(".Toastify__toast", has_text="fails_here")).to_have_count(0)


def test_a_schedules_page_lists_its_runs_and_why_it_stopped(
    page: Page, lab: JupyterProcess
) -> None:
    script = api(lab, "POST", "scripts", {"name": "short_lived", "content": "print('hi')\n"})
    schedule = api(
        lab,
        "POST",
        "schedules",
        {
            "script_id": script["id"],
            "version_id": script["head_version_id"],
            "cron": "* * * * * */2",
            "name": "short lived",
        },
    )
    deadline = time.monotonic() + 30
    while len(api(lab, "GET", f"schedules/{schedule['id']}")["fires"]) < 2:
        assert time.monotonic() < deadline, "the schedule did not fire twice"
        time.sleep(0.25)
    api(lab, "DELETE", f"scripts/{script['id']}")
    while api(lab, "GET", f"schedules/{schedule['id']}")["active"]:
        assert time.monotonic() < deadline + 30, "the schedule did not stop"
        time.sleep(0.25)

    page.locator('.jp-SideBar [data-id="jp-scriptforge-scripts"]').click()
    item = page.locator(SECTION).locator(f'[data-schedule-id="{schedule["id"]}"]')
    item.get_by_title("Runs of schedule short lived").click()

    dialog = page.locator(".jp-ScriptForge-scheduleFiresDialog")
    expect(dialog.locator(".jp-Dialog-header")).to_have_text("Runs of “short lived”")
    expect(dialog).to_contain_text("Stopped: There is no script")
    not_started = dialog.locator(".jp-ScriptForge-fire.jp-mod-notStarted").first
    expect(not_started).to_contain_text("not started: There is no script")
    started = dialog.locator(".jp-ScriptForge-fire[data-run-id]")
    expect(started.first.locator(".jp-ScriptForge-status")).to_have_text("succeeded")
    stopped = dialog.get_by_role("alert")
    assert readable(stopped)
    screenshot(page, "schedule-runs.png")
    use_theme(page, "JupyterLab Dark")
    assert readable(stopped)
    assert readable(not_started)
    assert readable(started.first.locator(".jp-ScriptForge-status"))
    screenshot(page, "schedule-runs-dark.png")
    use_theme(page, "JupyterLab Light")
    run_id = started.first.get_attribute("data-run-id")

    started.first.click()

    expect(dialog).to_have_count(0)
    expect(page.locator(RUNS).locator(".jp-ScriptForge-runDetail")).to_have_attribute(
        "data-run-id", str(run_id)
    )
