"""When a schedule fires: a cron expression (croniter's five fields, or six with seconds
last) read in a time zone, and which of its times are due.

Where the clocks change, a schedule does what cron does: a time the clocks skip fires once,
just after the jump (croniter's answer), and in the hour the clocks repeat a schedule of a
set hour ("30 1 * * *") fires the first time only, while one of every hour ("0 * * * *")
fires in both, as both are hours that pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice, pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import CroniterError, croniter

from ..errors import InvalidInput

# How many fire times the editor previews.
PREVIEWED = 5
# Most fire times looked through to find the ones due (a schedule every second, a day down).
_LOOKED_THROUGH = 100_000
# croniter's shorthands whose hour is set (@hourly's is every hour).
_SET_HOUR_MACROS = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight")


@dataclass(frozen=True)
class Timing:
    cron: str
    timezone: str

    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def after(self, moment: datetime, count: int = 1) -> list[datetime]:
        """The next ``count`` fire times after ``moment``, in the schedule's time zone."""
        return list(islice(self._times(moment), count))

    def due(self, since: datetime, now: datetime) -> tuple[list[datetime], datetime]:
        """The fire times from ``since`` (included) up to ``now`` (included), the last few
        when very many, and the first one after ``now``."""
        found: list[datetime] = []
        for moment in islice(self._times(since - timedelta(microseconds=1)), _LOOKED_THROUGH):
            if moment > now:
                return found[-PREVIEWED:], moment
            found.append(moment)
        return found[-PREVIEWED:], self.after(now)[0]

    def _times(self, start: datetime) -> Iterator[datetime]:
        """The fire times after ``start``, one by one (see the module docstring)."""
        times = croniter(self.cron, start.astimezone(self.zone()))
        set_hour = self._hour_is_set()
        while True:
            moment: datetime = times.get_next(datetime)
            if not (set_hour and _repeated(moment)):
                yield moment

    def _hour_is_set(self) -> bool:
        if self.cron.startswith("@"):
            return self.cron.lower() in _SET_HOUR_MACROS
        return not self.cron.split()[1].startswith("*")


def _repeated(moment: datetime) -> bool:
    """Whether ``moment`` is the second time its wall clock shows this time (croniter marks
    it with ``fold=1``, as PEP 495 does), the clocks having gone back."""
    return moment.fold == 1 and moment.replace(fold=0).utcoffset() != moment.utcoffset()


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
