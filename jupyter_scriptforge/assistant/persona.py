"""ScriptForge in Jupyter AI's chat: a persona (entry point ``jupyter_ai.personas``) that
answers through the same model access, prompt filter, guardrails and audit as the
assistant endpoints."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, ClassVar

from jupyter_ai_persona_manager import BasePersona, PersonaDefaults
from jupyterlab_chat.models import Message

from ..errors import ScriptForgeError
from .service import AssistantService

AVATAR = Path(__file__).with_name("scriptforge-avatar.svg")


class ScriptForgePersona(BasePersona):  # type: ignore[misc]  # Jupyter AI is untyped
    """Answers questions about writing and fixing scripts; code in its answers is checked."""

    # The assistant service of this server, set when ScriptForge loads (Jupyter AI binds
    # its config manager to its own persona the same way): personas are made by Jupyter AI's
    # persona manager, from an entry point, with no way to hand them a service.
    assistant: ClassVar[AssistantService | None] = None

    @property
    def defaults(self) -> PersonaDefaults:
        return PersonaDefaults(
            name="ScriptForge",
            description=(
                "Writes, edits, explains and fixes Python scripts; code it proposes is "
                "checked by ScriptForge's guardrails."
            ),
            avatar_path=str(AVATAR),
            system_prompt="",  # ScriptForge's own prompts are used
        )

    async def process_message(self, message: Message) -> None:
        service = self.assistant
        if service is None:
            self.send_message(
                "ScriptForge is not running in this Jupyter server, so I cannot answer here."
            )
            return
        try:
            reply = await service.chat(_sender(message), message.body)
        except ScriptForgeError as error:
            self.send_message(error.message)
            return
        outcome: dict[str, Any] = {}

        async def tokens() -> AsyncIterator[str]:
            async for kind, data in service.events(reply):
                if kind == "token":
                    yield data["text"]
                else:
                    outcome.update(data, kind=kind)

        await self.stream_message(tokens())
        note = _afterword(outcome)
        if note:
            self.send_message(note)


def _sender(message: Message) -> str:
    return str(getattr(message, "sender", "") or "chat user")


def _afterword(outcome: dict[str, Any]) -> str | None:
    """What to say after the answer: the error, or the guardrails' findings on its code."""
    if outcome.get("kind") == "error":
        return str(outcome.get("message") or "The assistant failed.")
    analysis = outcome.get("analysis")
    if not isinstance(analysis, dict) or analysis.get("verdict") == "ok":
        return None
    findings = analysis.get("findings") or []
    lines = [
        f"- line {f.get('line')}: {f.get('message')} ({f.get('rule')})"
        for f in findings
        if isinstance(f, dict)
    ]
    head = (
        "⚠ ScriptForge's guardrails **block** this code from a one-click run:"
        if analysis.get("verdict") == "blocked"
        else "ScriptForge's guardrails have warnings about this code:"
    )
    return "\n".join([head, *lines])
