"""POST /scriptforge/api/analyze: the guardrail report on any code."""

from typing import Any

from jupyter_server.auth.decorator import authorized
from tornado import web

from .._async import run_blocking
from ..audit import AuditEntry
from ..execution.interpreters import Interpreter
from ..guardrails import GuardrailService
from ..guardrails.decisions import AuditForm
from ..guardrails.service import AnalysesBusy
from .base import ScriptForgeHandler


class AnalyzeHandler(ScriptForgeHandler):
    @property
    def guardrails(self) -> GuardrailService:
        return self.services.guardrails

    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.json_fields({"content", "original", "interpreter"})
        content, original = body.get("content"), body.get("original")
        if not isinstance(content, str):
            raise web.HTTPError(400, "content is required, as a string.")
        if original is not None and not isinstance(original, str):
            raise web.HTTPError(400, "original must be a string.")
        interpreter = await self.interpreter(body.get("interpreter"))
        async with self.guardrails.turn(self.user_name):
            report, audit = await run_blocking(
                self.guardrails.decision, content, original, interpreter
            )
        await record_decision(self, "analyze", report, audit)
        self.write_json(report)

    async def interpreter(self, name: Any) -> Interpreter | None:
        """The interpreter the code runs on, by name (None: not said)."""
        registry = self.services.interpreters
        if name is None:
            # Discovered (once) before the analysis: without a name, code in newer syntax
            # goes to the newest of them.
            await registry.list()
            return None
        if not isinstance(name, str) or not name:
            raise web.HTTPError(400, "interpreter must be an interpreter's name.")
        found = await registry.get(name)
        if found is None:
            raise web.HTTPError(400, f"There is no interpreter {name!r}.")
        return found

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        error = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(error, AnalysesBusy):
            self.set_header("Retry-After", str(error.details["retry_after"]))
        super().write_error(status_code, **kwargs)


class OverrideHandler(AnalyzeHandler):
    """An admin lets code the guardrails block be run anyway: its hold is released (for
    this exact content, wherever it is saved), and the decision audited."""

    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.json_object()
        content, reason = body.get("content"), body.get("reason", "")
        if not isinstance(content, str):
            raise web.HTTPError(400, "content is required, as a string.")
        if not isinstance(reason, str):
            raise web.HTTPError(400, "reason must be a string.")
        if not await self.is_admin():
            # Refused, and recorded as such: who tried to run what the guardrails block.
            async with self.guardrails.turn(self.user_name):
                report, audit = await run_blocking(self.guardrails.decision, content)
            await record_decision(self, "override", report, audit, reason=reason, refused=True)
            raise web.HTTPError(403, "Only a ScriptForge admin can run code the guardrails block.")
        if not reason.strip():
            raise web.HTTPError(400, "reason is required: say why the code is safe to run.")
        async with self.guardrails.turn(self.user_name):
            report, audit = await run_blocking(self.guardrails.decision, content)
        await self.services.holds.release(content, self.user_name, reason, report)
        await record_decision(self, "override", report, audit, reason=reason)
        self.write_json({"allowed": True, "analysis": report})


async def record_decision(
    handler: ScriptForgeHandler,
    action: str,
    report: dict[str, Any],
    audit: AuditForm,
    **details: Any,
) -> None:
    """Every guardrail decision goes to the audit log: who, when, on what, which verdict.

    The log and its events are read by admins and event sinks, not by the code's author, so
    what they get is the ``audit`` form of the decision: the code's secrets (and the lines
    of the findings quoting them) redacted; ``details["redacted"]`` counts them."""
    log = handler.services.audit
    if action == "override":
        verdict = "refused" if details.get("refused") else "overridden"
    else:
        verdict = str(report["verdict"])
    if audit.counts:
        details = {**details, "redacted": audit.counts}
    await log.record(
        AuditEntry(
            handler.user_name,
            action,
            "",
            audit.content,
            "",
            verdict,
            {"analysis": audit.report, **details},
        )
    )


default_handlers = [("analyze", AnalyzeHandler), ("analyze/override", OverrideHandler)]
