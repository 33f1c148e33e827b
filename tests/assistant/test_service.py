"""The assistant service's seams: the prompt filter, the analysis and the audit."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

from jupyter_scriptforge.assistant.model import LiteLLMModel, Message
from jupyter_scriptforge.assistant.service import AssistantService, AuditEntry
from jupyter_scriptforge.execution.interpreters import InterpreterRegistry
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
    assistant, models, entries = service(
        prompt_filter=lambda text: text.replace("s3cr3t", "«redacted»")
    )

    reply = await assistant.explain("alice", "key = 's3cr3t'\n", selection="print('s3cr3t')")
    await events(assistant, reply)

    sent = models.sent[0][-1]["content"]
    assert "s3cr3t" not in sent
    assert sent.count("«redacted»") == 2
    assert entries[0].prompt == sent


async def test_generated_code_is_analysed_and_its_verdict_audited():
    analysed: list[str] = []

    def analyze(code: str) -> dict[str, Any]:
        analysed.append(code)
        return {"verdict": "warn", "findings": []}

    assistant, _, entries = service(analyze=analyze)

    found = await events(assistant, await assistant.generate("bob", "Greet."))

    kind, result = found[-1]
    assert kind == "done"
    assert result["analysis"] == {"verdict": "warn", "findings": []}
    assert analysed == [result["code"]]
    assert (entries[0].verdict, entries[0].details["analysis"]["verdict"]) == ("warn", "warn")


async def test_a_failing_analysis_is_an_error_event_not_a_silent_pass():
    def analyze(code: str) -> dict[str, Any]:
        raise RuntimeError("bandit broke")

    assistant, _, entries = service(analyze=analyze)

    found = await events(assistant, await assistant.generate("bob", "Greet."))

    assert found[-1] == ("error", {"error": "server_error", "message": "Unhandled error"})
    assert entries[0].verdict == "server_error"
    assert entries[0].response == ANSWER


async def test_chat_answers_for_the_persona_and_analyses_code_in_the_answer():
    assistant, models, entries = service(analyze=lambda code: {"verdict": "ok", "findings": []})

    found = await events(assistant, await assistant.chat("carol", "How do I greet?"))

    kind, result = found[-1]
    assert kind == "done"
    assert (result["action"], result["text"]) == ("chat", ANSWER)
    assert result["analysis"]["verdict"] == "ok"
    assert "How do I greet?" in models.sent[0][-1]["content"]
    assert entries[0].action == "chat"
