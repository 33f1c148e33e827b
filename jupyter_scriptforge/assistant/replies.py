"""A prepared request to the model (``Reply``) and its answer, streamed: tokens as they
come, then the result — the code restored, diffed against the original, checked by the
guardrails and held if blocked — and one audit record, whatever the end."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncGenerator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from .._async import run_blocking
from ..audit import AuditEntry
from ..errors import ScriptForgeError
from ..guardrails.redaction import redact
from ..versions.diff import unified_diff
from . import prompts
from .model import ChatModel, Message

log = logging.getLogger(__name__)


class Redaction(Protocol):
    """The secrets taken out of one request's prompt (see ``guardrails.Redaction``)."""

    @property
    def counts(self) -> dict[str, int]: ...

    def restore(self, text: str) -> str:
        """``text`` with the placeholders put back to the secrets they stand for."""
        ...

    def conceal(self, text: str) -> str:
        """``text`` with the secrets of this request turned back into placeholders."""
        ...


PromptFilter = Callable[..., tuple[Redaction, list[str]]]
# The report on code, beside the original it changes (if any): see GuardrailService.report.
Analyzer = Callable[[str, str | None], dict[str, Any]]
Holder = Callable[[str, dict[str, Any], str, str], Awaitable[bool]]

_SEVERITY = {"ok": 0, "warn": 1, "blocked": 2}
Auditor = Callable[[AuditEntry], Awaitable[Any]]
# (code, interpreter) -> the language server's diagnostics, as dicts; raises ScriptForgeError.
Diagnoser = Callable[[str, str], Awaitable[list[dict[str, Any]]]]


@dataclass
class Reply:
    """A prepared request: its model, messages, and how to turn the answer into a result."""

    user: str
    action: str
    model: ChatModel
    messages: list[Message]
    # The original content a proposed one is diffed against (edit, fix); None for prose.
    original: str | None = None
    # Whether the answer is a file: True always, None if it holds a code block, False never.
    code: bool | None = False
    context: dict[str, Any] = field(default_factory=dict)
    redaction: Redaction | None = None

    @property
    def prompt(self) -> str:
        """What was sent, as recorded in the audit: the user's message (already filtered)."""
        return "\n\n".join(m["content"] for m in self.messages if m["role"] == "user")


class Unfiltered:
    """No redaction: for a service built without guardrails (tests of other seams)."""

    counts: dict[str, int] = {}

    def restore(self, text: str) -> str:
        return text

    def conceal(self, text: str) -> str:
        return text


def unfiltered(*parts: str) -> tuple[Redaction, list[str]]:
    return Unfiltered(), list(parts)


class ReplyStream:
    """The streaming half of ``AssistantService``: an answer's events, result and record."""

    analyze: Analyzer | None
    audit: Auditor | None
    hold: Holder | None
    diagnose: Diagnoser | None

    async def events(self, reply: Reply) -> AsyncGenerator[tuple[str, dict[str, Any]], None]:
        """The model's answer as ``token`` events, then ``done`` or ``error``."""
        pieces: list[str] = []
        outcome: tuple[str, dict[str, Any]] = ("error", {"error": "cancelled"})
        try:
            async for text in reply.model.stream(reply.messages):
                pieces.append(text)
                # When the model gave the piece (epoch seconds): a client on the same clock
                # sees what streaming costs.
                yield "token", {"text": text, "at": time.time()}
            outcome = ("done", await self._result(reply, "".join(pieces)))
        except ScriptForgeError as error:
            outcome = ("error", {"error": error.code, "message": error.message})
        except Exception:
            log.exception("The assistant failed on a %s request", reply.action)
            outcome = ("error", {"error": "server_error", "message": "Unhandled error"})
        finally:
            partial = None
            if outcome[0] != "done" and reply.code is not False and pieces:
                # The client had every token so far, code included: what it got is held if
                # blocked, though the answer never ended (a closed tab, Stop, a cut stream).
                partial = await asyncio.shield(self._partial(reply, "".join(pieces)))
            await self._record(reply, "".join(pieces), outcome, partial)
        yield outcome

    async def _result(self, reply: Reply, text: str) -> dict[str, Any]:
        # The answer as the user may see it: with the secrets they sent put back.
        text = reply.redaction.restore(text) if reply.redaction else text
        result: dict[str, Any] = {"action": reply.action, "model": reply.model.name, "text": text}
        result.update(reply.context)
        if reply.code is False:
            return result
        codes = [prompts.extract_code(text)] if reply.code else prompts.code_blocks(text)
        if not codes:
            return result
        result["code"] = codes[0]
        proposal = None
        if reply.original is not None:
            # A chat answer is diffed only if one of its blocks is the whole script changed.
            proposal = codes[0] if reply.code else prompts.whole_file(codes, reply.original)
            if proposal is not None:
                result["code"] = proposal
                result["diff"] = unified_diff(reply.original, proposal, "original", "proposed")
        await self._diagnosed(result, reply)
        if self.analyze is None:
            return result
        blocks = await self._analysed(reply, codes, proposal)
        result["analysis"] = _worst(blocks)
        if reply.code is None:
            result["blocks"] = blocks
        return result

    async def _analysed(
        self, reply: Reply, codes: list[str], proposal: str | None = None
    ) -> list[dict[str, Any]]:
        """Each piece of code with its report (a ``proposal`` beside the original: what was
        there already does not block); blocked code is held, however it is saved."""
        assert self.analyze is not None
        blocks: list[dict[str, Any]] = []
        for code in codes:
            original = reply.original if code == proposal else None
            analysis = await run_blocking(self.analyze, code, original)
            held = False
            if self.hold is not None:
                # Also as the model wrote it: a block copied from the chat keeps placeholders.
                raw = reply.redaction.conceal(code) if reply.redaction else code
                for form in {code, raw}:
                    held = await self.hold(form, analysis, reply.user, reply.action) or held
            blocks.append({"code": code, "analysis": {**analysis, "held": held}})
        return blocks

    async def _diagnosed(self, result: dict[str, Any], reply: Reply) -> None:
        """What the interpreter's language server finds in the proposed code (syntax this
        interpreter cannot run, undefined names), beside the guardrails' findings."""
        interpreter = reply.context.get("interpreter")
        if self.diagnose is None or reply.code is not True or not isinstance(interpreter, str):
            return
        try:
            result["diagnostics"] = await self.diagnose(result["code"], interpreter)
        except ScriptForgeError as error:
            result["diagnostics"] = None
            result["diagnostics_error"] = error.message

    async def _partial(self, reply: Reply, text: str) -> dict[str, Any] | None:
        """The report on the code of an answer cut short, for the audit; never fails."""
        if self.analyze is None:
            return None
        try:
            text = reply.redaction.restore(text) if reply.redaction else text
            blocks = await self._analysed(reply, prompts.code_blocks(text))
        except Exception:
            log.exception("Could not check the code of a cut %s answer", reply.action)
            return None
        return _worst(blocks) if blocks else None

    async def _record(
        self,
        reply: Reply,
        text: str,
        outcome: tuple[str, dict[str, Any]],
        partial: dict[str, Any] | None = None,
    ) -> None:
        """Audit a request: ``partial`` is the report on the code of an answer cut short."""
        if self.audit is None:
            return
        kind, data = outcome
        analysis = data.get("analysis") if kind == "done" else partial
        if kind == "done" and isinstance(analysis, dict):
            verdict = str(analysis["verdict"])
        else:
            verdict = "answered" if kind == "done" else str(data.get("error", "error"))
        details = {k: v for k, v in reply.context.items() if k != "line"}
        if kind == "error":
            details["error"] = dict(data)
            if isinstance(data.get("message"), str):
                # A provider's message may quote a key, or an address with credentials.
                details["error"]["message"] = redact(data["message"]).text
        if kind == "done" and isinstance(data.get("diagnostics"), list):
            details["diagnostics"] = len(data["diagnostics"])
        if isinstance(analysis, dict):
            # Rules and lines only: the report is on the restored code, and its quoted lines
            # (cut at 200 characters, past where a secret would still be recognised) may
            # hold the secrets the prompt kept back.
            details["analysis"] = findings_for_audit(analysis)
        if reply.redaction is not None and reply.redaction.counts:
            details["redacted"] = dict(reply.redaction.counts)
        entry = AuditEntry(
            reply.user, reply.action, reply.model.name, reply.prompt, text, verdict, details
        )
        try:
            await self.audit(entry)
        except Exception:  # the answer is given; a failed record must not take it back
            log.exception("Could not record the assistant's %s request", reply.action)


def _worst(blocks: list[dict[str, Any]]) -> dict[str, Any]:
    analyses: list[dict[str, Any]] = [block["analysis"] for block in blocks]
    return max(analyses, key=lambda a: _SEVERITY[a["verdict"]])


def findings_for_audit(analysis: dict[str, Any]) -> dict[str, Any]:
    """A report as the audit keeps it: the verdict, whether the code is held, and each
    finding's rule, line and whether it blocks — never the code or bandit's quotes of it."""
    return {
        "verdict": analysis.get("verdict"),
        "held": bool(analysis.get("held")),
        "findings": [
            {"rule": f.get("rule"), "line": f.get("line"), "blocks": f.get("blocks")}
            for f in analysis.get("findings", [])
            if isinstance(f, dict)
        ],
    }
