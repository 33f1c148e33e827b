"""The assistant: generate, edit, explain and fix scripts as server-sent events; accept an edit.

Input is checked and the model chosen before anything is streamed, so those errors are
ordinary JSON answers (a 503 when no model is configured). Then the answer streams as
``token`` events and ends with one ``done`` (the result) or ``error`` event.
"""

import json
from typing import Any

from jupyter_server.auth.decorator import authorized
from tornado import web
from tornado.iostream import StreamClosedError

from ..assistant.service import AssistantService, Reply
from .base import ScriptForgeHandler
from .versions import _required_int


def _string(body: dict[str, Any], key: str, required: bool = True) -> str | None:
    value = body.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise web.HTTPError(
            400,
            f"{key} is required and must be a string." if required else f"{key} must be a string.",
        )
    return value


class AssistantHandler(ScriptForgeHandler):
    @property
    def assistant(self) -> AssistantService:
        service: AssistantService = self.settings["scriptforge.assistant"]
        return service

    async def prepare_reply(self, body: dict[str, Any]) -> Reply:
        raise NotImplementedError("must be implemented by subclass")

    @web.authenticated
    @authorized
    async def post(self) -> None:
        reply = await self.prepare_reply(self.json_object())
        self.set_header("Content-Type", "text/event-stream")
        self.set_header("Cache-Control", "no-cache")
        self.set_header("X-Accel-Buffering", "no")
        events = self.assistant.events(reply)
        try:
            async for kind, data in events:
                self.write(f"event: {kind}\ndata: {json.dumps(data)}\n\n")
                await self.flush()
        except StreamClosedError:
            return  # the client went away; the request is recorded as cancelled
        finally:
            await events.aclose()
        self.finish()


class GenerateHandler(AssistantHandler):
    async def prepare_reply(self, body: dict[str, Any]) -> Reply:
        prompt = _string(body, "prompt")
        assert prompt is not None
        return await self.assistant.generate(
            self.user_name, prompt, _string(body, "interpreter", required=False) or None
        )


class EditHandler(AssistantHandler):
    async def prepare_reply(self, body: dict[str, Any]) -> Reply:
        instruction = _string(body, "instruction")
        assert instruction is not None
        return await self.assistant.edit(
            self.user_name,
            _required_int(body, "script_id"),
            instruction,
            _string(body, "content", required=False),
        )


class ExplainHandler(AssistantHandler):
    async def prepare_reply(self, body: dict[str, Any]) -> Reply:
        content = _string(body, "content")
        assert content is not None
        return await self.assistant.explain(
            self.user_name,
            content,
            _string(body, "selection", required=False),
            _string(body, "question", required=False),
        )


class FixHandler(AssistantHandler):
    async def prepare_reply(self, body: dict[str, Any]) -> Reply:
        return await self.assistant.fix(self.user_name, _required_int(body, "run_id"))


class AcceptHandler(AssistantHandler):
    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.json_object()
        content = _string(body, "content")
        assert content is not None
        script_id = _required_int(body, "script_id")
        version, created = await self.assistant.accept(
            self.user_name,
            script_id,
            content,
            _required_int(body, "base_version_id"),
            _string(body, "message", required=False) or "",
        )
        self.write_json(version.to_json(), status=201 if created else 200)
        if created:
            # The working copy and the search index follow the new head, after this answer.
            self.settings["scriptforge.background"].head_moved(script_id, self.user_name)


default_handlers = [
    ("assistant/generate", GenerateHandler),
    ("assistant/edit", EditHandler),
    ("assistant/explain", ExplainHandler),
    ("assistant/fix", FixHandler),
    ("assistant/accept", AcceptHandler),
]
