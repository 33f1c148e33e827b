"""A script's parameters: GET scripts/{id}/parameters[?version=]."""

from tornado import web

from .base import ScriptForgeHandler


class ParametersHandler(ScriptForgeHandler):
    """The JSON Schema of what the version (the head by default) takes, read from its code;
    ``schema`` null when it declares nothing readable (free-form arguments)."""

    @web.authenticated
    async def get(self, script_id: str) -> None:
        found = await self.services.parameters.of_version(
            self.path_id(script_id, "script"), self.int_argument("version"), self.user_name
        )
        self.write_json(found.to_json())


default_handlers = [(r"scripts/([^/]+)/parameters", ParametersHandler)]
