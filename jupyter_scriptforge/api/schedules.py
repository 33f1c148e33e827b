"""Schedules: create, list, read, change (edit, pause, resume), delete; and the fire times
of an expression previewed while it is typed."""

from tornado import web

from ..schedules.service import ScheduleService
from .base import ScriptForgeHandler


class SchedulesBase(ScriptForgeHandler):
    @property
    def schedules(self) -> ScheduleService:
        return self.services.schedules


class SchedulesHandler(SchedulesBase):
    @web.authenticated
    async def get(self) -> None:
        self.write_json({"schedules": await self.schedules.listing(self.actor)})

    @web.authenticated
    async def post(self) -> None:
        created = await self.schedules.create(self.actor, self.json_object())
        self.write_json(created, status=201)


class PreviewHandler(SchedulesBase):
    @web.authenticated
    async def get(self) -> None:
        cron = self.get_query_argument("cron", "")
        timezone = self.get_query_argument("timezone", "UTC")
        self.write_json({"next": self.schedules.preview(cron, timezone)})


class ScheduleHandler(SchedulesBase):
    @web.authenticated
    async def get(self, schedule_id: str) -> None:
        found = await self.schedules.get(self.actor, self.path_id(schedule_id, "schedule"))
        self.write_json(found)

    @web.authenticated
    async def patch(self, schedule_id: str) -> None:
        schedule = self.path_id(schedule_id, "schedule")
        self.write_json(await self.schedules.change(self.actor, schedule, self.json_object()))

    @web.authenticated
    async def delete(self, schedule_id: str) -> None:
        await self.schedules.delete(self.actor, self.path_id(schedule_id, "schedule"))
        self.set_status(204)
        self.finish()


default_handlers = [
    ("schedules", SchedulesHandler),
    ("schedules/preview", PreviewHandler),
    (r"schedules/([^/]+)", ScheduleHandler),
]
