"""The audit log: every assistant request and answer, every guardrail decision (analyses,
overrides, holds) and every runtime-policy refusal.

``AuditLog.record`` stores an ``AuditEntry`` (through the store) and emits it as a
jupyter-events event (schema ``events/assistant_audit.yaml``); admins read it back through
``GET audit``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ._async import run_blocking
from .db.audit_store import AuditStore
from .db.models import AssistantAudit
from .rights import Actor, Right

log = logging.getLogger(__name__)

SCHEMA_PATH = Path(__file__).parent / "events" / "assistant_audit.yaml"
SCHEMA_ID = "https://events.jupyter.org/jupyter_scriptforge/assistant_audit/v1"


@dataclass(frozen=True)
class AuditEntry:
    """One audited act: who, which action, what was asked and answered, the verdict."""

    user: str
    action: str
    model: str
    prompt: str
    response: str
    verdict: str
    details: dict[str, Any] = field(default_factory=dict)


class EventEmitter(Protocol):
    def emit(self, *, schema_id: str, data: dict[str, Any]) -> Any: ...


def audit_json(record: AssistantAudit) -> dict[str, Any]:
    return {
        "id": record.id,
        "created_at": record.created_at.isoformat(),
        "user": record.user,
        "action": record.action,
        "model": record.model,
        "prompt": record.prompt,
        "response": record.response,
        "verdict": record.verdict,
        "details": dict(record.details),
    }


class AuditLog:
    def __init__(self, store: AuditStore, events: EventEmitter | None = None) -> None:
        self._store = store
        self._events = events

    async def record(self, entry: AuditEntry) -> dict[str, Any]:
        record = await run_blocking(
            self._store.add,
            user=entry.user,
            action=entry.action,
            model=entry.model,
            prompt=entry.prompt,
            response=entry.response,
            verdict=entry.verdict,
            details=entry.details,
        )
        data = audit_json(record)
        if self._events is not None:
            try:
                self._events.emit(schema_id=SCHEMA_ID, data=data)
            except Exception:  # the record is stored; a failing event sink must not undo it
                log.exception("Could not emit the audit event %s", record.id)
        return data

    async def records(
        self,
        reader: Actor,
        user: str | None = None,
        action: str | None = None,
        limit: int = 50,
        before: int | None = None,
    ) -> list[dict[str, Any]]:
        """The newest records first; the log holds prompts and code, so admins only."""
        reader.require(Right.ADMIN)
        found = await run_blocking(self._store.records, user, action, limit, before)
        return [audit_json(record) for record in found]
