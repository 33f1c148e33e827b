"""The assistant: generate, edit, explain and fix scripts as server-sent events; accept an edit.

Input is checked and the model chosen before anything is streamed, so those errors are
ordinary JSON answers (a 503 when no model is configured). Then the answer streams as
``token`` events and ends with one ``done`` (the result) or ``error`` event. A client that
goes away stops the model's stream at once.

Accepting an edit and creating a script from generated code go through here too, so the
code is checked as kept and held if the guardrails block it.
"""

import asyncio
import contextlib
import json
from typing import Any

from tornado import web
from tornado.iostream import StreamClosedError

from ..assistant.replies import Reply
from ..assistant.service import AssistantService
from ..catalog.script_requests import NEW_SCRIPT_FIELDS, new_script
from ..inputs import optional_text, required_int, required_text
from .base import ScriptForgeHandler


class AssistantHandler(ScriptForgeHandler):
    @property
    def assistant(self) -> AssistantService:
        return self.services.assistant

    async def prepare_reply(self, body: dict[str, Any]) -> Reply:
        raise NotImplementedError("must be implemented by subclass")

    _streaming: "asyncio.Task[None] | None" = None

    @web.authenticated
    async def post(self) -> None:
        reply = await self.prepare_reply(self.json_object())
        self.set_header("Content-Type", "text/event-stream")
        self.set_header("Cache-Control", "no-cache")
        self.set_header("X-Accel-Buffering", "no")
        self._streaming = asyncio.ensure_future(self._stream(reply))
        try:
            await self._streaming
        except (asyncio.CancelledError, StreamClosedError):
            return  # the client went away; the request is recorded as cancelled
        self.finish()

    async def _stream(self, reply: Reply) -> None:
        # Each token leaves at once: without this, Nagle's algorithm holds the first one back
        # until the client acknowledges the headers (a delayed ACK: tens of milliseconds).
        stream = getattr(self.request.connection, "stream", None)
        if stream is not None:
            stream.set_nodelay(True)
        await self.flush()  # the headers now: the client knows the answer has begun
        async with contextlib.aclosing(self.assistant.events(reply)) as events:
            async for kind, data in events:
                self.write(f"event: {kind}\ndata: {json.dumps(data)}\n\n")
                await self.flush()

    def on_connection_close(self) -> None:
        # Without this the model would go on until its next piece fails to be written.
        if self._streaming is not None:
            self._streaming.cancel()
        super().on_connection_close()


class GenerateHandler(AssistantHandler):
    async def prepare_reply(self, body: dict[str, Any]) -> Reply:
        return await self.assistant.generate(
            self.actor,
            required_text(body, "prompt"),
            optional_text(body, "interpreter") or None,
        )


class EditHandler(AssistantHandler):
    async def prepare_reply(self, body: dict[str, Any]) -> Reply:
        return await self.assistant.edit(
            self.actor,
            required_int(body, "script_id"),
            required_text(body, "instruction"),
            optional_text(body, "content"),
        )


class ExplainHandler(AssistantHandler):
    async def prepare_reply(self, body: dict[str, Any]) -> Reply:
        return await self.assistant.explain(
            self.actor,
            required_text(body, "content"),
            optional_text(body, "selection"),
            optional_text(body, "question"),
        )


class FixHandler(AssistantHandler):
    async def prepare_reply(self, body: dict[str, Any]) -> Reply:
        return await self.assistant.fix(self.actor, required_int(body, "run_id"))


class AcceptHandler(AssistantHandler):
    @web.authenticated
    async def post(self) -> None:
        body = self.json_object()
        version, created, analysis = await self.assistant.accept(
            self.actor,
            required_int(body, "script_id"),
            required_text(body, "content"),
            required_int(body, "base_version_id"),
            optional_text(body, "message") or "",
        )
        self.write_json({**version.to_json(), "analysis": analysis}, status=201 if created else 200)


class CreateHandler(AssistantHandler):
    @web.authenticated
    async def post(self) -> None:
        # A script's fields, less the message: the first version says where it came from.
        body = self.json_object()
        required_text(body, "content")
        new = new_script(body, NEW_SCRIPT_FIELDS - {"message"})
        script, analysis = await self.assistant.create(self.actor, new)
        api_root = self.request.path.rsplit("assistant/", 1)[0]
        self.set_header("Location", f"{api_root}scripts/{script.id}")
        self.write_json({**script.to_json(), "analysis": analysis}, status=201)


default_handlers = [
    ("assistant/generate", GenerateHandler),
    ("assistant/edit", EditHandler),
    ("assistant/explain", ExplainHandler),
    ("assistant/fix", FixHandler),
    ("assistant/accept", AcceptHandler),
    ("assistant/create", CreateHandler),
]
