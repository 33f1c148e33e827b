"""Schedules in the store, and the claim on each of their fire times that keeps servers
sharing one store from starting a time twice."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update

from .models import Run, Schedule, ScheduleFire
from .store import Store, UniqueViolationError
from .types import utcnow


class ScheduleStore:
    def __init__(self, store: Store) -> None:
        self._store = store

    def add(self, schedule: Schedule) -> Schedule:
        with self._store.writing() as tx:
            tx.session.add(schedule)
            tx.session.flush()
            tx.session.expunge(schedule)
        return schedule

    def get(self, schedule_id: int) -> Schedule | None:
        with self._store.reading() as tx:
            found = tx.session.get(Schedule, schedule_id)
            if found is not None:
                tx.session.expunge(found)
            return found

    def listing(self, owner: str | None, limit: int) -> Sequence[Schedule]:
        """Schedules, newest first; ``owner``: only theirs."""
        query = select(Schedule).order_by(Schedule.id.desc()).limit(limit)
        if owner is not None:
            query = query.where(Schedule.owner == owner)
        with self._store.reading() as tx:
            found = tx.session.scalars(query).all()
            tx.session.expunge_all()
            return found

    def change(self, schedule_id: int, **values: Any) -> Schedule | None:
        """Set ``values``; → the schedule as it is now, None if there is none."""
        with self._store.writing() as tx:
            tx.session.execute(
                update(Schedule)
                .where(Schedule.id == schedule_id)
                .values(**values, updated_at=utcnow())
            )
            found = tx.session.get(Schedule, schedule_id)
            if found is not None:
                tx.session.refresh(found)
                tx.session.expunge(found)
            return found

    def remove(self, schedule_id: int) -> bool:
        with self._store.writing() as tx:
            tx.session.execute(delete(ScheduleFire).where(ScheduleFire.schedule_id == schedule_id))
            removed = tx.session.execute(delete(Schedule).where(Schedule.id == schedule_id))
            return bool(removed.rowcount)  # type: ignore[attr-defined]

    # --- firing ------------------------------------------------------------------------

    def due(self, now: datetime, limit: int = 100) -> Sequence[Schedule]:
        """Active schedules whose next fire time has come."""
        query = (
            select(Schedule)
            .where(Schedule.active.is_(True), Schedule.next_fire_at <= now)
            .order_by(Schedule.next_fire_at)
            .limit(limit)
        )
        with self._store.reading() as tx:
            found = tx.session.scalars(query).all()
            tx.session.expunge_all()
            return found

    def move_on(self, schedule_id: int, was: datetime, to: datetime | None) -> None:
        """The next fire time is ``to`` now, unless another server moved it on already."""
        with self._store.writing() as tx:
            tx.session.execute(
                update(Schedule)
                .where(Schedule.id == schedule_id, Schedule.next_fire_at == was)
                .values(next_fire_at=to)
            )

    def claim(self, schedule_id: int, fire_at: datetime, by: str) -> int | None:
        """Claim a fire time for server ``by``: → the claim's id, or None if another server
        holds it (the store's unique key decides, whatever the servers' clocks)."""
        fire = ScheduleFire(
            schedule_id=schedule_id, fire_at=fire_at, claimed_by=by, claimed_at=utcnow()
        )
        try:
            with self._store.writing() as tx:
                tx.session.add(fire)
                tx.session.flush()
                return fire.id
        except UniqueViolationError:
            return None

    def fired(self, fire_id: int, run_id: int | None = None, error: str | None = None) -> None:
        with self._store.writing() as tx:
            tx.session.execute(
                update(ScheduleFire)
                .where(ScheduleFire.id == fire_id)
                .values(run_id=run_id, error=error)
            )

    def fires(self, schedule_id: int, limit: int) -> Sequence[tuple[ScheduleFire, Run | None]]:
        """The schedule's latest fire times with their runs, newest first."""
        query = (
            select(ScheduleFire, Run)
            .outerjoin(Run, Run.id == ScheduleFire.run_id)
            .where(ScheduleFire.schedule_id == schedule_id)
            .order_by(ScheduleFire.fire_at.desc())
            .limit(limit)
        )
        with self._store.reading() as tx:
            rows = [(fire, run) for fire, run in tx.session.execute(query).all()]
            tx.session.expunge_all()
            return rows
