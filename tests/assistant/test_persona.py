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
from jupyterlab_chat.models import FileAttachment, Message, NotebookAttachment
from jupyterlab_chat.websocket_model import WsChatModel

from jupyter_scriptforge.assistant.persona import ScriptForgePersona, _afterword, _proposal
from jupyter_scriptforge.assistant.service import ChatFile
from jupyter_scriptforge.catalog.script_requests import NewScript
from jupyter_scriptforge.catalog.service import ScriptInfo
from jupyter_scriptforge.execution.run_requests import RunRequest
from jupyter_scriptforge.rights import Actor
from jupyter_scriptforge.services import services_of
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
def jp_server_config(
    db_url: str, jupyter_ai: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    # The server is alice's, as JupyterHub would start it for her.
    monkeypatch.setenv("JUPYTERHUB_USER", "alice")
    return server_config(db_url, jupyter_ai, runs_instance=f"pytest-{os.getpid()}")


def ask_in_a_chat(tmp_path: Path, question: str) -> tuple[ScriptForgePersona, WsChatModel, Message]:
    chat = WsChatModel(path="team.chat", root_dir=tmp_path)
    persona = ScriptForgePersona(chat=chat)
    # What the chat client says of itself (an anonymous id for a token login) is not who
    # asks: the persona acts for the server's user, as the REST API does.
    message = Message(id="m1", body=question, time=time(), sender="3f2a9c0d4e5b")
    return persona, chat, message


# A script with a secret in it, and an answer that changes it as a whole file would.
JOB = (
    "import csv\n"
    "import sys\n\n"
    'db_password = "hunter2-not-for-models"\n\n\n'
    "def load(path: str) -> list[dict[str, str]]:\n"
    "    with open(path, newline='') as handle:\n"
    "        return list(csv.DictReader(handle))\n\n\n"
    "def main() -> None:\n"
    "    rows = load(sys.argv[1])\n"
    '    print("job done", len(rows), file=sys.stdout)\n\n\n'
    "main()\n"
)
# The model got a placeholder for the password, and keeps it.
WHOLE_FILE_ANSWER = (
    "Here it is, in full:\n```python\n"
    + JOB.replace("job done", "job done, all rows loaded").replace(
        "hunter2-not-for-models", "«redacted-1»"
    )
    + "```\nOnly the message changed."
)


async def create_script(jp_serverapp: Any, name: str, content: str) -> ScriptInfo:
    catalog = services_of(jp_serverapp.web_app.settings).catalog
    return await catalog.create(
        Actor.with_all_rights("alice"), NewScript(name=name, folder="etl", content=content)
    )


def attach(chat: WsChatModel, message: Message, *attachments: Any) -> Message:
    """``message`` with ``attachments`` (file or notebook models, or made-up ids) in ``chat``."""
    message.attachments = [a if isinstance(a, str) else chat.set_attachment(a) for a in attachments]
    return message


async def chat_record(jp_serverapp: Any) -> dict[str, Any]:
    audit = services_of(jp_serverapp.web_app.settings).audit
    [record] = await audit.records(Actor.with_all_rights("admin"), action="chat")
    return record  # type: ignore[no-any-return]


async def test_the_persona_answers_a_question_in_the_chat(jp_serverapp, tmp_path):
    persona, chat, message = ask_in_a_chat(tmp_path, "How do I print a greeting?")

    await persona.process_message(message)

    replies = [m for m in chat.get_messages() if m.sender == persona.id]
    assert len(replies) == 1
    assert "hello from the assistant" in replies[0].body  # the model's streamed answer
    audit = services_of(jp_serverapp.web_app.settings).audit
    record = (await audit.records(Actor.with_all_rights("admin"), action="chat"))[0]
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

    audit = services_of(jp_serverapp.web_app.settings).audit
    record = (await audit.records(Actor.with_all_rights("admin"), action="chat"))[0]
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


async def test_an_attached_script_goes_to_the_model_redacted(jp_serverapp, tmp_path):
    script = await create_script(jp_serverapp, "job", JOB)
    persona, chat, message = ask_in_a_chat(tmp_path, "What does this script do?")

    await persona.process_message(attach(chat, message, FileAttachment(value=script.path)))

    record = await chat_record(jp_serverapp)
    prompt = record["prompt"]
    assert f"Attached ScriptForge script job ({script.path}).\nTarget interpreter: " in prompt
    assert "hunter2" not in prompt
    assert JOB.replace('"hunter2-not-for-models"', '"«redacted-1»"') in prompt
    assert prompt.endswith("Question:\nWhat does this script do?")
    assert "latest run" not in prompt  # it never ran
    assert record["details"]["attachments"] == [script.path]
    assert record["details"]["script_id"] == script.id
    assert record["details"]["base_version_id"] == script.head_version_id
    assert "hunter2" not in json.dumps(record)
    # The default answer is a script of its own, no change of this one: no diff.
    replies = [m.body for m in chat.get_messages() if m.sender == persona.id]
    assert len(replies) == 1


async def test_a_working_copy_newer_than_the_head_is_what_the_model_sees(
    jp_serverapp, jp_root_dir, tmp_path
):
    script = await create_script(jp_serverapp, "job", JOB)
    # Edited outside Jupyter: no snapshot yet, the head is the older content.
    (jp_root_dir / script.path).write_text(JOB.replace("job done", "job edited"))
    persona, chat, message = ask_in_a_chat(tmp_path, "What does this script do?")

    await persona.process_message(attach(chat, message, FileAttachment(value=script.path)))

    record = await chat_record(jp_serverapp)
    assert "job edited" in record["prompt"]
    assert "job done" not in record["prompt"]
    assert record["details"]["base_version_id"] == script.head_version_id


@pytest.mark.parametrize("jupyter_ai", [WHOLE_FILE_ANSWER], indirect=True)
async def test_a_whole_file_answer_about_an_attached_script_is_shown_as_a_diff(
    jp_serverapp, tmp_path
):
    script = await create_script(jp_serverapp, "job", JOB)
    persona, chat, message = ask_in_a_chat(tmp_path, "Make it say that all rows loaded")

    await persona.process_message(attach(chat, message, FileAttachment(value=script.path)))

    replies = [m.body for m in chat.get_messages() if m.sender == persona.id]
    assert len(replies) == 3  # the answer, the diff, the guardrails' findings
    assert replies[1].startswith(f"Proposed change to `{script.path}`:\n```diff\n")
    assert '-    print("job done", len(rows), file=sys.stdout)\n' in replies[1]
    assert '+    print("job done, all rows loaded", len(rows), file=sys.stdout)\n' in replies[1]
    assert "Assistant panel (*Open the Assistant*)" in replies[1]
    # The password is restored in the code the guardrails analyse (bandit's B105 quotes it),
    # but the chat, where the answer came with its placeholder, keeps that placeholder.
    assert "B105" in replies[2]
    assert "«redacted-1»" in replies[2]
    assert "hunter2" not in "".join(replies)
    # Nothing was applied.
    catalog = services_of(jp_serverapp.web_app.settings).catalog
    assert (await catalog.get(script.id, "alice")).head_version_id == script.head_version_id


async def test_a_failed_run_of_an_attached_script_goes_into_the_question(jp_serverapp, tmp_path):
    script = await create_script(jp_serverapp, "broken", "raise ValueError('boom')\n")
    runs = services_of(jp_serverapp.web_app.settings).runs
    run = await runs.submit(Actor.with_all_rights("alice"), RunRequest(script_id=script.id))
    async with asyncio.timeout(60):
        while (await runs.get("alice", run["id"]))["status"] in ("queued", "running"):  # noqa: ASYNC110
            await asyncio.sleep(0.05)
    persona, chat, message = ask_in_a_chat(tmp_path, "Why does this fail?")

    await persona.process_message(attach(chat, message, FileAttachment(value=script.path)))

    prompt = (await chat_record(jp_serverapp))["prompt"]
    assert "Its latest run failed. End of its output (the traceback, if any):\n" in prompt
    assert "ValueError: boom" in prompt


async def test_an_attached_text_file_goes_into_the_question(jp_serverapp, jp_root_dir, tmp_path):
    (jp_root_dir / "data").mkdir()
    (jp_root_dir / "data" / "sample.csv").write_text("id,name\n1,ada\n2,grace\n")
    persona, chat, message = ask_in_a_chat(tmp_path, "Parse this file")

    await persona.process_message(
        attach(chat, message, FileAttachment(value="data/sample.csv", mimetype="text/csv"))
    )

    record = await chat_record(jp_serverapp)
    assert "Attached file data/sample.csv:\n```\nid,name\n1,ada\n2,grace\n```" in record["prompt"]
    assert record["details"]["attachments"] == ["data/sample.csv"]
    assert "script_id" not in record["details"]  # no script: nothing to diff against


async def test_attachments_that_cannot_be_read_are_left_out_and_said_so(
    jp_serverapp, jp_root_dir, tmp_path
):
    (jp_root_dir / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
    persona, chat, message = ask_in_a_chat(tmp_path, "How do I print a greeting?")
    message = attach(
        chat,
        message,
        FileAttachment(value="gone/missing.py"),
        FileAttachment(value="logo.png"),
        NotebookAttachment(value="analysis.ipynb"),
        "no-such-attachment-id",
    )

    await persona.process_message(message)

    replies = [m.body for m in chat.get_messages() if m.sender == persona.id]
    assert replies[0] == (
        "I could not read `gone/missing.py`, `logo.png`, `analysis.ipynb`, "
        "so I answer without them."
    )
    assert "hello from the assistant" in replies[1]
    record = await chat_record(jp_serverapp)
    assert record["verdict"] != "error"
    assert "Attached" not in record["prompt"]
    assert "attachments" not in record["details"]


def test_a_long_diff_is_cut_in_the_chat():
    diff = "--- original\n+++ proposed\n" + "".join(f"+line {n}\n" for n in range(250))
    outcome = {"kind": "done", "diff": diff, "script_id": 7}

    note = _proposal(outcome, [ChatFile("data/x.csv", text=""), ChatFile("s/job.py", script_id=7)])

    assert note is not None
    assert note.startswith("Proposed change to `s/job.py`:\n```diff\n--- original\n")
    assert "+line 197\n```\n(52 more lines of the diff are not shown.)\n" in note
    assert _proposal({**outcome, "diff": ""}, []) is None
    assert _proposal({**outcome, "kind": "error"}, []) is None


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
    audit = services_of(jp_serverapp.web_app.settings).audit
    record = (await audit.records(Actor.with_all_rights("admin"), action="chat"))[0]
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
    audit = services_of(jp_serverapp.web_app.settings).audit
    record = (await audit.records(Actor.with_all_rights("admin"), action="chat"))[0]
    assert (record["verdict"], record["response"]) == ("cancelled", "")
