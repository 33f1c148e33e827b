"""A team member's ScriptForge API: every request goes on to the team's service, answered
as the service answers (event streams piece by piece); opening a script writes its working
copy here, and an answer that moved a head or a script moves the working copy with it.
The language server's requests are answered here, by this container's own (``language``).

Only the server's own user is served: the server's token holds that user's rights, and a
collaborator given access to this server must not act with them."""

from __future__ import annotations

import json
import os
import re
from typing import Any

from jupyter_server.base.handlers import APIHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin
from tornado import web
from tornado.httpclient import AsyncHTTPClient, HTTPClientError
from tornado.iostream import StreamClosedError

from ..errors import InvalidInput, ScriptForgeError
from .language import MemberLanguage
from .member_copies import MemberCopies
from .member_packages import MemberPackages
from .service_client import ServiceClient, ServiceError

SETTINGS_KEY = "scriptforge.team"
LANGUAGE_KEY = "scriptforge.team.language"
PACKAGES_KEY = "scriptforge.team.packages"
# Answers after which the script's working copy follows its new head.
_HEAD_MOVES = re.compile(r"scripts/(\d+)/(versions|restore)$")
_SCRIPT = re.compile(r"scripts/(\d+)$")
# Answers that may say a script's environment is ready (its packages then fetched here).
_DEPENDENCIES = re.compile(r"scripts/(\d+)/dependencies$")
# Response headers passed on to the browser (a download's name and guards among them).
_PASSED_ON = {
    "content-type",
    "cache-control",
    "location",
    "retry-after",
    "x-accel-buffering",
    "content-disposition",
    "x-content-type-options",
    "content-security-policy",
}


class MemberHandler(ExtensionHandlerMixin, APIHandler):
    def initialize(self, name: str = "jupyter_scriptforge", *args: Any, **kwargs: Any) -> None:
        super().initialize(name, *args, **kwargs)

    @property
    def service(self) -> ServiceClient:
        return self.settings[SETTINGS_KEY][0]  # type: ignore[no-any-return]

    @property
    def copies(self) -> MemberCopies:
        return self.settings[SETTINGS_KEY][1]  # type: ignore[no-any-return]

    @property
    def language(self) -> MemberLanguage:
        return self.settings[LANGUAGE_KEY]  # type: ignore[no-any-return]

    @property
    def packages(self) -> MemberPackages:
        return self.settings[PACKAGES_KEY]  # type: ignore[no-any-return]

    async def prepare(self) -> None:  # type: ignore[override]
        await super().prepare()
        refused = not_the_owner(self.current_user)
        if refused is not None:
            raise web.HTTPError(403, refused)

    def write_service_error(self, error: ServiceError) -> None:
        self.write_json(error.status, error.body or {"error": "error", "message": str(error)})

    def write_json(self, status: int, body: Any) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))


def not_the_owner(user: Any) -> str | None:
    """Why ``user`` may not use ScriptForge on this server, if they are not its owner."""
    owner = os.environ.get("JUPYTERHUB_USER")
    if user is not None and owner and user.username != owner:
        return f"ScriptForge on this server acts for {owner} alone."
    return None


class OpenHandler(MemberHandler):
    """``POST scripts/{id}/open``: the working copy written here, the script answered."""

    @web.authenticated
    async def post(self, script_id: str) -> None:
        try:
            script = await self.copies.open(int(script_id))
        except ServiceError as error:
            self.write_service_error(error)
            return
        self.write_json(200, script)


class LanguageServersHandler(MemberHandler):
    """``GET language-servers[?path=P]``: this server's own language server (the
    container's interpreter), and with ``path`` the interpreter that serves that file."""

    @web.authenticated
    async def get(self) -> None:
        statuses = self.language.servers.statuses()
        answer: dict[str, Any] = {"language_servers": [s.to_dict() for s in statuses]}
        path = self.get_query_argument("path", None)
        if path is not None:
            answer["interpreter"] = await self.language.placement.interpreter_of_path(path)
        self.write_json(200, answer)


class LanguageSourceHandler(MemberHandler):
    """``GET language/source?path=<interpreter>/<absolute path>``: a file of the container
    that its language server pointed to (the editor's read-only ``sources:`` drive)."""

    @web.authenticated
    async def get(self) -> None:
        path = self.get_query_argument("path", "")
        try:
            if not path:
                raise InvalidInput("path is required.")
            source = await self.language.language.source(path)
        except ScriptForgeError as error:
            self.write_json(error.status_code, {"error": error.code, "message": error.message})
            return
        self.write_json(200, source.to_dict())


class ForwardHandler(MemberHandler):
    """Any other ScriptForge request, to the service."""

    @web.authenticated
    async def get(self, path: str) -> None:
        await self._forward(path)

    @web.authenticated
    async def post(self, path: str) -> None:
        await self._forward(path)

    @web.authenticated
    async def patch(self, path: str) -> None:
        await self._forward(path)

    @web.authenticated
    async def delete(self, path: str) -> None:
        await self._forward(path)

    async def _forward(self, path: str) -> None:
        before = await self._script_before(path)
        status: list[int] = []
        headers: dict[str, str] = {}

        def header(line: str) -> None:
            if line.startswith("HTTP/"):
                status[:] = [int(line.split()[1])]
                headers.clear()
            elif ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()

        dependencies = _DEPENDENCIES.fullmatch(path)
        answer = bytearray()

        def chunk(data: bytes) -> None:
            if not self._headers_written:
                self._start(status[0] if status else 502, headers)
            if dependencies is not None:
                answer.extend(data)
            self.write(data)
            self.flush()

        request = self.service.request_of(
            self.request.method or "GET",
            path,
            self.request.body if self.request.method in ("POST", "PATCH") else None,
            self.request.query,
            streaming_callback=chunk,
            header_callback=header,
        )
        try:
            response = await AsyncHTTPClient().fetch(request, raise_error=False)
        except StreamClosedError:
            return  # the browser went away
        except OSError as error:
            raise web.HTTPError(
                502, f"The ScriptForge service cannot be reached: {error}"
            ) from None
        if not self._headers_written:
            self._start(response.code, headers)
        if 200 <= response.code < 300:
            # Before the answer ends: the client finds the file in step once it has it.
            await self._follow(path, before)
            if dependencies is not None:
                self.packages.noticed(int(dependencies.group(1)), _json_or_none(answer))
        self.finish()

    def _start(self, status: int, headers: dict[str, str]) -> None:
        self.set_status(status)
        for name, value in headers.items():
            if name in _PASSED_ON:
                self.set_header(name, value)

    async def _script_before(self, path: str) -> dict[str, Any] | None:
        """Where the script was, for a request that may move or delete it."""
        match = _SCRIPT.fullmatch(path)
        if match is None or self.request.method not in ("PATCH", "DELETE"):
            return None
        try:
            return dict((await self.service.call("GET", path)).body)
        except (ServiceError, HTTPClientError, OSError):
            return None

    async def _follow(self, path: str, before: dict[str, Any] | None) -> None:
        """Bring the working copy in step with what the service just did."""
        try:
            moved = _HEAD_MOVES.fullmatch(path) if self.request.method == "POST" else None
            if moved is not None:
                await self.copies.follow(int(moved.group(1)))
            elif path == "assistant/accept":
                await self.copies.follow(int(json.loads(self.request.body)["script_id"]))
            elif before is not None and self.request.method == "DELETE":
                await self.copies.removed(before)
            elif before is not None:
                after = (await self.service.call("GET", path)).body
                await self.copies.moved(before, after)
        except (ServiceError, HTTPClientError, OSError, ValueError, KeyError) as error:
            self.log.warning("ScriptForge: the working copy did not follow %s: %s", path, error)


def _json_or_none(data: bytes | bytearray) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        return None


def member_handlers() -> list[tuple[str, type[MemberHandler]]]:
    return [
        (r"scriptforge/api/scripts/(\d+)/open", OpenHandler),
        (r"scriptforge/api/language-servers", LanguageServersHandler),
        (r"scriptforge/api/language/source", LanguageSourceHandler),
        (r"scriptforge/api/(.*)", ForwardHandler),
    ]
