"""A script's declared dependencies (PEP 723): GET scripts/{id}/dependencies[?version=
&interpreter=] tells their state; POST prepares their environment ahead of a run; GET
…/dependencies/environment gives the built environment as a tar stream (a team member's
language server reads it in the user's own container)."""

from contextlib import aclosing

from tornado import web
from tornado.iostream import StreamClosedError

from .base import ScriptForgeHandler


class DependenciesHandler(ScriptForgeHandler):
    @web.authenticated
    async def get(self, script_id: str) -> None:
        state = await self.services.dependencies.state(
            self.user_name,
            self.path_id(script_id, "script"),
            self.int_argument("version"),
            self.get_query_argument("interpreter", None),
        )
        self.write_json(state)

    @web.authenticated
    async def post(self, script_id: str) -> None:
        state = await self.services.dependencies.prepare(
            self.actor,
            self.path_id(script_id, "script"),
            self.int_argument("version"),
            self.get_query_argument("interpreter", None),
        )
        self.write_json(state, status=202)


class EnvironmentArchiveHandler(ScriptForgeHandler):
    @web.authenticated
    async def get(self, script_id: str) -> None:
        name, chunks = await self.services.dependencies.environment(
            self.user_name,
            self.path_id(script_id, "script"),
            self.int_argument("version"),
            self.get_query_argument("interpreter", None),
        )
        self.set_header("Content-Type", "application/x-tar")
        self.set_header("Content-Disposition", f'attachment; filename="{name}.tar"')
        async with aclosing(chunks):
            try:
                async for chunk in chunks:
                    self.write(chunk)
                    await self.flush()
            except StreamClosedError:
                return  # the client went away


class ResolveAgainHandler(ScriptForgeHandler):
    @web.authenticated
    async def post(self, script_id: str) -> None:
        state = await self.services.dependencies.resolve_again(
            self.actor,
            self.path_id(script_id, "script"),
            self.get_query_argument("interpreter", None),
        )
        self.write_json(state, status=201)


default_handlers = [
    (r"scripts/([^/]+)/dependencies", DependenciesHandler),
    (r"scripts/([^/]+)/dependencies/resolve", ResolveAgainHandler),
    (r"scripts/([^/]+)/dependencies/environment", EnvironmentArchiveHandler),
]
