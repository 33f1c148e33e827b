"""When a schedule fires: a cron expression (croniter's five fields, or six with seconds
last) read in a time zone, and which of its times are due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import CroniterError, croniter

from ..errors import InvalidInput

# How many fire times the editor previews.
PREVIEWED = 5
# Most fire times looked through to find the ones due (a schedule every second, a day down).
_LOOKED_THROUGH = 100_000


@dataclass(frozen=True)
class Timing:
    cron: str
    timezone: str

    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def after(self, moment: datetime, count: int = 1) -> list[datetime]:
        """The next ``count`` fire times after ``moment``, in the schedule's time zone."""
        times = croniter(self.cron, moment.astimezone(self.zone()))
        return [times.get_next(datetime) for _ in range(count)]

    def due(self, since: datetime, now: datetime) -> tuple[list[datetime], datetime]:
        """The fire times from ``since`` (included) up to ``now`` (included), the last few
        when very many, and the first one after ``now``."""
        found: list[datetime] = []
        times = croniter(self.cron, (since - timedelta(microseconds=1)).astimezone(self.zone()))
        for _ in range(_LOOKED_THROUGH):
            moment = times.get_next(datetime)
            if moment > now:
                return found[-PREVIEWED:], moment
            found.append(moment)
        return found[-PREVIEWED:], self.after(now)[0]


def timing_of(cron: object, timezone: object, min_seconds: float) -> Timing:
    """A checked ``Timing``; 400 naming the field at fault. Fires closer together than
    ``min_seconds`` are refused (a schedule every second would fill the queue)."""
    if not isinstance(cron, str) or not cron.strip():
        raise InvalidInput("cron is required: five fields (or six, seconds last).", field="cron")
    if not isinstance(timezone, str) or not timezone:
        raise InvalidInput("timezone is required, e.g. 'Europe/Berlin' or 'UTC'.", field="timezone")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"timezone {timezone!r} is no IANA time zone.", field="timezone"
        ) from None
    cron = " ".join(cron.split())
    if len(cron.split()) not in (5, 6) and not cron.startswith("@"):
        raise InvalidInput(
            f"cron {cron!r} needs five fields (minute hour day month weekday), or six with"
            " seconds last.",
            field="cron",
        )
    timing = Timing(cron, timezone)
    try:
        times = timing.after(datetime.now().astimezone(), PREVIEWED + 1)
    except (CroniterError, ValueError, KeyError) as error:
        raise InvalidInput(f"cron {cron!r}: {error}", field="cron") from None
    closest = min((later - earlier).total_seconds() for earlier, later in pairwise(times))
    if closest < min_seconds:
        raise InvalidInput(
            f"cron {cron!r} fires {closest:g} s apart; a schedule may fire at most every"
            f" {min_seconds:g} s.",
            field="cron",
        )
    return timing
