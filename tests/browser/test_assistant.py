"""The assistant in the browser, on the model configured in Jupyter AI (litellm's mock
response stands in for the provider): generate → review → create → run; edit reviewed
chunk by chunk; a failed run fixed; hostile code flagged and kept from a one-click run."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.ui import api, open_in_editor, screenshot
from tests.jupyter_process import JupyterProcess, running_jupyter

pytestmark = pytest.mark.browser

PANEL = "#jp-scriptforge-assistant"
MODEL = "openai/gpt-4o-mini"

GENERATED = """import json

totals = {"north": 3, "south": 5}
print(json.dumps(totals))
"""
# Blocked by the policy (os.system), harmless when an admin runs it anyway.
HOSTILE = """import os

os.system("echo overridden by an admin")
"""


def answer_with(config: Path, code: str) -> None:
    """What the mock model answers from now on (Jupyter AI re-reads its config file)."""
    reply = f"Here it is:\n\n```python\n{code}```\n"
    config.write_text(
        json.dumps({"model_provider_id": MODEL, "fields": {MODEL: {"mock_response": reply}}})
    )


@pytest.fixture(scope="module")
def model_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = tmp_path_factory.mktemp("jupyter-ai") / "config.json"
    answer_with(config, GENERATED)
    return config


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory, model_config: Path) -> Iterator[JupyterProcess]:
    with running_jupyter(
        tmp_path_factory.mktemp("lab"),
        extra_args=(
            "--LabApp.expose_app_in_browser=True",
            f"--ConfigManager.config_path={model_config}",
        ),
    ) as server:
        yield server


def ask(page: Page, mode: str, prompt: str) -> None:
    panel = page.locator(PANEL)
    if not panel.is_visible():
        page.locator(f'.jp-SideBar [data-id="{PANEL[1:]}"]').click()
    panel.get_by_label("What to ask for").select_option(mode)
    panel.get_by_label("Ask the assistant").fill(prompt)
    panel.get_by_role("button", name="Ask").click()


def test_generate_review_create_and_run(page: Page, lab: JupyterProcess, model_config: Path):
    answer_with(model_config, GENERATED)
    ask(page, "generate", "Print the totals per region as JSON")
    panel = page.locator(PANEL)
    review = panel.locator(".jp-ScriptForge-review")
    expect(review).to_contain_text("print(json.dumps(totals))", timeout=20_000)
    expect(panel.locator(".jp-ScriptForge-guardrails")).to_have_class(
        "jp-ScriptForge-guardrails jp-mod-ok"
    )
    screenshot(page, "assistant-generate.png")

    panel.get_by_role("button", name="Create and Run…").click()
    dialog = page.locator(".jp-Dialog")
    dialog.locator("input").fill("reports/region_totals")
    dialog.get_by_role("button", name="Create").click()
    expect(page.locator(".lm-TabBar-tab", has_text="region_totals.py")).to_be_visible()
    output = page.locator("#jp-scriptforge-runs").get_by_label("Run output")
    expect(output).to_contain_text('{"north": 3, "south": 5}', timeout=30_000)


def test_blocked_code_kept_from_the_panel_is_held_by_the_server(
    page: Page, lab: JupyterProcess, model_config: Path
):
    answer_with(model_config, HOSTILE)
    ask(page, "generate", "Say hello through the shell")
    panel = page.locator(PANEL)
    report = panel.locator(".jp-ScriptForge-guardrails")
    expect(report).to_contain_text("will not run this code until an admin", timeout=20_000)

    # Created anyway (not run): the server holds it, so the ordinary Run is refused too.
    panel.get_by_role("button", name="Create Script…").click()
    dialog = page.locator(".jp-Dialog")
    dialog.locator("input").fill("held/shell_hello")
    dialog.get_by_role("button", name="Create").click()
    expect(page.locator(".lm-TabBar-tab", has_text="shell_hello.py")).to_be_visible()
    expect(panel.get_by_role("status")).to_contain_text("Created shell_hello. Held:")
    [script] = api(lab, "GET", "scripts?folder=held")["items"]
    [version] = api(lab, "GET", f"scripts/{script['id']}/versions")["items"]
    assert version["author"].startswith("assistant for ")

    # Not awaited: the command ends when its error dialog is closed.
    page.evaluate(
        "id => { window.jupyterapp.commands.execute('scriptforge:run-script', {id}); }",
        script["id"],
    )
    refusal = page.locator(".jp-Dialog")
    expect(refusal).to_contain_text("The guardrails block v1 of 'shell_hello'")
    screenshot(page, "assistant-run-held.png")
    refusal.get_by_role("button").last.click()
    assert api(lab, "GET", f"runs?script_id={script['id']}")["runs"] == []


def test_the_selection_is_explained(page: Page, lab: JupyterProcess, model_config: Path):
    script = api(
        lab,
        "POST",
        "scripts",
        {"name": "explain_me", "content": "import json\n\nrows = json.load(open('in.json'))\n"},
    )
    editor = open_in_editor(page, script["path"])
    explanation = "It reads the rows from in.json."
    config_reply = {"model_provider_id": MODEL, "fields": {MODEL: {"mock_response": explanation}}}
    model_config.write_text(json.dumps(config_reply))
    editor.locator(".cm-line").nth(2).click()
    page.keyboard.press("Home")
    page.keyboard.press("Shift+End")

    page.evaluate("() => window.jupyterapp.commands.execute('scriptforge:assistant-explain')")

    panel = page.locator(PANEL)
    expect(panel.locator(".jp-ScriptForge-answerText")).to_have_text(explanation, timeout=20_000)
    expect(panel.locator(".jp-ScriptForge-answerTitle")).to_contain_text(
        "Explain the selection in explain_me"
    )
    [record] = api(lab, "GET", "audit?action=explain")["records"]
    assert "rows = json.load(open('in.json'))" in record["prompt"].split("Selected part:")[1]


def test_an_edit_is_reviewed_chunk_by_chunk_and_recorded(
    page: Page, lab: JupyterProcess, model_config: Path
):
    original = 'import json\n\ntotals = {"north": 1}\n# keep\n# these\n# lines\nprint(totals)\n'
    edited = original.replace('{"north": 1}', '{"north": 3}').replace(
        "print(totals)", "print(json.dumps(totals))"
    )
    script = api(lab, "POST", "scripts", {"name": "edit_me", "content": original})
    editor = open_in_editor(page, script["path"])
    answer_with(model_config, edited)
    ask(page, "edit", "Print the totals as JSON")

    panel = page.locator(PANEL)
    expect(panel.locator(".jp-ScriptForge-reviewHint")).to_contain_text("to review", timeout=20_000)
    # Reject the first change, accept the rest by applying.
    panel.locator(".jp-ScriptForge-review").get_by_role("button", name="Reject").first.click()
    screenshot(page, "assistant-edit-review.png")
    panel.get_by_role("button", name="Apply to edit_me").click()
    expect(panel.get_by_role("status")).to_contain_text("Recorded as v2")

    head = api(lab, "GET", f"scripts/{script['id']}/versions")["items"][0]
    assert head["author"].startswith("assistant for ")
    content = api(lab, "GET", f"versions/{head['id']}")["content"]
    assert 'totals = {"north": 1}' in content  # the rejected chunk kept the original
    assert "print(json.dumps(totals))" in content
    expect(editor).to_contain_text("print(json.dumps(totals))", timeout=15_000)


def test_a_failed_run_is_fixed_and_hostile_code_is_kept_from_a_one_click_run(
    page: Page, lab: JupyterProcess, model_config: Path
):
    script = api(lab, "POST", "scripts", {"name": "broken", "content": "print(totals)\n"})
    run = api(lab, "POST", "runs", {"script_id": script["id"], "source": "head"})
    page.evaluate(
        "id => window.jupyterapp.commands.execute('scriptforge:show-run', {runId: id})", run["id"]
    )
    runs = page.locator("#jp-scriptforge-runs")
    expect(runs.locator(".jp-ScriptForge-runSummary .jp-ScriptForge-status").first).to_have_text(
        "failed", timeout=30_000
    )

    answer_with(model_config, HOSTILE)
    runs.get_by_role("button", name="Fix with Assistant").click()
    panel = page.locator(PANEL)
    report = panel.locator(".jp-ScriptForge-guardrails")
    expect(report).to_have_class("jp-ScriptForge-guardrails jp-mod-blocked", timeout=20_000)
    expect(report).to_contain_text("line 3")
    expect(panel.get_by_role("button", name="Apply and Run")).to_be_disabled()
    # The finding is marked on its line in the review too, and the report shows it there.
    review = panel.locator(".jp-ScriptForge-review")
    marked = review.locator(".cm-line", has=page.locator(".cm-lintRange-error"))
    expect(marked).to_have_count(1)
    expect(marked).to_contain_text("os.system")
    expect(review.locator(".cm-gutter-lint .cm-lint-marker-error")).to_have_count(1)
    report.get_by_role("button", name="line 3").first.click()
    expect(review.locator(".cm-editor.cm-focused")).to_have_count(1)
    cursor_line = page.evaluate(
        """() => {
            const node = document.getSelection().anchorNode;
            const element = node.nodeType === 1 ? node : node.parentElement;
            return element.closest('.cm-line')?.textContent;
        }"""
    )
    assert "os.system" in cursor_line
    screenshot(page, "assistant-fix-blocked.png")

    # Rejecting the hunk the guardrails object to takes the block away, and its marks.
    review.get_by_role("button", name="Reject").first.click()
    expect(report).to_have_class("jp-ScriptForge-guardrails jp-mod-ok")
    expect(review.locator(".cm-lintRange-error")).to_have_count(0)
    expect(panel.get_by_role("button", name="Apply and Run")).to_be_enabled()

    # Asked again, the proposal is blocked again. An admin (the server's own user here)
    # may run it anyway, and says why.
    runs.get_by_role("button", name="Fix with Assistant").click()
    expect(report).to_have_class("jp-ScriptForge-guardrails jp-mod-blocked", timeout=20_000)
    panel.get_by_role("button", name="Override and Run…").click()
    dialog = page.locator(".jp-Dialog")
    dialog.locator("input").fill("checked by hand")
    dialog.get_by_role("button", name="Override").click()
    output = runs.get_by_label("Run output")
    expect(output).to_contain_text("overridden by an admin", timeout=30_000)
    record = api(lab, "GET", "audit?action=override")["records"][0]
    assert record["verdict"] == "overridden"
    assert record["details"]["reason"] == "checked by hand"
