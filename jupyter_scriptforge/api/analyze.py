"""POST /scriptforge/api/analyze: the guardrail report on any code."""

import re
from typing import Any

from jupyter_server.auth.decorator import authorized
from tornado import web

from .._async import run_blocking
from ..assistant.audit import AuditLog
from ..assistant.service import AuditEntry
from ..guardrails import REDACTED, GuardrailService, redact
from ..guardrails.findings import code_line
from ..guardrails.holds import GuardrailHolds
from .base import ScriptForgeHandler


class AnalyzeHandler(ScriptForgeHandler):
    @property
    def guardrails(self) -> GuardrailService:
        service: GuardrailService = self.settings["scriptforge.guardrails"]
        return service

    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.json_fields({"content", "original"})
        content, original = body.get("content"), body.get("original")
        if not isinstance(content, str):
            raise web.HTTPError(400, "content is required, as a string.")
        if original is not None and not isinstance(original, str):
            raise web.HTTPError(400, "original must be a string.")
        report = await run_blocking(self.guardrails.report, content, original)
        await record_decision(self, "analyze", content, report)
        self.write_json(report)


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
            report = await run_blocking(self.guardrails.report, content)
            await record_decision(self, "override", content, report, reason=reason, refused=True)
            raise web.HTTPError(403, "Only a ScriptForge admin can run code the guardrails block.")
        if not reason.strip():
            raise web.HTTPError(400, "reason is required: say why the code is safe to run.")
        report = await run_blocking(self.guardrails.report, content)
        holds: GuardrailHolds = self.settings["scriptforge.holds"]
        await holds.release(content, self.user_name, reason, report)
        await record_decision(self, "override", content, report, reason=reason)
        self.write_json({"allowed": True, "analysis": report})


async def record_decision(
    handler: ScriptForgeHandler,
    action: str,
    content: str,
    report: dict[str, Any],
    **details: Any,
) -> None:
    """Every guardrail decision goes to the audit log: who, when, on what, which verdict.

    The log and its events are read by admins and event sinks, not by the code's author, so
    what they get is redacted like a prompt: the code's secrets (and the lines of the
    findings quoting them) become ``«redacted»``; ``details["redacted"]`` counts them."""
    audit: AuditLog = handler.settings["scriptforge.audit"]
    if action == "override":
        verdict = "refused" if details.get("refused") else "overridden"
    else:
        verdict = str(report["verdict"])
    stored, analysis, counts = await run_blocking(_redacted, content, report)
    if counts:
        details = {**details, "redacted": counts}
    await audit.record(
        AuditEntry(
            handler.user_name, action, "", stored, "", verdict, {"analysis": analysis, **details}
        )
    )


def _unquote(message: str, content: str, redacted: str) -> str:
    """``message`` without the quoted parts of ``content`` that its redaction lost: bandit
    quotes what it found (``Possible hardcoded password: 'hunter2'``), from any line of a
    statement, and whole (``'it's'``: from its first quote to its last, then each pair)."""

    def replace(match: re.Match[str]) -> str:
        quoted = match[0][1:-1]
        secret = quoted and quoted in content and quoted not in redacted
        return f"'{REDACTED}'" if secret else match[0]

    for quoted in _QUOTED:
        message = quoted.sub(replace, message)
    return message


# A quoted part of a message: first the widest, from a quote to the last like it (a secret
# may hold quotes), then each pair.
_QUOTED = (re.compile(r"'.*'|\".*\"", re.DOTALL), re.compile(r"'[^']*'|\"[^\"]*\""))


def _redacted(content: str, report: dict[str, Any]) -> tuple[str, dict[str, Any], dict[str, int]]:
    """The content and the report with every secret redacted (blocking: regexes on up to
    ``max_content_bytes``).

    A finding's code is its line of the redacted content, shortened as the analysis does: a
    secret its own shortening cut (a long ``password = "..."``) would not be recognised in
    what is left. Multi-line secrets keep their line breaks, so the numbers still match."""
    redacted = redact(content, keep_lines=True)
    counts = dict(redacted.counts)
    if not counts:
        return content, report, counts
    lines = re.split(r"\r\n|\r|\n", redacted.text)  # the line breaks the analysis counts
    findings = []
    for finding in report.get("findings", []):
        code, line = finding.get("code"), finding.get("line")
        if isinstance(code, str) and code:
            # The line's secrets are counted in the content already.
            whole = code_line(lines, line) if isinstance(line, int) else ""
            finding = {**finding, "code": whole or redact(code).text}
        message = finding.get("message")
        if isinstance(message, str):
            finding = {**finding, "message": _unquote(message, content, redacted.text)}
        findings.append(finding)
    return redacted.text, {**report, "findings": findings}, counts


default_handlers = [("analyze", AnalyzeHandler), ("analyze/override", OverrideHandler)]
