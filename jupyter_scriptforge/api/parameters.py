"""A script's parameters: GET scripts/{id}/parameters[?version=]."""

from tornado import web

from ..errors import InvalidInput
from .base import ScriptForgeHandler


class ParametersHandler(ScriptForgeHandler):
    """The JSON Schema of what the version (the head by default) takes, read from its code;
    ``schema`` null when it declares nothing readable (free-form arguments)."""

    @web.authenticated
    async def get(self, script_id: str) -> None:
        parameters = self.services.parameters
        script = self.path_id(script_id, "script")
        version = self.int_argument("version")
        source = self.get_query_argument("source", None)
        if source not in (None, "working_copy"):
            raise InvalidInput("source may only be working_copy.")
        if source is not None and version is not None:
            raise InvalidInput("Give either version or source, not both.")
        if source == "working_copy":
            found = await parameters.of_working_copy(script, self.user_name)
        else:
            found = await parameters.of_version(script, version, self.user_name)
        self.write_json(found.to_json())


default_handlers = [(r"scripts/([^/]+)/parameters", ParametersHandler)]
