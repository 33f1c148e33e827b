"""The assistant's audit log in the store: append, and read newest first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from .models import AssistantAudit
from .store import Store


class AuditStore:
    def __init__(self, store: Store) -> None:
        self._store = store

    def add(self, **values: Any) -> AssistantAudit:
        with self._store.writing() as tx:
            record = AssistantAudit(**{key: _storable(value) for key, value in values.items()})
            tx.session.add(record)
            tx.session.flush()
            return record

    def records(
        self,
        user: str | None = None,
        action: str | None = None,
        limit: int = 50,
        before: int | None = None,
    ) -> Sequence[AssistantAudit]:
        """Newest first; ``before`` an id pages back."""
        query = select(AssistantAudit).order_by(AssistantAudit.id.desc()).limit(limit)
        if user is not None:
            query = query.where(AssistantAudit.user == user)
        if action is not None:
            query = query.where(AssistantAudit.action == action)
        if before is not None:
            query = query.where(AssistantAudit.id < before)
        with self._store.reading() as tx:
            return tx.session.scalars(query).all()


def _storable(value: Any) -> Any:
    """``value`` with NUL shown as its control picture: PostgreSQL's text and JSON refuse
    NUL, and code under analysis may carry one."""
    if isinstance(value, str):
        return value.replace("\x00", "\u2400")
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(v) for v in value]
    return value
