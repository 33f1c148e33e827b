"""The ScriptForge persona answers in a Jupyter AI chat, through the server's assistant."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from time import time
from types import SimpleNamespace
from typing import Any

import pytest
from jupyter_ai_persona_manager.handlers import CancelHandler
from jupyter_server.utils import url_path_join
from jupyterlab_chat.models import Message
from jupyterlab_chat.websocket_model import WsChatModel

from jupyter_scriptforge.assistant.persona import ScriptForgePersona, _afterword
from tests.assistant.jupyter_ai import server_config, stop_jupyter_ai_tasks, write_config

HOSTILE_ANSWER = "Run this:\n```python\nimport os\nos.system('rm -rf ~')\n```\n"
# Two blocks, and only the second is hostile.
TWO_BLOCKS = (
    "Check first:\n```python\nprint('cleaning up')\n```\n"
    "Then:\n```python\nimport os\nos.system('rm -rf ~')\n```\n"
)
# Streamed three characters at a time: thousands of pieces, time enough to press stop.
LONG_ANSWER = "A long script.\n```python\n" + "print('one more step')\n" * 1000 + "```\n"

# Jupyternaut runs in these tests' server: stop its watcher with it.
__all__ = ["stop_jupyter_ai_tasks"]


@pytest.fixture
def jupyter_ai(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Jupyter AI's config; ``indirect`` parameter: the mock model's answer, or parameters."""
    param = getattr(request, "param", None)
    extra = param if isinstance(param, dict) else {"mock_response": param} if param else {}
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


@pytest.mark.parametrize("jupyter_ai", [TWO_BLOCKS], indirect=True)
async def test_each_code_block_of_an_answer_is_flagged_by_its_number(jp_serverapp, tmp_path):
    persona, chat, message = ask_in_a_chat(tmp_path, "Clean up, but tell me first")

    await persona.process_message(message)

    replies = [m.body for m in chat.get_messages() if m.sender == persona.id]
    assert "**block**" in replies[1]
    assert "- block 2, line 2: " in replies[1]
    assert "SF102" in replies[1]
    assert "block 1" not in replies[1]  # the first block is fine


def test_the_afterword_reads_one_analysis_when_the_result_has_no_blocks():
    finding = {"line": 3, "message": "subprocess is denied", "rule": "SF101"}
    outcome = {"kind": "done", "analysis": {"verdict": "blocked", "findings": [finding]}}

    note = _afterword(outcome)

    assert note is not None
    assert note.endswith("\n- line 3: subprocess is denied (SF101)")
    assert _afterword({"kind": "done", "analysis": {"verdict": "ok", "findings": []}}) is None


def jupyter_ai_stop(jp_serverapp: Any, chat: WsChatModel, persona: ScriptForgePersona) -> None:
    """Jupyter AI's stop button, as far as the server goes: its cancel handler, finding this
    chat's personas where its persona manager extension registers them (that extension, with
    the router it needs, does not run in these tests)."""
    app = jp_serverapp.web_app
    app.add_handlers(
        ".*$", [(url_path_join(app.settings["base_url"], "api/ai/personas/cancel"), CancelHandler)]
    )
    managers = app.settings.setdefault("jupyter-ai", {}).setdefault("persona-managers", {})
    managers[chat.get_id()] = SimpleNamespace(personas={persona.id: persona})


async def press_stop(jp_fetch: Any, chat: WsChatModel) -> list[str]:
    """POST what the chat's stop button posts → the personas it stopped."""
    response = await jp_fetch(
        "api", "ai", "personas", "cancel", method="POST", body="", params={"chat_id": chat.get_id()}
    )
    return list(json.loads(response.body)["cancelled"])


@pytest.mark.parametrize("jupyter_ai", [LONG_ANSWER], indirect=True)
async def test_the_stop_button_ends_the_answer_and_the_audit_says_so(
    jp_serverapp, jp_fetch, tmp_path
):
    persona, chat, message = ask_in_a_chat(tmp_path, "Write a long script")
    jupyter_ai_stop(jp_serverapp, chat, persona)

    answering = asyncio.create_task(persona.on_message(message))  # as the persona manager does
    while not any(m.sender == persona.id and m.body for m in chat.get_messages()):
        assert not answering.done()
        await asyncio.sleep(0.005)
    stopped = await press_stop(jp_fetch, chat)
    await asyncio.wait_for(answering, 10)

    assert stopped == [persona.id]
    replies = [m.body for m in chat.get_messages() if m.sender == persona.id]
    assert len(replies) == 1  # no afterword, no error
    assert LONG_ANSWER.startswith(replies[0])
    assert len(replies[0]) < len(LONG_ANSWER) // 2  # stopped early
    assert not persona.processing
    audit = jp_serverapp.web_app.settings["scriptforge.audit"]
    record = (await audit.records(action="chat"))[0]
    assert record["verdict"] == "cancelled"
    assert record["details"]["error"] == {"error": "cancelled"}
    assert LONG_ANSWER.startswith(record["response"])
    assert len(record["response"]) < len(LONG_ANSWER) // 2


@pytest.mark.parametrize("jupyter_ai", [{"mock_delay": 60}], indirect=True)
async def test_the_stop_button_ends_the_wait_for_a_stalled_model(jp_serverapp, jp_fetch, tmp_path):
    persona, chat, message = ask_in_a_chat(tmp_path, "Write a script")
    jupyter_ai_stop(jp_serverapp, chat, persona)

    answering = asyncio.create_task(persona.on_message(message))
    await asyncio.sleep(1)  # past the request's preparation: waiting for the model
    assert persona.processing
    stopped = await press_stop(jp_fetch, chat)
    await asyncio.wait_for(answering, 10)  # not the model's minute

    assert stopped == [persona.id]
    assert not [m for m in chat.get_messages() if m.sender == persona.id]
    audit = jp_serverapp.web_app.settings["scriptforge.audit"]
    record = (await audit.records(action="chat"))[0]
    assert (record["verdict"], record["response"]) == ("cancelled", "")
