"""ScriptForge in Jupyter AI's chat: a persona (entry point ``jupyter_ai.personas``) that
answers through the same model access, prompt filter, guardrails and audit as the
assistant endpoints.

Files attached to a message (jupyterlab_chat's ``Message.attachments``, ids into the chat's
``get_attachments()``) go into the question: a ScriptForge script with its interpreter and
its latest failed run, any other text file as it is. A change the answer proposes to the one
attached script is shown as a diff; nothing is applied from the chat.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, ClassVar

from jupyter_ai_persona_manager import BasePersona, PersonaDefaults
from jupyterlab_chat.models import FileAttachment, Message

from ..errors import ScriptForgeError
from ..rights import Actor, Right
from . import prompts
from .service import AssistantService, ChatFile

AVATAR = Path(__file__).with_name("scriptforge-avatar.svg")
# Longest the stop button waits for a stopped answer to wind down (its audit record).
CANCEL_WAIT = 10.0
# Most lines of a proposed change's diff shown in the chat.
DIFF_LINES = 200


# What a chat question may do: read the scripts it attaches and ask the model. Anyone who
# may chat on this server may do that much; nothing is saved or run from the chat.
CHAT_RIGHTS = frozenset({Right.READ, Right.ASSISTANT})


class ScriptForgePersona(BasePersona):  # type: ignore[misc]  # Jupyter AI is untyped
    """Answers questions about writing and fixing scripts; code in its answers is checked."""

    # The assistant service of this server, set when ScriptForge loads (Jupyter AI binds
    # its config manager to its own persona the same way): personas are made by Jupyter AI's
    # persona manager, from an entry point, with no way to hand them a service.
    assistant: ClassVar[AssistantService | None] = None
    # Who asks, to ScriptForge: the user of this server, as for its REST API. A chat sender
    # is whatever the client says (an anonymous id for a token login), not an identity.
    user: ClassVar[str | None] = None
    # The answer in progress, for the stop button (a persona answers one message at a time).
    _answering: asyncio.Task[None] | None = None

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
        # The answer runs in a task of its own, so that the chat's stop button
        # (``cancel_response``) can interrupt it wherever it waits, the model's stream above all.
        answering = asyncio.create_task(self._answer(message))
        self._answering = answering
        try:
            await answering
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                raise  # not the stop button: this whole reply is being cancelled
            # Stopped by the user: the answer stays as far as it came, with nothing after it.
        finally:
            self._answering = None

    async def cancel_response(self) -> None:
        """The chat's stop button (Jupyter AI's ``POST /api/ai/personas/cancel``): interrupt
        the answer, and return once it has stopped and its request is audited as cancelled."""
        answering = self._answering
        if answering is None or answering.done():
            return
        if not answering.cancelling():  # a second click must not cut short the audit write
            answering.cancel()
        await asyncio.wait({answering}, timeout=CANCEL_WAIT)

    async def _answer(self, message: Message) -> None:
        service = self.assistant
        if service is None:
            self.send_message(
                "ScriptForge is not running in this Jupyter server, so I cannot answer here."
            )
            return
        user = self.user or _sender(message)
        files, left_out = await self._attachments(service, user, message)
        if left_out:
            names = ", ".join(f"`{path}`" for path in left_out)
            them = "them" if len(left_out) > 1 else "it"
            self.send_message(f"I could not read {names}, so I answer without {them}.")
        try:
            reply = await service.chat(Actor(user, CHAT_RIGHTS), message.body, files)
        except ScriptForgeError as error:
            self.send_message(error.message)
            return
        events = service.events(reply)
        outcome: dict[str, Any] = {}

        async def tokens() -> AsyncIterator[str]:
            async for kind, data in events:
                if kind != "token":
                    outcome.update(data, kind=kind)
                elif _stopping():
                    raise asyncio.CancelledError
                else:
                    yield data["text"]

        try:
            await self.stream_message(tokens())
        finally:
            # Closed however the answer ended, so that the service records it now (a stopped
            # one as cancelled), not whenever the generator is collected.
            await events.aclose()
        # The answer streamed as the model wrote it, with the placeholders of the secrets
        # held back, and a chat may be shared: what follows it (the diff, findings quoting
        # lines of the restored code) keeps the placeholders too.
        conceal = reply.redaction.conceal if reply.redaction else str
        for note in (_proposal(outcome, files), _afterword(outcome)):
            if note:
                self.send_message(conceal(note))

    async def _attachments(
        self, service: AssistantService, user: str, message: Message
    ) -> tuple[list[ChatFile], list[str]]:
        """The files attached to ``message`` as the service reads them, and the paths of those
        it cannot (missing, binary; notebooks are not read: their JSON is no script)."""
        if not message.attachments:
            return [], []
        known = self.chat.get_attachments()
        files: list[ChatFile] = []
        left_out: list[str] = []
        for attachment_id in message.attachments:
            attachment = known.get(attachment_id)
            path = getattr(attachment, "value", None)
            if not isinstance(path, str) or not path:
                self.log.warning("ScriptForge: no attachment %s in this chat", attachment_id)
                continue
            if path in left_out or any(file.path == path for file in files):
                continue
            file = (
                await service.attachment(user, path)
                if isinstance(attachment, FileAttachment)
                else None
            )
            if file is None:
                left_out.append(path)
            else:
                files.append(file)
        return files, left_out


def _stopping() -> bool:
    """Whether the stop button was pressed during this answer. Python 3.11's
    ``asyncio.wait_for`` (which bounds each wait for the model) drops a cancel that lands as
    the model's next piece arrives, and a fast model keeps landing it there; the task still
    counts the request."""
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


def _sender(message: Message) -> str:
    return str(getattr(message, "sender", "") or "chat user")


def _proposal(outcome: dict[str, Any], files: list[ChatFile]) -> str | None:
    """The change the answer proposes to the attached script, as a diff (capped), and where
    to apply it: the Assistant panel reviews an edit chunk by chunk, the chat applies none."""
    diff = outcome.get("diff")
    if outcome.get("kind") != "done" or not isinstance(diff, str) or not diff:
        return None
    script = outcome.get("script_id")
    path = next((file.path for file in files if file.script_id == script), "the script")
    lines = diff.splitlines()
    parts = [f"Proposed change to `{path}`:", prompts.fenced("\n".join(lines[:DIFF_LINES]), "diff")]
    if len(lines) > DIFF_LINES:
        parts.append(f"({len(lines) - DIFF_LINES} more lines of the diff are not shown.)")
    parts.append(
        f"Nothing is applied from the chat: to review this change chunk by chunk and apply it, "
        f"open `{path}` and ask for it in the Assistant panel (*Open the Assistant*)."
    )
    return "\n".join(parts)


def _afterword(outcome: dict[str, Any]) -> str | None:
    """What to say after the answer: the error, or the guardrails' findings on its code
    (block by block when it has several)."""
    if outcome.get("kind") == "error":
        return str(outcome.get("message") or "The assistant failed.")
    analyses = _analyses(outcome)
    verdicts = {a.get("verdict") for a in analyses}
    if not verdicts & {"warn", "blocked"}:
        return None
    several = len(analyses) > 1
    lines = [
        f"- {f'block {number}, ' if several else ''}line {f.get('line')}: "
        f"{f.get('message')} ({f.get('rule')})"
        for number, analysis in enumerate(analyses, 1)
        for f in analysis.get("findings") or []
        if isinstance(f, dict)
    ]
    head = (
        "⚠ ScriptForge's guardrails **block** this code from a one-click run:"
        if "blocked" in verdicts
        else "ScriptForge's guardrails have warnings about this code:"
    )
    return "\n".join([head, *lines])


def _analyses(outcome: dict[str, Any]) -> list[dict[str, Any]]:
    """The analysis of each code block of the answer, in order (one without an analysis
    keeps its number); a result without ``blocks`` has just its ``analysis``."""
    blocks = outcome.get("blocks")
    if isinstance(blocks, list) and blocks:
        return [_dict(b.get("analysis") if isinstance(b, dict) else None) for b in blocks]
    analysis = outcome.get("analysis")
    return [analysis] if isinstance(analysis, dict) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
