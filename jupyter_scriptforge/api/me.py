"""GET /scriptforge/api/me: who the user is to ScriptForge, so the UI offers only what they
may do (the server checks every request regardless)."""

from jupyter_server.auth.decorator import authorized
from tornado import web

from .base import ScriptForgeHandler


class MeHandler(ScriptForgeHandler):
    @web.authenticated
    @authorized
    async def get(self) -> None:
        self.write_json({"name": self.user_name, "admin": await self.is_admin()})


default_handlers = [("me", MeHandler)]
