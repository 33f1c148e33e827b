"""Language intelligence for ScriptForge's own panels: the language servers and what they
say about a text (``LanguageService``). The editor itself talks LSP to jupyter-lsp's
WebSocket; these are for everything else (the assistant's review, the status indicator)."""

from typing import Any

from tornado import web

from ..errors import InvalidInput, TooLarge
from ..inputs import known_fields, optional_text, required_int, required_text
from ..rights import Right
from .base import ScriptForgeHandler, actor_of


class LanguageServersHandler(ScriptForgeHandler):
    """GET language-servers[?path=P]: each interpreter's server; with ``path``, also the
    interpreter whose server serves that file (what the editor's indicator shows)."""

    @web.authenticated
    async def get(self) -> None:
        servers = [status.to_dict() for status in self.services.language_servers.statuses()]
        answer: dict[str, object] = {"language_servers": servers}
        path = self.get_query_argument("path", None)
        if path is not None:
            answer["interpreter"] = await self.services.lsp_placement.interpreter_of_path(path)
        self.write_json(answer)


class LanguageHandler(ScriptForgeHandler):
    """POST language/{diagnostics,completions,hover} {content, interpreter?, offset}."""

    @web.authenticated
    async def post(self, what: str) -> None:
        body = self.json_object()
        known_fields(body, ("content", "interpreter", "offset"))
        content = required_text(body, "content")
        if len(content.encode()) > self.services.versions.max_script_bytes:
            raise TooLarge("content is larger than a script may be.")
        interpreter = await self._interpreter(optional_text(body, "interpreter"))
        language = self.services.language
        if what == "diagnostics":
            found = await language.diagnostics(content, interpreter)
            self.write_json(
                {"interpreter": interpreter, "diagnostics": [d.to_dict() for d in found]}
            )
            return
        offset = required_int(body, "offset")
        if offset > len(content):
            raise InvalidInput("offset is past the end of the content.")
        if what == "completions":
            items = await language.completions(content, offset, interpreter)
            self.write_json({"interpreter": interpreter, "items": items})
        else:
            contents = await language.hover(content, offset, interpreter)
            self.write_json({"interpreter": interpreter, "contents": contents})

    async def _interpreter(self, name: str | None) -> str:
        registry = self.services.interpreters
        if name is None:
            default = await registry.default()
            if default is None:
                raise InvalidInput("This server has no interpreter.")
            return default.name
        if await registry.get(name) is None:
            raise InvalidInput(f"There is no interpreter {name!r}.")
        return name


class LanguageSourceHandler(ScriptForgeHandler):
    """GET language/source?path=<interpreter>/<absolute path>: a file outside the root that
    a language server pointed to (what the editor's read-only ``sources:`` drive shows)."""

    @web.authenticated
    async def get(self) -> None:
        path = self.get_query_argument("path", None)
        if not path:
            raise InvalidInput("path is required.")
        source = await self.services.language.source(path)
        self.write_json(source.to_dict())


async def editor_socket_refusal(server_user: str, handler: Any, user: Any) -> str | None:
    """Under JupyterHub the editor's socket reads scripts too: it needs the read right."""
    if (await actor_of(handler, user, server_user)).may(Right.READ):
        return None
    return f"The editor's language server needs {Right.READ.scope}."


default_handlers = [
    ("language-servers", LanguageServersHandler),
    (r"language/(diagnostics|completions|hover)", LanguageHandler),
    ("language/source", LanguageSourceHandler),
]
