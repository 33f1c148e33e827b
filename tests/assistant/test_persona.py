"""The ScriptForge persona answers in a Jupyter AI chat, through the server's assistant."""

from __future__ import annotations

import os
from pathlib import Path
from time import time
from typing import Any

import pytest
from jupyterlab_chat.models import Message
from jupyterlab_chat.websocket_model import WsChatModel

from jupyter_scriptforge.assistant.persona import ScriptForgePersona
from tests.assistant.jupyter_ai import server_config, stop_jupyter_ai_tasks, write_config

HOSTILE_ANSWER = "Run this:\n```python\nimport os\nos.system('rm -rf ~')\n```\n"

# Jupyternaut runs in these tests' server: stop its watcher with it.
__all__ = ["stop_jupyter_ai_tasks"]


@pytest.fixture
def jupyter_ai(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Jupyter AI's config; ``indirect`` parameter: the mock model's answer."""
    answer = getattr(request, "param", None)
    extra = {"mock_response": answer} if answer else {}
    return write_config(tmp_path / "jupyter_ai" / "config.json", **extra)


@pytest.fixture
def jp_server_config(db_url: str, jupyter_ai: Path) -> dict[str, Any]:
    return server_config(db_url, jupyter_ai, runs_instance=f"pytest-{os.getpid()}")


def ask_in_a_chat(tmp_path: Path, question: str) -> tuple[ScriptForgePersona, WsChatModel, Message]:
    chat = WsChatModel(path="team.chat", root_dir=tmp_path)
    persona = ScriptForgePersona(chat=chat)
    message = Message(id="m1", body=question, time=time(), sender="alice")
    return persona, chat, message


async def test_the_persona_answers_a_question_in_the_chat(jp_serverapp, tmp_path):
    persona, chat, message = ask_in_a_chat(tmp_path, "How do I print a greeting?")

    await persona.process_message(message)

    replies = [m for m in chat.get_messages() if m.sender == persona.id]
    assert len(replies) == 1
    assert "hello from the assistant" in replies[0].body  # the model's streamed answer
    audit = jp_serverapp.web_app.settings["scriptforge.audit"]
    record = (await audit.records(action="chat"))[0]
    assert record["user"] == "alice"
    assert record["prompt"].endswith("How do I print a greeting?")


@pytest.mark.parametrize("jupyter_ai", [HOSTILE_ANSWER], indirect=True)
async def test_hostile_code_in_an_answer_is_flagged_in_the_chat(jp_serverapp, tmp_path):
    persona, chat, message = ask_in_a_chat(tmp_path, "Clean up my home folder")

    await persona.process_message(message)

    replies = [m.body for m in chat.get_messages() if m.sender == persona.id]
    assert "os.system" in replies[0]
    assert "block" in replies[1]
    assert "line 2" in replies[1]
    assert "SF102" in replies[1]


async def test_secrets_in_a_question_never_reach_the_model(jp_serverapp, tmp_path):
    persona, _, message = ask_in_a_chat(
        tmp_path, 'Why does this fail? api_key = "sk-abcdefghijklmnopqrstuvwxyz123456"'
    )

    await persona.process_message(message)

    audit = jp_serverapp.web_app.settings["scriptforge.audit"]
    record = (await audit.records(action="chat"))[0]
    assert "sk-abcdefghijklmnopqrstuvwxyz123456" not in record["prompt"]
    assert "api_key" in record["prompt"]
