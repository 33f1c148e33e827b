"""What a user meets first: the Launcher's Script tile, the Assistant before any model is
configured, and how each runner boxes a run in (the Scripts panel's Server section)."""

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.ui import api, use_theme
from tests.jupyter_process import JupyterProcess, running_jupyter

# Not under docs/images: these are looked at while working on the panels, not published.
SHOTS = Path(os.environ.get("SCRIPTFORGE_SHOTS", Path(tempfile.gettempdir()) / "shots"))

SCRIPTS = "#jp-scriptforge-scripts"
ASSISTANT = "#jp-scriptforge-assistant"
# The isolation labels the Server section shows (labextension/src/catalog/healthView.tsx).
ISOLATION_LABELS = {
    "bwrap": "bubblewrap",
    "bwrap-unprivileged": "bubblewrap, rootless",
    "process": "process only",
    "docker": "container",
    "unavailable": "unavailable",
}


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name))


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterProcess]:
    # Jupyter AI reads a config of its own, not the user's: no chat model whatever this
    # machine's user has set up.
    ai_config = tmp_path_factory.mktemp("jupyter-ai") / "config.json"
    with running_jupyter(
        tmp_path_factory.mktemp("lab"),
        extra_args=(
            "--LabApp.expose_app_in_browser=True",
            f"--ConfigManager.config_path={ai_config}",
        ),
    ) as server:
        yield server


def test_the_launcher_script_tile_creates_a_script_and_opens_it(
    page: Page, lab: JupyterProcess
) -> None:
    launcher = page.locator(".jp-Launcher:visible")
    if launcher.count() == 0:
        # No return value: the Launcher widget the command resolves to is not serialisable.
        page.evaluate("() => { window.jupyterapp.commands.execute('launcher:create'); }")
    # Beside JupyterLab's own file kinds, with ScriptForge's mark.
    section = launcher.locator(".jp-Launcher-section", has_text="Python File")
    tile = section.get_by_role("button", name="Script", exact=True)
    expect(tile).to_be_visible(timeout=20_000)
    expect(tile).to_have_attribute("title", "Create a script in the catalog and open it")
    expect(tile.locator('svg[data-icon="jupyter-scriptforge:forge"]')).to_be_visible()
    shot(page, "launcher-tile.png")

    tile.click()
    dialog = page.locator(".jp-Dialog")
    dialog.locator("input").fill("launched/first_script")
    dialog.get_by_role("button", name="Create").click()

    expect(page.locator(".lm-TabBar-tab.jp-mod-current", has_text="first_script.py")).to_be_visible(
        timeout=20_000
    )
    expect(page.locator(".jp-FileEditor:visible .cm-content")).to_be_visible()
    # The editor took the Launcher's place, as a new file from the Launcher does.
    expect(page.locator(".lm-TabBar-tab", has_text="Launcher")).to_have_count(0)
    [script] = api(lab, "GET", "scripts?folder=launched")["items"]
    assert script["name"] == "first_script"


def test_the_assistant_without_a_model_says_what_one_needs_and_opens_the_settings(
    page: Page,
) -> None:
    page.locator(f'.jp-SideBar [data-id="{ASSISTANT[1:]}"]').click()
    panel = page.locator(ASSISTANT)
    panel.get_by_label("Ask the assistant").fill("Print the totals per region")
    panel.get_by_role("button", name="Ask").click()

    note = panel.locator(".jp-ScriptForge-noModel")
    expect(note).to_contain_text("No language model is configured.", timeout=20_000)
    expect(note).to_contain_text(
        "A model needs the API key of a provider (OpenAI, Anthropic, …) "
        "or a local model such as Ollama."
    )
    button = note.get_by_role("button", name="Open AI Settings")
    expect(button).to_be_visible()
    shot(page, "assistant-no-model.png")
    use_theme(page, "JupyterLab Dark")
    shot(page, "assistant-no-model-dark.png")
    use_theme(page, "JupyterLab Light")

    button.click()
    # Jupyter AI's own settings view, in its tab.
    expect(
        page.locator(".lm-TabBar-tab.jp-mod-current", has_text="Jupyternaut settings")
    ).to_be_visible(timeout=20_000)
    expect(page.locator('[id="jupyter-ai::settings"]')).to_be_visible()
    shot(page, "assistant-no-model-settings.png")


def test_the_server_section_shows_each_runners_sandbox_and_how_to_strengthen_it(
    page: Page, lab: JupyterProcess
) -> None:
    sandboxes = api(lab, "GET", "health")["sandboxes"]
    assert "local" in {sandbox["runner"] for sandbox in sandboxes}

    page.locator(f'.jp-SideBar [data-id="{SCRIPTS[1:]}"]').click()
    panel = page.locator(SCRIPTS)
    panel.get_by_text("Server", exact=True).click()
    runners = panel.locator('[data-field="runners"]')
    for sandbox in sandboxes:
        entry = runners.locator(f'[data-runner="{sandbox["runner"]}"]')
        expect(entry.locator(".jp-ScriptForge-isolation")).to_have_text(
            ISOLATION_LABELS[sandbox["isolation"]]
        )
        expect(entry.locator(".jp-ScriptForge-sandboxSummary")).to_have_text(sandbox["summary"])
        advice = entry.get_by_role(
            "list", name=f"How to strengthen the {sandbox['runner']} sandbox"
        )
        if sandbox["advice"]:
            expect(advice.get_by_role("listitem")).to_have_text(sandbox["advice"])
        else:
            expect(advice).to_have_count(0)
    shot(page, "server-sandboxes.png")
    use_theme(page, "JupyterLab Dark")
    shot(page, "server-sandboxes-dark.png")
    use_theme(page, "JupyterLab Light")
