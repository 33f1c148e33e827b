"""GET /scriptforge/api/health."""

from tornado import web

from ..health import HealthService
from .base import ScriptForgeHandler


class HealthHandler(ScriptForgeHandler):
    @property
    def health(self) -> HealthService:
        return self.services.health

    @web.authenticated
    async def get(self) -> None:
        self.write_json(await self.health.report())


default_handlers = [("health", HealthHandler)]
