"""The pins of versions' dependencies in the store: written once per version and kind of
interpreter, then only read."""

from __future__ import annotations

from .models import DependencyPins
from .store import Store, UniqueViolationError
from .types import utcnow


class PinStore:
    def __init__(self, store: Store) -> None:
        self._store = store

    def pins(self, version_id: int, target: str) -> list[str] | None:
        with self._store.reading() as tx:
            row = tx.session.get(DependencyPins, (version_id, target))
            return list(row.pins) if row is not None else None

    def record(self, version_id: int, target: str, pins: list[str]) -> list[str]:
        """Record ``pins`` unless some are already: → the pins that stand (the first)."""
        try:
            with self._store.writing() as tx:
                tx.session.add(
                    DependencyPins(
                        version_id=version_id, target=target, pins=pins, resolved_at=utcnow()
                    )
                )
            return pins
        except UniqueViolationError:  # another run of the version resolved first
            recorded = self.pins(version_id, target)
            assert recorded is not None
            return recorded
