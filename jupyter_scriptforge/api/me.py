"""GET /scriptforge/api/me: who the user is to ScriptForge, so the UI offers only what they
may do (the server checks every request regardless)."""

from tornado import web

from .base import ScriptForgeHandler


class MeHandler(ScriptForgeHandler):
    @web.authenticated
    async def get(self) -> None:
        self.write_json(self.actor.to_json())


default_handlers = [("me", MeHandler)]
