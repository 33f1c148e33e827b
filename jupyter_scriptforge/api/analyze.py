"""POST /scriptforge/api/analyze: the guardrail report on any code."""

from typing import Any

from jupyter_core.utils import ensure_async
from jupyter_server.auth.decorator import authorized
from tornado import web

from .._async import run_blocking
from ..assistant.audit import AuditLog
from ..assistant.service import AuditEntry
from ..guardrails import GuardrailService
from .base import ScriptForgeHandler


class AnalyzeHandler(ScriptForgeHandler):
    @property
    def guardrails(self) -> GuardrailService:
        service: GuardrailService = self.settings["scriptforge.guardrails"]
        return service

    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.json_object()
        unknown = set(body) - {"content"}
        if unknown:
            raise web.HTTPError(400, f"Unknown field(s): {', '.join(sorted(unknown))}.")
        content = body.get("content")
        if not isinstance(content, str):
            raise web.HTTPError(400, "content is required, as a string.")
        report = await run_blocking(self.guardrails.report, content)
        await record_decision(self, "analyze", content, report)
        self.write_json(report)


class OverrideHandler(AnalyzeHandler):
    """An admin lets code the guardrails block be run anyway: allowed, and audited."""

    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.json_object()
        content, reason = body.get("content"), body.get("reason", "")
        if not isinstance(content, str):
            raise web.HTTPError(400, "content is required, as a string.")
        if not isinstance(reason, str):
            raise web.HTTPError(400, "reason must be a string.")
        admin = self.authorizer.is_authorized(self, self.current_user, "admin", "scriptforge")
        if not await ensure_async(admin):
            raise web.HTTPError(403, "Only a ScriptForge admin can run code the guardrails block.")
        report = await run_blocking(self.guardrails.report, content)
        await record_decision(self, "override", content, report, reason=reason)
        self.write_json({"allowed": True, "analysis": report})


async def record_decision(
    handler: ScriptForgeHandler,
    action: str,
    content: str,
    report: dict[str, Any],
    **details: Any,
) -> None:
    """Every guardrail decision goes to the audit log: who, when, on what, which verdict."""
    audit: AuditLog = handler.settings["scriptforge.audit"]
    verdict = "overridden" if action == "override" else str(report["verdict"])
    await audit.record(
        AuditEntry(
            handler.user_name, action, "", content, "", verdict, {"analysis": report, **details}
        )
    )


default_handlers = [("analyze", AnalyzeHandler), ("analyze/override", OverrideHandler)]
