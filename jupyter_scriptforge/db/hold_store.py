"""Holds on blocked code in the store, keyed by the SHA-256 of the content."""

from __future__ import annotations

from typing import Any

from .models import GuardrailHold
from .store import Store, UniqueViolationError
from .types import utcnow


class HoldStore:
    def __init__(self, store: Store) -> None:
        self._store = store

    def hold(self, sha256: bytes, findings: list[dict[str, Any]], user: str, action: str) -> bool:
        """Hold this content unless it is held or was released already (an admin's release
        stands for that exact content). → whether a new hold was made."""
        try:
            with self._store.writing() as tx:
                if tx.session.get(GuardrailHold, sha256) is not None:
                    return False
                tx.session.add(
                    GuardrailHold(
                        sha256=sha256,
                        findings=findings,
                        held_for=user,
                        action=action,
                        held_at=utcnow(),
                        reason="",
                    )
                )
                return True
        except UniqueViolationError:  # another request held the same content first
            return False

    def release(
        self, sha256: bytes, admin: str, reason: str, findings: list[dict[str, Any]]
    ) -> None:
        """Let this content run: the hold is released, or made released if there was none
        yet (an admin may override before the code is applied)."""
        for attempt in range(2):
            try:
                with self._store.writing() as tx:
                    now = utcnow()
                    hold = tx.session.get(GuardrailHold, sha256)
                    if hold is None:
                        hold = GuardrailHold(
                            sha256=sha256,
                            findings=findings,
                            held_for=admin,
                            action="override",
                            held_at=now,
                        )
                        tx.session.add(hold)
                    hold.released_by, hold.released_at, hold.reason = admin, now, reason
                    return
            except UniqueViolationError:
                if attempt:  # a hold made between the read and the insert: update it
                    raise

    def active(self, sha256: bytes) -> GuardrailHold | None:
        """The hold on this content, if it is held and not released."""
        with self._store.reading() as tx:
            hold = tx.session.get(GuardrailHold, sha256)
        return hold if hold is not None and hold.released_by is None else None
