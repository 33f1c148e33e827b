"""Runs: start, list, inspect, follow the output of, and cancel them; and the interpreters."""

import json
import re
import time
from typing import Any

from tornado import web
from tornado.iostream import StreamClosedError

from ..execution.run_requests import run_request
from ..execution.service import RunService
from ..inputs import MAX_ID
from .base import ScriptForgeHandler

_MAX_PAGE = 200
_EVENT_ID = re.compile(r"[0-9]{1,10}")
_OUTPUT_PAGE = 1 << 20
# A quiet stream of run ends says it is alive this often (a gone client then fails it).
_KEEPALIVE_SECONDS = 15.0
# The longest a stream of run ends lasts; the Lab then listens again.
_LONGEST_WAIT_SECONDS = 3600.0


class RunsBase(ScriptForgeHandler):
    @property
    def runs(self) -> RunService:
        return self.services.runs


class RunsHandler(RunsBase):
    @web.authenticated
    async def get(self) -> None:
        limit = self.int_argument("limit", 50)
        assert limit is not None
        if not 0 < limit <= _MAX_PAGE:
            raise web.HTTPError(400, f"limit must be from 1 to {_MAX_PAGE}.")
        status = self.get_query_argument("status", None) or None
        runs = await self.runs.history(
            self.user_name,
            script_id=self.int_argument("script_id"),
            group_id=self.int_argument("group_id"),
            status=status,
            limit=limit,
            before=self.int_argument("before"),
        )
        self.write_json({"runs": runs})

    @web.authenticated
    async def post(self) -> None:
        request = run_request(self.json_object(), self.runs.settings.max_timeout_seconds)
        self.write_json(await self.runs.submit(self.actor, request), status=201)


class RunHandler(RunsBase):
    @web.authenticated
    async def get(self, run_id: str) -> None:
        self.write_json(await self.runs.get(self.user_name, self.path_id(run_id, "run")))


class RunCancelHandler(RunsBase):
    @web.authenticated
    async def post(self, run_id: str) -> None:
        self.write_json(await self.runs.cancel(self.actor, self.path_id(run_id, "run")))


class RunOutputHandler(RunsBase):
    @web.authenticated
    async def get(self, run_id: str) -> None:
        offset = self._offset()
        limit = self.int_argument("limit", _OUTPUT_PAGE)
        assert limit is not None
        if not 0 < limit <= _OUTPUT_PAGE:
            raise web.HTTPError(400, f"limit must be from 1 to {_OUTPUT_PAGE}.")
        run = self.path_id(run_id, "run")
        self.write_json(await self.runs.output(self.user_name, run, offset, limit))

    def _offset(self) -> int:
        offset = self.int_argument("offset", 0)
        assert offset is not None
        if offset < 0:
            raise web.HTTPError(400, "offset must be 0 or more.")
        return offset


class RunEventsHandler(RunOutputHandler):
    """Server-sent events: ``output`` pieces as they are written, then ``end``.

    A reconnecting ``EventSource`` sends the last event id, which is the offset to go on
    from; ``?offset=`` does the same for a first connection.
    """

    @web.authenticated
    async def get(self, run_id: str) -> None:
        run = self.path_id(run_id, "run")
        offset = self._offset()
        resumed = self.request.headers.get("Last-Event-ID", "")
        if _EVENT_ID.fullmatch(resumed) and int(resumed) <= MAX_ID:
            offset = int(resumed)
        events = self.runs.follow(self.user_name, run, offset)
        first = await anext(events)  # the run itself, or a 404 before any header is sent
        self.set_header("Content-Type", "text/event-stream")
        self.set_header("Cache-Control", "no-cache")
        self.set_header("X-Accel-Buffering", "no")
        try:
            await self._send(*first)
            async for event in events:
                await self._send(*event)
        except StreamClosedError:
            return  # the client went away; it resumes from its last event id
        finally:
            await events.aclose()
        self.finish()

    async def _send(self, kind: str, data: dict[str, Any]) -> None:
        if kind == "keepalive":
            self.write(": keepalive\n\n")  # a comment: clients ignore it, a gone one fails it
            await self.flush()
            return
        event_id = data["offset"] + len(data["text"]) if kind == "output" else None
        head = f"id: {event_id}\n" if event_id is not None else ""
        self.write(f"{head}event: {kind}\ndata: {json.dumps(data)}\n\n")
        await self.flush()


class RunEndsHandler(RunsBase):
    """Server-sent events: ``ended`` (the run) each time one of the user's own runs ends —
    started anywhere, by a schedule too — from the connection on; keepalives between."""

    @web.authenticated
    async def get(self) -> None:
        self.set_header("Content-Type", "text/event-stream")
        self.set_header("Cache-Control", "no-cache")
        self.set_header("X-Accel-Buffering", "no")
        wait = self._wait()
        ends = self.services.run_ends.follow(self.user_name, min(_KEEPALIVE_SECONDS, wait or 1))
        until = time.monotonic() + wait
        try:
            self.write(": following\n\n")
            await self.flush()
            async for run in ends:
                if run is None:
                    self.write(": keepalive\n\n")
                else:
                    self.write(f"event: ended\ndata: {json.dumps(run)}\n\n")
                await self.flush()
                if time.monotonic() >= until:
                    break
        except StreamClosedError:
            return  # the Lab went away
        finally:
            await ends.aclose()
        self.finish()

    def _wait(self) -> float:
        text = self.get_query_argument("wait", str(_LONGEST_WAIT_SECONDS))
        try:
            wait = float(text)
        except ValueError:
            wait = -1.0
        if not 0 <= wait <= _LONGEST_WAIT_SECONDS:
            raise web.HTTPError(400, f"wait must be from 0 to {_LONGEST_WAIT_SECONDS:g} seconds.")
        return wait


class InterpretersHandler(ScriptForgeHandler):
    @web.authenticated
    async def get(self) -> None:
        registry = self.services.interpreters
        refresh = self.get_query_argument("refresh", "") in ("1", "true")
        found = await registry.list(refresh=refresh)
        self.write_json({"interpreters": [i.to_dict() for i in found]})


default_handlers = [
    ("runs", RunsHandler),
    ("runs/ended", RunEndsHandler),
    (r"runs/([^/]+)", RunHandler),
    (r"runs/([^/]+)/cancel", RunCancelHandler),
    (r"runs/([^/]+)/output", RunOutputHandler),
    (r"runs/([^/]+)/events", RunEventsHandler),
    ("interpreters", InterpretersHandler),
]
