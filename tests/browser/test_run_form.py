"""Parameters in JupyterLab: the run form drawn from what a script's argparse declares,
checked before it is sent, remembered, and the values kept with the run to run again."""

import json

from playwright.sync_api import Page, expect

from tests.browser.test_runs_panel import RUNS, detail, run_from_the_sidebar
from tests.browser.ui import api, screenshot
from tests.jupyter_process import JupyterProcess

FORM = ".jp-Dialog.jp-ScriptForge-RunFormDialog"

REPORT = """import argparse, json
parser = argparse.ArgumentParser(description="Sales by region")
parser.add_argument("region", choices=["eu", "us", "apac"], help="Where the sales were")
parser.add_argument("--days", type=int, default=7, help="How far back")
parser.add_argument("--note", help="Printed on the report")
parser.add_argument("--dry-run", action="store_true", help="Do not send it")
print(json.dumps(vars(parser.parse_args()), sort_keys=True))
"""


def output_values(page: Page) -> dict:
    output = detail(page).get_by_label("Run output")
    expect(output).to_contain_text("region")
    return json.loads(output.inner_text().strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_a_script_runs_with_values_from_its_form_and_again_from_history(
    page: Page, lab: JupyterProcess
) -> None:
    api(lab, "POST", "scripts", {"name": "sales", "content": REPORT})

    run_from_the_sidebar(page, "sales")
    form = page.locator(FORM)
    expect(form).to_be_visible()
    expect(form.locator("#root_days")).to_have_value("7")  # the parser's default
    # Nothing chosen for the required region: the form says so and sends nothing.
    form.locator(".jp-Dialog-button.jp-mod-accept").click()
    expect(form).to_contain_text("A value is needed.")
    assert api(lab, "GET", "runs")["runs"] == []

    form.locator("#root_region").select_option("eu")
    form.locator("#root_days").fill("30")
    form.locator("#root_note").fill("-quarterly, with a dash")
    form.locator("#root_dry_run").check()
    screenshot(page, "run-form.png")
    form.locator(".jp-Dialog-button.jp-mod-accept").click()

    expect(form).to_have_count(0)
    rows = page.locator(RUNS).locator(".jp-ScriptForge-runRow")
    expect(rows.first).to_have_attribute("data-status", "succeeded", timeout=20_000)
    sent = {"region": "eu", "days": 30, "note": "-quarterly, with a dash", "dry_run": True}
    assert output_values(page) == sent
    expect(rows.first.locator("[data-field=parameters]")).to_contain_text("region=eu")
    expect(detail(page).locator('[data-field="parameters"]')).to_contain_text("days=30")

    # Run again from the history: the same values, without the form.
    rows.first.hover()
    rows.first.get_by_role("button", name="Re-run").click()
    expect(rows).to_have_count(2)
    expect(rows.first).to_have_attribute("data-status", "succeeded", timeout=20_000)
    assert output_values(page) == sent
    runs = api(lab, "GET", "runs")["runs"]
    assert [run["parameters"] for run in runs] == [sent, sent]

    # The next run's form starts from the values given last.
    row = page.locator("#jp-scriptforge-scripts .jp-ScriptForge-item", has_text="sales")
    row.click(button="right")  # the Scripts panel is still open
    page.locator(".lm-Menu-item", has_text="Run").first.click()
    expect(form.locator("#root_days")).to_have_value("30")
    expect(form.locator("#root_note")).to_have_value("-quarterly, with a dash")
    form.locator(".jp-Dialog-button.jp-mod-reject").click()
    expect(form).to_have_count(0)
    assert len(api(lab, "GET", "runs")["runs"]) == 2
