"""The guardrails' answers to a user, each on the audit log: an analysis of any code, and
an admin's override of a block (refused, and recorded as such, for anyone else).

The log and its events are read by admins and event sinks, not by the code's author, so
what they get is the decision's audit form (guardrails/decisions.py): the code's secrets,
and the lines of the findings quoting them, redacted; ``details["redacted"]`` counts them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from .._async import run_blocking
from ..audit import AuditEntry
from ..errors import Forbidden, InvalidInput
from ..rights import Actor
from .decisions import AuditForm
from .holds import GuardrailHolds
from .service import GuardrailService

if TYPE_CHECKING:
    from ..execution.interpreters import Interpreter


class GuardrailReviews:
    """Analyses and overrides for users, one at a time per user (``GuardrailService.turn``)."""

    def __init__(
        self,
        guardrails: GuardrailService,
        holds: GuardrailHolds,
        audit: Callable[[AuditEntry], Awaitable[Any]],
    ) -> None:
        self._guardrails = guardrails
        self._holds = holds
        self._audit = audit

    async def analyze(
        self,
        user: str,
        content: str,
        original: str | None = None,
        interpreter: Interpreter | None = None,
    ) -> dict[str, Any]:
        """The report on ``content`` (beside ``original``, on ``interpreter``), audited."""
        report, form = await self._decide(user, content, original, interpreter)
        await self._record(user, "analyze", str(report["verdict"]), form)
        return report

    async def override(self, actor: Actor, content: str, reason: str) -> dict[str, Any]:
        """Release the hold on ``content`` for an admin who says why it is safe; anyone
        else is refused (Forbidden), and the attempt is on record. → the report."""
        user = actor.name
        if not actor.is_admin:
            # Who tried to run what the guardrails block.
            _, form = await self._decide(user, content)
            await self._record(user, "override", "refused", form, reason=reason, refused=True)
            raise Forbidden("Only a ScriptForge admin can run code the guardrails block.")
        if not reason.strip():
            raise InvalidInput("reason is required: say why the code is safe to run.")
        report, form = await self._decide(user, content)
        await self._holds.release(content, user, reason, report)
        await self._record(user, "override", "overridden", form, reason=reason)
        return report

    async def _decide(
        self,
        user: str,
        content: str,
        original: str | None = None,
        interpreter: Interpreter | None = None,
    ) -> tuple[dict[str, Any], AuditForm]:
        async with self._guardrails.turn(user):
            return await run_blocking(self._guardrails.decision, content, original, interpreter)

    async def _record(
        self, user: str, action: str, verdict: str, form: AuditForm, **details: Any
    ) -> None:
        if form.counts:
            details = {**details, "redacted": form.counts}
        entry = AuditEntry(
            user, action, "", form.content, "", verdict, {"analysis": form.report, **details}
        )
        await self._audit(entry)
