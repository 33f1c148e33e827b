"""Schedules as their owners see and change them: a run body (as ``POST runs`` takes) started
at the times a cron expression names in a time zone, as the schedule's owner."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .._async import run_blocking
from ..db.models import Schedule
from ..db.schedule_store import ScheduleStore
from ..db.types import utcnow
from ..errors import Forbidden, InvalidInput, NotFound, Unprocessable
from ..execution.run_requests import run_request
from ..inputs import Body, known_fields
from ..rights import Actor, Right
from .owners import ActorOf
from .ticker import CheckTarget
from .timing import PREVIEWED, Timing, timing_of

MISSED = ("skip", "once")
# The fields of a run a schedule may carry (as POST runs; env and source are not its own).
_RUN_FIELDS = (
    "script_id",
    "group_id",
    "version_id",
    "interpreter",
    "runner",
    "parameters",
    "timeout",
)
_FIELDS = ("name", "cron", "timezone", "missed", "active", *_RUN_FIELDS)
# Latest fire times shown with a schedule.
_FIRES_SHOWN = 20
_LISTED = 500


class ScheduleService:
    def __init__(
        self,
        store: ScheduleStore,
        check_target: CheckTarget,
        actor_of: ActorOf,
        *,
        min_seconds: float,
        max_run_timeout: float,
    ) -> None:
        """``check_target(actor, run_body)``: 404 unless the actor may read the script or
        group a run body names, 400 if a script without ``version_id`` has no published
        version; ``actor_of(owner)``: how an owner acts at fire time (None: this server cannot
        act for them, so it takes no schedule of theirs)."""
        self._store = store
        self._check_target = check_target
        self._actor_of = actor_of
        self._min_seconds = min_seconds
        self._max_run_timeout = max_run_timeout

    def preview(self, cron: object, timezone: object) -> list[str]:
        """The next fire times of an expression, while it is typed (400 naming the field)."""
        timing = timing_of(cron, timezone, self._min_seconds)
        return [moment.isoformat() for moment in timing.after(utcnow(), PREVIEWED)]

    async def create(self, actor: Actor, body: Body) -> dict[str, Any]:
        actor.require(Right.RUN)
        if await self._actor_of(actor.name) is None:
            raise Unprocessable(
                f"This server cannot start runs as {actor.name} when nobody is signed in, so"
                " it takes no schedules of theirs (it runs for its own user alone)."
            )
        known_fields(body, _FIELDS)
        timing = timing_of(body.get("cron"), body.get("timezone", "UTC"), self._min_seconds)
        run = await self._run_of(actor, body)
        missed = _missed(body.get("missed", "skip"))
        active = _active(body.get("active", True))
        now = utcnow()
        schedule = Schedule(
            name=_name(body.get("name"), timing),
            owner=actor.name,
            cron=timing.cron,
            timezone=timing.timezone,
            run=run,
            missed=missed,
            active=active,
            next_fire_at=timing.after(now)[0] if active else None,
            created_at=now,
            updated_at=now,
        )
        return await self._json(await run_blocking(self._store.add, schedule))

    async def listing(self, actor: Actor) -> list[dict[str, Any]]:
        """The actor's schedules (an admin's: everyone's), newest first."""
        actor.require(Right.READ)
        owner = None if actor.is_admin else actor.name
        found = await run_blocking(self._store.listing, owner, _LISTED)
        return [_as_json(schedule) for schedule in found]

    async def get(self, actor: Actor, schedule_id: int) -> dict[str, Any]:
        return await self._json(await self._visible(actor, schedule_id), with_fires=True)

    async def change(self, actor: Actor, schedule_id: int, body: Body) -> dict[str, Any]:
        """Edit, pause (``active: false``) or resume; 400 changes nothing."""
        schedule = await self._owned(actor, schedule_id)
        known_fields(body, _FIELDS)
        values: dict[str, Any] = {}
        timing = Timing(schedule.cron, schedule.timezone)
        if "cron" in body or "timezone" in body:
            timing = timing_of(
                body.get("cron", schedule.cron),
                body.get("timezone", schedule.timezone),
                self._min_seconds,
            )
            values.update(cron=timing.cron, timezone=timing.timezone)
        if set(body) & set(_RUN_FIELDS):
            kept = {k: v for k, v in schedule.run.items() if k not in ("script_id", "group_id")}
            if not {"script_id", "group_id"} & set(body):
                kept.update(
                    {k: schedule.run[k] for k in ("script_id", "group_id") if k in schedule.run}
                )
            values["run"] = await self._run_of(actor, {**kept, **_run_fields(body)})
        if "missed" in body:
            values["missed"] = _missed(body["missed"])
        if "name" in body:
            values["name"] = _name(body["name"], timing)
        active = _active(body.get("active", schedule.active))
        values["active"] = active
        values["next_fire_at"] = timing.after(utcnow())[0] if active else None
        if active:
            values["stopped_because"] = None
        changed = await run_blocking(self._store.change, schedule_id, **values)
        if changed is None:
            raise NotFound(f"There is no schedule {schedule_id}.")
        return await self._json(changed)

    async def delete(self, actor: Actor, schedule_id: int) -> None:
        await self._owned(actor, schedule_id)
        await run_blocking(self._store.remove, schedule_id)

    # --- helpers -----------------------------------------------------------------------

    async def _run_of(self, actor: Actor, body: Body) -> dict[str, Any]:
        run = _run_fields(body)
        run_request(run, self._max_run_timeout)  # checked as POST runs checks it
        await self._check_target(actor, run)
        return run

    async def _visible(self, actor: Actor, schedule_id: int) -> Schedule:
        actor.require(Right.READ)
        schedule = await run_blocking(self._store.get, schedule_id)
        if schedule is None or (schedule.owner != actor.name and not actor.is_admin):
            raise NotFound(f"There is no schedule {schedule_id}.")
        return schedule

    async def _owned(self, actor: Actor, schedule_id: int) -> Schedule:
        actor.require(Right.RUN)  # no viewer has schedules to change
        schedule = await self._visible(actor, schedule_id)
        if schedule.owner != actor.name and not actor.is_admin:
            raise Forbidden("Only a schedule's owner or an admin may change it.")
        return schedule

    async def _json(self, schedule: Schedule, with_fires: bool = False) -> dict[str, Any]:
        answer = _as_json(schedule)
        if with_fires:
            fires = await run_blocking(self._store.fires, schedule.id, _FIRES_SHOWN)
            zone = Timing(schedule.cron, schedule.timezone).zone()
            answer["fires"] = [
                {
                    "fire_at": fire.fire_at.astimezone(zone).isoformat(),
                    "run_id": fire.run_id,
                    "status": run.status if run is not None else None,
                    "error": fire.error,
                }
                for fire, run in fires
            ]
        return answer


def _as_json(schedule: Schedule) -> dict[str, Any]:
    timing = Timing(schedule.cron, schedule.timezone)
    upcoming: list[datetime] = []
    if schedule.active and schedule.next_fire_at is not None:
        upcoming = [schedule.next_fire_at.astimezone(timing.zone())]
        upcoming += timing.after(schedule.next_fire_at, PREVIEWED - 1)
    return {
        "id": schedule.id,
        "name": schedule.name,
        "owner": schedule.owner,
        "cron": schedule.cron,
        "timezone": schedule.timezone,
        "run": dict(schedule.run),
        "missed": schedule.missed,
        "active": schedule.active,
        "stopped_because": schedule.stopped_because,
        "next": [moment.isoformat() for moment in upcoming],
        "created_at": schedule.created_at.isoformat(),
        "updated_at": schedule.updated_at.isoformat(),
    }


def _run_fields(body: Body) -> dict[str, Any]:
    return {key: body[key] for key in _RUN_FIELDS if key in body and body[key] is not None}


def _missed(value: object) -> str:
    if value not in MISSED:
        raise InvalidInput(
            "missed must be 'skip' (fires missed while no server ran are skipped) or 'once'"
            " (the latest of them runs once).",
            field="missed",
        )
    return str(value)


def _active(value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput("active must be true or false.", field="active")
    return value


def _name(value: object, timing: Timing) -> str:
    if value is None or value == "":
        return f"{timing.cron} ({timing.timezone})"
    if not isinstance(value, str) or len(value) > 255 or not value.strip():
        raise InvalidInput("name must be a text of at most 255 characters.", field="name")
    return value.strip()
