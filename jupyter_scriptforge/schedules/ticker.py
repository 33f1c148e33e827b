"""Firing schedules. Every server sharing the store ticks; each fire time is started by the
one server whose claim the store accepts (a unique row per schedule and time), so two or
more servers never start it twice, whatever their clocks say.

Missed fire times (no server ran then) follow the schedule's ``missed``: ``skip`` starts
nothing for a time older than the grace, ``once`` starts the latest of them once. Never a
burst: a schedule starts at most one run per tick.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from .._async import run_blocking
from ..db.models import Schedule
from ..db.schedule_store import ScheduleStore
from ..db.types import utcnow
from ..errors import Forbidden, NotFound, ScriptForgeError
from ..execution.run_requests import run_request
from ..rights import Actor
from .owners import ActorOf
from .timing import Timing

log = logging.getLogger(__name__)

# 404 unless the actor may see what a schedule runs (a run body); 400 if it cannot run.
CheckTarget = Callable[[Actor, dict[str, Any]], Awaitable[None]]
# Starts a run: (actor, request, schedule id) → the run.
Submit = Callable[..., Awaitable[dict[str, Any]]]


class ScheduleTicker:
    def __init__(
        self,
        store: ScheduleStore,
        submit: Submit,
        actor_of: ActorOf,
        check_target: CheckTarget,
        *,
        instance: str,
        tick_seconds: float,
        grace_seconds: float,
        max_run_timeout: float,
    ) -> None:
        self._store = store
        self._submit = submit
        self._actor_of = actor_of
        self._check_target = check_target
        self._instance = instance
        self.tick_seconds = tick_seconds
        self._grace = timedelta(seconds=grace_seconds)
        self._max_run_timeout = max_run_timeout
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    def start(self) -> None:
        if self._task is None:
            self._stopping.clear()
            self._task = asyncio.create_task(self._loop(), name="scriptforge-schedules")

    async def stop(self) -> None:
        """Stop after the tick under way: cancelling one would leave its store query
        running in its thread after the store is closed."""
        if self._task is not None:
            self._stopping.set()
            await self._task
            self._task = None

    async def _loop(self) -> None:
        # A tick after each wait, none at start: a server stopped at once asked nothing.
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.tick_seconds)
            if self._stopping.is_set():
                return
            try:
                await self.tick()
            except Exception:  # a store that does not answer now may answer next time
                log.exception("ScriptForge: firing schedules failed")

    async def tick(self, now: datetime | None = None) -> list[int]:
        """Start what is due now; → the runs this server started."""
        now = now or utcnow()
        started = []
        for schedule in await run_blocking(self._store.due, now):
            run_id = await self._fire(schedule, now)
            if run_id is not None:
                started.append(run_id)
        return started

    async def _fire(self, schedule: Schedule, now: datetime) -> int | None:
        assert schedule.next_fire_at is not None
        timing = Timing(schedule.cron, schedule.timezone)
        due, following = timing.due(schedule.next_fire_at, now)
        chosen = due[-1] if due else None
        if chosen is not None and schedule.missed == "skip" and now - chosen > self._grace:
            chosen = None  # missed while no server ran: skipped
        claim = None
        if chosen is not None:
            claim = await run_blocking(self._store.claim, schedule.id, chosen, self._instance)
        await run_blocking(self._store.move_on, schedule.id, schedule.next_fire_at, following)
        if claim is None:
            return None  # nothing to start, or another server started it
        return await self._start(schedule, claim)

    async def _start(self, schedule: Schedule, claim: int) -> int | None:
        try:
            # In the try: a hub that does not answer fails this fire time alone.
            actor = await self._actor_of(schedule.owner)
            if actor is None:
                raise Forbidden(f"{schedule.owner} may not run scripts here any more.")
            await self._check_target(actor, schedule.run)
            run = await self._submit(
                actor, run_request(schedule.run, self._max_run_timeout), schedule_id=schedule.id
            )
        except (Forbidden, NotFound) as error:
            # The owner lost a right or the script went: later times would fail the same.
            await run_blocking(self._store.fired, claim, error=error.message)
            await run_blocking(
                self._store.change,
                schedule.id,
                active=False,
                next_fire_at=None,
                stopped_because=error.message,
            )
            return None
        except ScriptForgeError as error:
            await run_blocking(self._store.fired, claim, error=error.message)
            return None
        await run_blocking(self._store.fired, claim, run_id=int(run["id"]))
        return int(run["id"])
