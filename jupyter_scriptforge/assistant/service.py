"""The assistant's actions: generate, edit, explain and fix scripts, and accept an edit.

An action is two steps. ``await service.generate(...)`` (or ``edit``/``explain``/``fix``)
checks the input, gathers the context and chooses the model; whatever is wrong there is a
domain error, before anything is streamed. ``service.events(reply)`` then calls the model
and yields ``("token", {"text", "at"})`` as the answer comes, and one ``("done", result)`` or
``("error", {"error", "message"})`` at the end.

Two seams for the guardrails: ``prompt_filter`` rewrites every text a user supplies (and
every file content) before it goes to the model; ``analyze`` reports on generated code,
and its report goes into the result. ``audit`` receives one ``AuditEntry`` per request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncGenerator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from .._async import run_blocking
from ..catalog.service import CatalogService
from ..errors import Conflict, InvalidInput, ScriptForgeError, TooLarge
from ..execution.interpreters import InterpreterRegistry
from ..execution.service import RunService
from ..versions.diff import unified_diff
from ..versions.service import VersionInfo, VersionService
from . import prompts
from .model import ChatModel, Message, ModelSource, NoModelConfigured

log = logging.getLogger(__name__)

PromptFilter = Callable[[str], str]
Analyzer = Callable[[str], dict[str, Any]]

# What of a failed run's output goes to the model: its end, where the traceback is.
OUTPUT_TAIL_CHARS = 6000
# Statuses of a run worth fixing.
_FIXABLE = ("failed", "timed_out")


@dataclass(frozen=True)
class AuditEntry:
    """One assistant request and what came of it (see ``AssistantService.audit``)."""

    user: str
    action: str
    model: str
    prompt: str
    response: str
    verdict: str
    details: dict[str, Any] = field(default_factory=dict)


Auditor = Callable[[AuditEntry], Awaitable[Any]]


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

    @property
    def prompt(self) -> str:
        """What was sent, as recorded in the audit: the user's message (already filtered)."""
        return "\n\n".join(m["content"] for m in self.messages if m["role"] == "user")


def _identity(text: str) -> str:
    return text


class AssistantService:
    def __init__(
        self,
        models: ModelSource,
        catalog: CatalogService,
        versions: VersionService,
        runs: RunService,
        interpreters: InterpreterRegistry,
        prompt_filter: PromptFilter | None = None,
        analyze: Analyzer | None = None,
        audit: Auditor | None = None,
        max_input_chars: int = 100_000,
    ) -> None:
        self.models = models
        self._catalog = catalog
        self._versions = versions
        self._runs = runs
        self._interpreters = interpreters
        self.prompt_filter: PromptFilter = prompt_filter or _identity
        self.analyze = analyze
        self.audit = audit
        self.max_input_chars = max_input_chars

    # --- the actions -----------------------------------------------------------------

    async def generate(self, user: str, prompt: str, interpreter: str | None = None) -> Reply:
        prompt = self._text(prompt, "prompt")
        context = await self._interpreter(interpreter, strict=True)
        return Reply(
            user,
            "generate",
            await self._model(user, "generate"),
            prompts.generate(prompt, context.pop("line")),
            code=True,
            context=context,
        )

    async def edit(
        self, user: str, script_id: int, instruction: str, content: str | None = None
    ) -> Reply:
        instruction = self._text(instruction, "instruction")
        script = await self._catalog.get(script_id, user)
        if script.head_version_id is None:
            raise Conflict(f"Script {script_id} has no version to edit.")
        if content is None:
            _, content = await self._versions.get(script.head_version_id)
        self._check_size(content, "content")
        context = await self._interpreter(script.interpreter)
        return Reply(
            user,
            "edit",
            await self._model(user, "edit"),
            prompts.edit(
                self.prompt_filter(content),
                instruction,
                script.name,
                context.pop("line"),
            ),
            original=content,
            code=True,
            context={
                **context,
                "script_id": script.id,
                "base_version_id": script.head_version_id,
            },
        )

    async def explain(
        self,
        user: str,
        content: str,
        selection: str | None = None,
        question: str | None = None,
    ) -> Reply:
        self._check_size(content, "content")
        if not content.strip():
            raise InvalidInput("content is empty: there is nothing to explain.")
        chosen = self._text(selection, "selection") if selection else None
        asked = self._text(question, "question") if question else None
        return Reply(
            user,
            "explain",
            await self._model(user, "explain"),
            prompts.explain(self.prompt_filter(content), chosen, asked),
        )

    async def fix(self, user: str, run_id: int) -> Reply:
        run = await self._runs.get(user, run_id)
        if run["kind"] != "script" or run["version_id"] is None:
            raise InvalidInput(f"Run {run_id} is a group run: fix one of its scripts' runs.")
        if run["status"] not in _FIXABLE:
            raise Conflict(
                f"Run {run_id} {run['status'].replace('_', ' ')}: only a failed run can be fixed.",
                status=run["status"],
            )
        version, content = await self._versions.get(run["version_id"])
        script = await self._catalog.get(version.script_id, user)
        tail = await self._output_tail(user, run)
        context = await self._interpreter(run["interpreter"])
        return Reply(
            user,
            "fix",
            await self._model(user, "fix"),
            prompts.fix(
                self.prompt_filter(content),
                self.prompt_filter(tail),
                run["status"],
                script.name,
                context.pop("line"),
            ),
            original=content,
            code=True,
            context={
                **context,
                "script_id": script.id,
                "run_id": run_id,
                "version_id": version.id,
                # An accepted fix goes on top of the head, which may be newer than the run.
                "base_version_id": script.head_version_id,
            },
        )

    async def chat(self, user: str, message: str) -> Reply:
        """A question in Jupyter AI's chat (the persona); code in the answer is analysed."""
        message = self._text(message, "message")
        return Reply(
            user, "chat", await self._model(user, "chat"), prompts.chat(message), code=None
        )

    async def accept(
        self,
        user: str,
        script_id: int,
        content: str,
        base_version_id: int,
        message: str = "",
    ) -> tuple[VersionInfo, bool]:
        """Record an accepted proposal as a version authored ``assistant for <user>``;
        a stale base is a 409. → (version, whether it is new)."""
        saved = await self._catalog.save_version(
            script_id,
            content,
            user,
            message or "Accepted the assistant's proposal",
            base_version_id=base_version_id,
            author=f"assistant for {user}",
        )
        if self.audit is not None:
            await self.audit(
                AuditEntry(
                    user,
                    "accept",
                    "",
                    "",
                    "",
                    "accepted",
                    {"script_id": script_id, "version_id": saved.version.id},
                )
            )
        return saved.version, saved.created

    # --- streaming -------------------------------------------------------------------

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
            await self._record(reply, "".join(pieces), outcome)
        yield outcome

    async def _result(self, reply: Reply, text: str) -> dict[str, Any]:
        result: dict[str, Any] = {"action": reply.action, "model": reply.model.name, "text": text}
        result.update(reply.context)
        if reply.code is False or (reply.code is None and not prompts.has_code(text)):
            return result
        code = prompts.extract_code(text)
        result["code"] = code
        if reply.original is not None:
            result["diff"] = unified_diff(reply.original, code, "original", "proposed")
        if self.analyze is not None:
            result["analysis"] = await run_blocking(self.analyze, code)
        return result

    async def _record(self, reply: Reply, text: str, outcome: tuple[str, dict[str, Any]]) -> None:
        if self.audit is None:
            return
        kind, data = outcome
        analysis = data.get("analysis") if kind == "done" else None
        if isinstance(analysis, dict) and isinstance(analysis.get("verdict"), str):
            verdict = analysis["verdict"]
        else:
            verdict = "answered" if kind == "done" else str(data.get("error", "error"))
        details = {k: v for k, v in reply.context.items() if k != "line"}
        if kind == "error":
            details["error"] = data
        if isinstance(analysis, dict):
            details["analysis"] = analysis
        entry = AuditEntry(
            reply.user, reply.action, reply.model.name, reply.prompt, text, verdict, details
        )
        try:
            await self.audit(entry)
        except Exception:  # the answer is given; a failed record must not take it back
            log.exception("Could not record the assistant's %s request", reply.action)

    # --- context ---------------------------------------------------------------------

    async def _model(self, user: str, action: str) -> ChatModel:
        """The model for this request; a request refused for want of one is audited too."""
        try:
            # Jupyter AI's config manager reads its file: not on the event loop.
            return await run_blocking(self.models.model)
        except NoModelConfigured as error:
            if self.audit is not None:
                entry = AuditEntry(user, action, "", "", "", error.code, dict(error.details))
                await self.audit(entry)
            raise

    def _check_size(self, text: str, what: str) -> None:
        if len(text) > self.max_input_chars:
            raise TooLarge(
                f"{what} is {len(text):,} characters; the limit is {self.max_input_chars:,}.",
                size=len(text),
                limit=self.max_input_chars,
            )

    def _text(self, text: str | None, what: str) -> str:
        if text is None or not text.strip():
            raise InvalidInput(f"{what} is required.")
        self._check_size(text, what)
        return self.prompt_filter(text)

    async def _interpreter(self, name: str | None, strict: bool = False) -> dict[str, Any]:
        """The interpreter by name (a script's, a run's, or the default), for the prompt;
        ``strict``: a name that is not known is the user's mistake."""
        found = await self._interpreters.get(name) if name else await self._interpreters.default()
        if strict and name and found is None:
            raise InvalidInput(f"There is no interpreter {name!r}.")
        if found is None:
            return {"interpreter": name, "line": prompts.interpreter_line(name, None, None)}
        return {
            "interpreter": found.name,
            "line": prompts.interpreter_line(found.name, found.implementation, found.version),
        }

    async def _output_tail(self, user: str, run: dict[str, Any]) -> str:
        start = max(0, int(run["output_chars"]) - OUTPUT_TAIL_CHARS)
        page = await self._runs.output(user, run["id"], start, OUTPUT_TAIL_CHARS)
        tail = "".join(piece["text"] for piece in page["pieces"])
        if run.get("error"):
            tail += f"\n[ScriptForge: {run['error']}]"
        return tail or "(no output)"
