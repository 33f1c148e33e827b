"""Jupyter AI as the tests run it: the real Jupyternaut server extension and its config file.

The config file names a litellm model and, among its parameters, litellm's
``mock_response``: the real path (Jupyter AI's config manager → ScriptForge → litellm →
streaming) runs, and only the provider is replaced, offline and without a key.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests import language_tools

MODEL = "openai/gpt-4o-mini"

# What the mock model answers: prose around one python block, long enough to stream in
# several pieces.
ANSWER = (
    "Here is the script.\n"
    "```python\n"
    "import sys\n\n\n"
    "def main() -> None:\n"
    '    print("hello from the assistant", file=sys.stdout)\n\n\n'
    'if __name__ == "__main__":\n'
    "    main()\n"
    "```\n"
    "It prints a greeting."
)


def write_config(path: Path, model: str | None = MODEL, **params: Any) -> Path:
    """A Jupyter AI config file choosing ``model`` with ``params`` (mock_response: ANSWER)."""
    params.setdefault("mock_response", ANSWER)
    config: dict[str, Any] = {"model_provider_id": model, "fields": {}}
    if model:
        config["fields"][model] = params
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(config))
    return path


def server_config(db_url: str, config_path: Path | None, **scriptforge: Any) -> dict[str, Any]:
    """pytest-jupyter's server config: ScriptForge, plus Jupyternaut reading ``config_path``
    (None: without Jupyter AI at all)."""
    extensions = {"jupyter_scriptforge": True}
    config: dict[str, Any] = {
        "ServerApp": {"jpserver_extensions": extensions},
        "ScriptForgeApp": {"db_url": db_url, **language_tools.SETTINGS, **scriptforge},
    }
    if config_path is not None:
        extensions["jupyter_ai_jupyternaut"] = True
        config["ConfigManager"] = {"config_path": str(config_path)}
    return config


def parse_events(body: bytes) -> list[tuple[str, Any]]:
    """Server-sent events as (event, decoded data)."""
    events = []
    for block in body.decode().split("\n\n"):
        if not block.strip():
            continue
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((fields["event"], json.loads(fields["data"])))
    return events


@pytest.fixture(autouse=True)
def stop_jupyter_ai_tasks(jp_serverapp: Any) -> Any:
    """Jupyternaut's .env watcher never stops by itself; stop it with the server.
    (Import it into a test module that runs Jupyternaut.)"""
    yield
    secrets = jp_serverapp.web_app.settings.get("jupyternaut.secrets_manager")
    task = getattr(secrets, "_watch_dotenv_task", None)
    if task is not None:
        task.cancel()
