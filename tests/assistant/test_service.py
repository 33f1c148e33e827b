"""The assistant service's seams: the prompt filter, the analysis and the audit."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from jupyter_scriptforge.assistant.model import LiteLLMModel, Message
from jupyter_scriptforge.assistant.service import (
    ATTACHMENT_MAX_BYTES,
    AssistantService,
    ChatFile,
)
from jupyter_scriptforge.audit import AuditEntry
from jupyter_scriptforge.catalog.service import Page
from jupyter_scriptforge.errors import InvalidInput
from jupyter_scriptforge.execution.interpreters import InterpreterRegistry
from jupyter_scriptforge.guardrails import GuardrailService, PromptTooLarge
from jupyter_scriptforge.rights import Actor
from tests.assistant.jupyter_ai import ANSWER, MODEL


class Recording:
    """A ModelSource whose model is litellm's mock, remembering what it was sent."""

    def __init__(self) -> None:
        self.sent: list[Sequence[Message]] = []

    def model(self) -> Any:
        source = self

        class Model(LiteLLMModel):
            async def stream(self, messages: Sequence[Message]) -> AsyncIterator[str]:
                source.sent.append(messages)
                async for piece in super().stream(messages):
                    yield piece

        return Model(MODEL, {"mock_response": ANSWER})


def service(**seams: Any) -> tuple[AssistantService, Recording, list[AuditEntry]]:
    entries: list[AuditEntry] = []

    async def audit(entry: AuditEntry) -> None:
        entries.append(entry)

    models = Recording()
    interpreters = InterpreterRegistry({}, search=False)
    assistant = AssistantService(
        models,
        None,  # type: ignore[arg-type]  # catalog, versions, runs: not used by these actions
        None,  # type: ignore[arg-type]
        None,  # type: ignore[arg-type]
        interpreters,
        audit=audit,
        **seams,
    )
    return assistant, models, entries


async def events(assistant: AssistantService, reply: Any) -> list[tuple[str, Any]]:
    return [event async for event in assistant.events(reply)]


async def test_the_prompt_filter_sees_every_user_text_before_the_model_does():
    guardrails = GuardrailService()
    assistant, models, entries = service(prompt_filter=guardrails.redaction)

    reply = await assistant.explain(
        Actor.with_all_rights("alice"),
        "api_key = 's3cr3t'\n",
        selection="login(api_key='s3cr3t')",
        question="Why?",
    )
    await events(assistant, reply)

    sent = models.sent[0][-1]["content"]
    assert "s3cr3t" not in sent
    # One secret, one number, wherever it appears in the request.
    assert sent.count("«redacted-1»") == 2
    assert "«redacted-2»" not in sent
    assert entries[0].prompt == sent
    assert entries[0].details["redacted"] == {"secret_assignment": 2}


class Echo(Recording):
    """A model that writes back the code of the prompt's task, as a model keeping the
    placeholders it was given would."""

    def model(self) -> Any:
        source = self

        class Model(LiteLLMModel):
            async def stream(self, messages: Sequence[Message]) -> AsyncIterator[str]:
                source.sent.append(messages)
                task = messages[-1]["content"].split("Task:\n", 1)[1].split("\n\n")[0]
                yield f"```python\n{task}\nprint('connected')\n```\nUses {task!r}."

        return Model(MODEL, {})


async def test_the_answer_gets_the_secrets_back_and_the_audit_does_not():
    guardrails = GuardrailService()
    assistant, _, entries = service(prompt_filter=guardrails.redaction, analyze=guardrails.report)
    assistant.models = Echo()

    found = await events(
        assistant, await assistant.generate(Actor.with_all_rights("bob"), 'db_password = "hunter2"')
    )

    kind, result = found[-1]
    assert kind == "done"
    assert result["code"] == "db_password = \"hunter2\"\nprint('connected')\n"
    assert "hunter2" in result["text"]
    assert "«redacted" not in result["text"]
    # The report is on the code as it will run: bandit sees the hard-coded password.
    assert any(f["rule"] == "B105" for f in result["analysis"]["findings"])
    [entry] = entries
    assert "hunter2" not in entry.prompt + entry.response + repr(entry.details)
    assert any(f["rule"] == "B105" for f in entry.details["analysis"]["findings"])


async def test_a_request_refused_before_the_model_is_asked_is_audited():
    assistant, models, entries = service(
        prompt_filter=GuardrailService(max_prompt_chars=40).redaction
    )

    with pytest.raises(PromptTooLarge):
        await assistant.generate(Actor.with_all_rights("dan"), "Write " + "a very long thing " * 10)
    with pytest.raises(InvalidInput):
        await assistant.chat(Actor.with_all_rights("dan"), "  ")

    assert models.sent == []
    assert [(e.action, e.verdict, e.prompt) for e in entries] == [
        ("generate", "too_large", ""),
        ("chat", "bad_request", ""),
    ]
    assert entries[0].details["max_chars"] == 40


async def test_blocked_code_is_held_and_said_to_be():
    held: list[tuple[str, str, str]] = []

    async def hold(code: str, analysis: dict[str, Any], user: str, action: str) -> bool:
        held.append((code, user, action))
        return analysis["verdict"] == "blocked"

    assistant, _, _ = service(
        analyze=lambda code, original=None: {"verdict": "blocked", "findings": []}, hold=hold
    )

    found = await events(
        assistant, await assistant.generate(Actor.with_all_rights("erin"), "Greet.")
    )

    result = found[-1][1]
    assert result["analysis"]["held"] is True
    assert held == [(result["code"], "erin", "generate")]


async def test_generated_code_is_analysed_and_its_verdict_audited():
    analysed: list[str] = []

    def analyze(code: str, original: str | None = None) -> dict[str, Any]:
        analysed.append(code)
        return {"verdict": "warn", "findings": []}

    assistant, _, entries = service(analyze=analyze)

    found = await events(
        assistant, await assistant.generate(Actor.with_all_rights("bob"), "Greet.")
    )

    kind, result = found[-1]
    assert kind == "done"
    assert result["analysis"] == {"verdict": "warn", "findings": [], "held": False}
    assert analysed == [result["code"]]
    assert (entries[0].verdict, entries[0].details["analysis"]["verdict"]) == ("warn", "warn")


async def test_a_failing_analysis_is_an_error_event_not_a_silent_pass():
    def analyze(code: str, original: str | None = None) -> dict[str, Any]:
        raise RuntimeError("bandit broke")

    assistant, _, entries = service(analyze=analyze)

    found = await events(
        assistant, await assistant.generate(Actor.with_all_rights("bob"), "Greet.")
    )

    assert found[-1] == ("error", {"error": "server_error", "message": "Unhandled error"})
    assert entries[0].verdict == "server_error"
    assert entries[0].response == ANSWER


async def test_chat_answers_for_the_persona_and_analyses_code_in_the_answer():
    assistant, models, entries = service(
        analyze=lambda code, original=None: {"verdict": "ok", "findings": []}
    )

    found = await events(
        assistant, await assistant.chat(Actor.with_all_rights("carol"), "How do I greet?")
    )

    kind, result = found[-1]
    assert kind == "done"
    assert (result["action"], result["text"]) == ("chat", ANSWER)
    assert result["analysis"]["verdict"] == "ok"
    assert "How do I greet?" in models.sent[0][-1]["content"]
    assert entries[0].action == "chat"


async def test_attached_files_share_the_question_s_placeholders_and_only_their_paths_are_audited():
    guardrails = GuardrailService()
    assistant, models, entries = service(prompt_filter=guardrails.redaction)
    attached = ChatFile("conf/app.ini", text='api_key = "s3cr3t"\nregion = "eu"\n')

    reply = await assistant.chat(
        Actor.with_all_rights("carol"), 'Is api_key = "s3cr3t" the one in the file?', [attached]
    )
    await events(assistant, reply)

    sent = models.sent[0][-1]["content"]
    assert "s3cr3t" not in sent
    assert sent.count("«redacted-1»") == 2  # the question's and the file's: one number
    assert "«redacted-2»" not in sent
    assert 'Attached file conf/app.ini:\n```\napi_key = "«redacted-1»"\nregion = "eu"\n```' in sent
    [entry] = entries
    assert entry.prompt == sent
    assert entry.details["attachments"] == ["conf/app.ini"]
    assert "s3cr3t" not in repr(entry.details)


async def test_attached_files_count_towards_the_prompt_cap():
    assistant, models, entries = service(
        prompt_filter=GuardrailService(max_prompt_chars=100).redaction
    )

    with pytest.raises(PromptTooLarge):
        await assistant.chat(
            Actor.with_all_rights("dan"), "Explain", [ChatFile("big.txt", text="x" * 100)]
        )

    assert models.sent == []
    assert (entries[0].verdict, entries[0].prompt) == ("too_large", "")


async def test_an_attachment_is_read_as_text_only_when_it_is_a_text_file_under_the_root(
    tmp_path: Path,
):
    root = tmp_path / "root"
    (root / "data").mkdir(parents=True)
    (root / "data" / "sample.csv").write_text("id,name\n1,ada\n")
    (root / "blob.bin").write_bytes(b"\x89PNG\r\n\x1a\n\0\0")
    (root / "latin.txt").write_bytes("café".encode("latin-1"))
    (root / "big.log").write_text("é" * ATTACHMENT_MAX_BYTES)  # two bytes each
    (tmp_path / "outside.txt").write_text("not yours")
    (root / "link.txt").symlink_to(tmp_path / "outside.txt")

    async def no_script(viewer: str, **filters: Any) -> Page:
        return Page([], None)

    assistant, _, _ = service()
    assistant._catalog = SimpleNamespace(  # type: ignore[assignment]
        list=no_script, files=SimpleNamespace(root_dir=root.resolve())
    )

    found = await assistant.attachment("erin", "data/sample.csv")
    assert found == ChatFile("data/sample.csv", text="id,name\n1,ada\n")
    big = await assistant.attachment("erin", "big.log")
    assert big is not None
    assert big.text is not None
    assert big.text.endswith("é\n[ScriptForge: cut after 1,048,576 bytes]")
    for unreadable in (
        "blob.bin",
        "latin.txt",
        "missing.txt",
        "data",
        "../outside.txt",
        "link.txt",
    ):
        assert await assistant.attachment("erin", unreadable) is None, unreadable


async def test_code_already_streamed_is_held_when_the_client_leaves_before_the_end():
    """The closing fence arrived, then the tab closed: the client has a whole hostile
    script, so it is held and audited though the answer never ended."""
    guardrails = GuardrailService()
    held: list[str] = []

    async def hold(code: str, analysis: dict[str, Any], user: str, action: str) -> bool:
        held.append(code)
        return True

    assistant, _, entries = service(analyze=guardrails.report, hold=hold)

    class Slow(Recording):
        def model(self) -> Any:
            class Model(LiteLLMModel):
                async def stream(self, messages: Sequence[Message]) -> AsyncIterator[str]:
                    yield "```python\nimport os\nos.system('id')\n```\n"
                    yield "And now a long explanation"

            return Model(MODEL, {})

    assistant.models = Slow()
    stream = assistant.events(await assistant.generate(Actor.with_all_rights("fred"), "Run id."))
    kind, _ = await anext(stream)
    await stream.aclose()

    assert kind == "token"
    assert held == ["import os\nos.system('id')\n"]
    [entry] = entries
    assert entry.verdict == "cancelled"
    assert entry.details["analysis"]["verdict"] == "blocked"
