"""Holds on blocked code in the store, keyed by the SHA-256 of the content and the user the
assistant handed it to."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from .models import GuardrailHold
from .store import Store, UniqueViolationError
from .types import utcnow


class HoldStore:
    def __init__(self, store: Store) -> None:
        self._store = store

    def hold(self, sha256: bytes, findings: list[dict[str, Any]], user: str, action: str) -> bool:
        """Hold this content for ``user``, unless an admin released it (a release stands for
        that exact content). → whether it is held for them now."""
        try:
            with self._store.writing() as tx:
                rows = tx.session.scalars(
                    select(GuardrailHold).where(GuardrailHold.sha256 == sha256)
                ).all()
                if any(r.released_by is not None for r in rows):
                    return False
                if any(r.held_for == user for r in rows):
                    return True
                tx.session.add(
                    GuardrailHold(
                        sha256=sha256,
                        held_for=user,
                        findings=findings,
                        action=action,
                        held_at=utcnow(),
                        reason="",
                    )
                )
                return True
        except UniqueViolationError:  # the same user's other request held it first
            return True

    def release(
        self, sha256: bytes, admin: str, reason: str, findings: list[dict[str, Any]]
    ) -> None:
        """Let this content run, for everyone: its holds are released, and a released record
        made if there was none yet (an admin may override before the code is applied)."""
        for attempt in range(2):
            try:
                with self._store.writing() as tx:
                    now = utcnow()
                    released = tx.session.execute(
                        update(GuardrailHold)
                        .where(GuardrailHold.sha256 == sha256)
                        .values(released_by=admin, released_at=now, reason=reason)
                    )
                    if not released.rowcount:  # type: ignore[attr-defined]
                        tx.session.add(
                            GuardrailHold(
                                sha256=sha256,
                                held_for=admin,
                                findings=findings,
                                action="override",
                                held_at=now,
                                released_by=admin,
                                released_at=now,
                                reason=reason,
                            )
                        )
                    return
            except UniqueViolationError:
                if attempt:  # a hold made between the update and the insert: update it
                    raise

    def active(self, sha256: bytes, author: str) -> GuardrailHold | None:
        """The hold that keeps a version by ``author`` with this content from running: any
        unreleased one if the assistant wrote the version, else one made for its author."""
        with self._store.reading() as tx:
            rows = tx.session.scalars(
                select(GuardrailHold).where(GuardrailHold.sha256 == sha256)
            ).all()
        if any(r.released_by is not None for r in rows):
            return None
        by_assistant = author.startswith(ASSISTANT_AUTHOR)
        return next((r for r in rows if by_assistant or r.held_for == author), None)


# Versions the assistant records are authored "assistant for <user>".
ASSISTANT_AUTHOR = "assistant for "
