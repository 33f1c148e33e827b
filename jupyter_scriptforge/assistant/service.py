"""The assistant's actions: generate, edit, explain and fix scripts, and accept an edit.

An action is two steps. ``await service.generate(...)`` (or ``edit``/``explain``/``fix``)
checks the input, gathers the context and chooses the model; whatever is wrong there is a
domain error, before anything is streamed. ``service.events(reply)`` then calls the model
and yields ``("token", {"text", "at"})`` as the answer comes, and one ``("done", result)`` or
``("error", {"error", "message"})`` at the end.

Seams for the guardrails: ``prompt_filter`` takes all the texts of one request that go to
the model (what the user typed, file contents, a run's output), checks their size together
and redacts their secrets into numbered placeholders, which the answer gets back before it
is diffed and shown; ``analyze`` reports on generated code, and its report goes into the
result; ``hold`` keeps code it blocks from running (see ``guardrails.holds``). ``audit``
receives one ``AuditEntry`` per request, refused ones included.
"""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import logging
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from .._async import run_blocking
from ..audit import AuditEntry
from ..catalog.script_requests import NewScript
from ..catalog.service import CatalogService, ScriptInfo
from ..errors import Conflict, InvalidInput, ScriptForgeError
from ..execution.interpreters import InterpreterRegistry
from ..execution.service import RunService
from ..rights import Actor, Right
from ..versions.service import VersionInfo, VersionService
from . import prompts
from .model import ChatModel, ModelSource
from .replies import (
    Analyzer,
    Auditor,
    Diagnoser,
    Holder,
    PromptFilter,
    Redaction,
    Reply,
    ReplyStream,
    findings_for_audit,
    unfiltered,
)

log = logging.getLogger(__name__)


# What of a failed run's output goes to the model: its end, where the traceback is.
OUTPUT_TAIL_CHARS = 6000
# Statuses of a run worth fixing.
_FIXABLE = ("failed", "timed_out")
# Most of an attached file that is read: any more is far over a sensible prompt cap, which
# then refuses the question, as it does a long one.
ATTACHMENT_MAX_BYTES = 1 << 20


@dataclass(frozen=True)
class ChatFile:
    """A file attached to a chat question (see ``AssistantService.attachment``): a
    ScriptForge script by id, whose content, interpreter and latest run the service reads
    itself, or any other text file with its text."""

    path: str  # relative to the server root, as attached
    script_id: int | None = None
    text: str | None = None


class AssistantService(ReplyStream):
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
        hold: Holder | None = None,
        diagnose: Diagnoser | None = None,
    ) -> None:
        self.models = models
        self._catalog = catalog
        self._versions = versions
        self._runs = runs
        self._interpreters = interpreters
        self.prompt_filter: PromptFilter = prompt_filter or unfiltered
        self.analyze = analyze
        self.audit = audit
        self.hold = hold
        self.diagnose = diagnose

    # --- the actions -----------------------------------------------------------------

    async def generate(self, actor: Actor, prompt: str, interpreter: str | None = None) -> Reply:
        user = actor.name
        async with self._refusals_audited(actor, "generate"):
            _required(prompt, "prompt")
            context = await self._interpreter(interpreter, strict=True)
            model = await self._model()
            redaction, [prompt] = await self._filter(prompt)
            return Reply(
                user,
                "generate",
                model,
                prompts.generate(prompt, context.pop("line")),
                code=True,
                context=context,
                redaction=redaction,
            )

    async def edit(
        self, actor: Actor, script_id: int, instruction: str, content: str | None = None
    ) -> Reply:
        user = actor.name
        async with self._refusals_audited(actor, "edit"):
            _required(instruction, "instruction")
            script = await self._catalog.get(script_id, user)
            if script.head_version_id is None:
                raise Conflict(f"Script {script_id} has no version to edit.")
            if content is None:
                _, content = await self._versions.get(script.head_version_id)
            context = await self._interpreter(script.interpreter)
            model = await self._model()
            redaction, [sent, instruction] = await self._filter(content, instruction)
            return Reply(
                user,
                "edit",
                model,
                prompts.edit(sent, instruction, script.name, context.pop("line")),
                original=content,
                code=True,
                context={
                    **context,
                    "script_id": script.id,
                    "base_version_id": script.head_version_id,
                },
                redaction=redaction,
            )

    async def explain(
        self,
        actor: Actor,
        content: str,
        selection: str | None = None,
        question: str | None = None,
    ) -> Reply:
        user = actor.name
        async with self._refusals_audited(actor, "explain"):
            if not content.strip():
                raise InvalidInput("content is empty: there is nothing to explain.")
            for text, what in ((selection, "selection"), (question, "question")):
                if text and not text.strip():
                    raise InvalidInput(f"{what} is empty: leave it out instead.")
            model = await self._model()
            redaction, [sent, chosen, asked] = await self._filter(
                content, selection or "", question or ""
            )
            return Reply(
                user,
                "explain",
                model,
                prompts.explain(sent, chosen or None, asked or None),
                redaction=redaction,
            )

    async def fix(self, actor: Actor, run_id: int) -> Reply:
        user = actor.name
        async with self._refusals_audited(actor, "fix"):
            run = await self._runs.get(user, run_id)
            if run["kind"] != "script" or run["version_id"] is None:
                raise InvalidInput(f"Run {run_id} is a group run: fix one of its scripts' runs.")
            if run["status"] not in _FIXABLE:
                status = run["status"].replace("_", " ")
                raise Conflict(
                    f"Run {run_id} {status}: only a failed run can be fixed.",
                    status=run["status"],
                )
            version, content = await self._versions.get(run["version_id"])
            script = await self._catalog.get(version.script_id, user)
            tail = await self._output_tail(user, run)
            context = await self._interpreter(run["interpreter"])
            model = await self._model()
            redaction, [sent, tail] = await self._filter(content, tail)
            return Reply(
                user,
                "fix",
                model,
                prompts.fix(sent, tail, run["status"], script.name, context.pop("line")),
                original=content,
                code=True,
                context={
                    **context,
                    "script_id": script.id,
                    "run_id": run_id,
                    "version_id": version.id,
                    # The fix is of the version that ran: accepted on a script that moved on
                    # since, it is a 409 rather than an undoing of the newer work.
                    "base_version_id": version.id,
                },
                redaction=redaction,
            )

    async def chat(self, actor: Actor, message: str, attachments: Sequence[ChatFile] = ()) -> Reply:
        """A question in Jupyter AI's chat (the persona), with the files attached to it; code
        in the answer is analysed. About exactly one attached script, the answer's first
        whole-file block is diffed against it, as an edit's would be (nothing is saved)."""
        user = actor.name
        async with self._refusals_audited(actor, "chat"):
            _required(message, "message")
            found = [await self._chat_file(user, file) for file in attachments]
            model = await self._model()
            # One filter call for all the texts: the cap is on the whole prompt, and a secret
            # has one placeholder number wherever it appears.
            texts = [text for file, _ in found for text in (file.content, file.output_tail or "")]
            redaction, [message, *sent] = await self._filter(message, *texts)
            shown = [
                dataclasses.replace(
                    file, content=content, output_tail=tail if file.output_tail else None
                )
                for (file, _), content, tail in zip(found, sent[::2], sent[1::2], strict=True)
            ]
            scripts = [(file, about) for file, about in found if about]
            original, about = scripts[0] if len(scripts) == 1 else (None, {})
            # The audit lists what was attached; the contents are in its prompt, redacted.
            paths = [file.path for file in attachments]
            return Reply(
                user,
                "chat",
                model,
                prompts.chat(message, shown),
                original=original.content if original else None,
                code=None,
                context={"attachments": paths, **about} if paths else {},
                redaction=redaction,
            )

    async def attachment(self, user: str, path: str) -> ChatFile | None:
        """The file at ``path`` (relative to the server root) attached to a chat question:
        the script whose working copy it is, else its text; None when it cannot be read as
        text (missing, a folder, binary, outside the server root)."""
        try:
            found = await self._catalog.list(user, path=path, limit=1)
            if found.items:
                return ChatFile(path, script_id=found.items[0].id)
            text = await run_blocking(_read_text, self._catalog.files.root_dir, path)
        except (OSError, ValueError, ScriptForgeError) as error:
            log.info("The chat attachment %s is left out: %s", path, error)
            return None
        return ChatFile(path, text=text)

    async def accept(
        self,
        actor: Actor,
        script_id: int,
        content: str,
        base_version_id: int,
        message: str = "",
    ) -> tuple[VersionInfo, bool, dict[str, Any] | None]:
        """Record an accepted proposal as a version authored ``assistant for <user>``;
        a stale base is a 409. The content is checked again as accepted (hunks rejected,
        edits made) beside the base, and held if what the assistant added is blocked.
        → (version, whether it is new, the report)."""
        actor.require(Right.ASSISTANT)
        actor.require(Right.WRITE)
        user = actor.name
        await self._catalog.get(script_id, user)  # 404 before anything is held
        _, original = await self._versions.get(base_version_id)
        # Held before it is saved: no moment where the version exists and may run.
        analysis = await self._check(content, user, "accept", original)
        saved = await self._catalog.save_version(
            script_id,
            content,
            actor,
            message or "Accepted the assistant's proposal",
            base_version_id=base_version_id,
            author=f"assistant for {user}",
        )
        await self._audit_decision(
            user, "accept", {"script_id": script_id, "version_id": saved.version.id}, analysis
        )
        return saved.version, saved.created, analysis

    async def create(
        self, actor: Actor, new: NewScript
    ) -> tuple[ScriptInfo, dict[str, Any] | None]:
        """A new script of generated code, its first version authored ``assistant for
        <user>``, held if the guardrails block it."""
        actor.require(Right.ASSISTANT)
        actor.require(Right.WRITE)
        user = actor.name
        analysis = await self._check(new.content, user, "create")
        script = await self._catalog.create(
            actor,
            dataclasses.replace(new, message="Created from the assistant's proposal"),
            author=f"assistant for {user}",
        )
        await self._audit_decision(
            user,
            "create",
            {"script_id": script.id, "version_id": script.head_version_id},
            analysis,
        )
        return script, analysis

    async def _check(
        self, content: str, user: str, action: str, original: str | None = None
    ) -> dict[str, Any] | None:
        """The report on code the user is about to keep; blocked code is held."""
        if self.analyze is None:
            return None
        analysis = await run_blocking(self.analyze, content, original)
        held = self.hold is not None and await self.hold(content, analysis, user, action)
        return {**analysis, "held": held}

    async def _audit_decision(
        self, user: str, action: str, details: dict[str, Any], analysis: dict[str, Any] | None
    ) -> None:
        if self.audit is None:
            return
        verdict = "accepted"
        if analysis is not None:
            # Where the guardrails objected, not the code: the audit of an accept is no
            # place for the script's own secrets.
            details = {**details, "analysis": findings_for_audit(analysis)}
            verdict = "held" if analysis["held"] else verdict
        await self.audit(AuditEntry(user, action, "", "", "", verdict, details))

    # --- context ---------------------------------------------------------------------

    async def _chat_file(
        self, user: str, file: ChatFile
    ) -> tuple[prompts.Attached, dict[str, Any]]:
        """An attachment as the prompt shows it (unfiltered yet), and for a script what an
        edit of it is based on."""
        if file.script_id is None:
            return prompts.Attached(file.path, file.text or ""), {}
        script = await self._catalog.get(file.script_id, user)
        if script.head_version_id is None:
            raise Conflict(f"Script {script.id} has no version to show.")
        head, content = await self._versions.get(script.head_version_id)
        newer = await run_blocking(self._newer_copy, script, head.created_at)
        # "Why does this fail?": the end of the latest run's output, as for a fix.
        runs = await self._runs.history(user, script_id=script.id, limit=1)
        failed = runs[0] if runs and runs[0]["status"] in _FIXABLE else None
        context = await self._interpreter(script.interpreter)
        attached = prompts.Attached(
            file.path,
            content if newer is None else newer,
            script=script.name,
            interpreter=context["line"],
            failure=failed["status"] if failed else None,
            output_tail=await self._output_tail(user, failed) if failed else None,
        )
        return attached, {"script_id": script.id, "base_version_id": script.head_version_id}

    def _newer_copy(self, script: ScriptInfo, head_saved: datetime) -> str | None:
        """The working copy's text if the file was written after the head was recorded (a
        save whose snapshot is still to come, an edit outside Jupyter), else None: every
        save in JupyterLab becomes the head, so the head is what the editor last saved."""
        path = self._catalog.files.path_of(script.folder, script.name)
        try:
            if path.stat().st_mtime <= head_saved.timestamp():
                return None
            return path.read_text(encoding="utf-8")
        except (OSError, ValueError):
            return None

    @contextlib.asynccontextmanager
    async def _refusals_audited(self, actor: Actor, action: str) -> AsyncIterator[None]:
        """A request refused before the model is asked (no right, no model, too large, bad
        input) is recorded too, without its texts: they were not sent."""
        user = actor.name
        try:
            actor.require(Right.ASSISTANT)
            yield
        except ScriptForgeError as error:
            if self.audit is not None:
                details = {"message": error.message, **error.details}
                await self.audit(AuditEntry(user, action, "", "", "", error.code, details))
            raise

    async def _model(self) -> ChatModel:
        # Jupyter AI's config manager reads its file: not on the event loop.
        return await run_blocking(self.models.model)

    async def _filter(self, *parts: str) -> tuple[Redaction, list[str]]:
        """All the texts of one prompt, capped together and redacted (regexes over up to
        the cap: off the event loop)."""
        return await run_blocking(self.prompt_filter, *parts)

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


def _read_text(root: Path, path: str) -> str:
    """The text of the file at ``path`` under ``root`` (resolved), cut at
    ``ATTACHMENT_MAX_BYTES``; OSError or ValueError when it is not a text file there."""
    file = (root / path.lstrip("/")).resolve()
    if not file.is_relative_to(root):
        raise PermissionError(f"{path} is outside the server root")
    with file.open("rb") as handle:
        data = handle.read(ATTACHMENT_MAX_BYTES + 1)
    cut = len(data) > ATTACHMENT_MAX_BYTES
    # Incremental: a character the cut splits is dropped, anything else not UTF-8 raises.
    text = codecs.getincrementaldecoder("utf-8")().decode(
        data[:ATTACHMENT_MAX_BYTES], final=not cut
    )
    if "\0" in text:
        raise ValueError(f"{path} is binary")
    return text + f"\n[ScriptForge: cut after {ATTACHMENT_MAX_BYTES:,} bytes]" if cut else text


def _required(text: str | None, what: str) -> None:
    if text is None or not text.strip():
        raise InvalidInput(f"{what} is required.")
