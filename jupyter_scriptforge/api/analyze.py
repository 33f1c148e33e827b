"""POST /scriptforge/api/analyze: the guardrail report on any code (and an admin's override
of a block); both audited by the service (guardrails/reviews.py)."""

from typing import Any

from tornado import web

from ..execution.interpreters import Interpreter
from ..guardrails.service import AnalysesBusy
from ..inputs import known_fields, optional_text, required_text
from .base import ScriptForgeHandler


class AnalyzeHandler(ScriptForgeHandler):
    @web.authenticated
    async def post(self) -> None:
        body = self.json_object()
        known_fields(body, ("content", "original", "interpreter"))
        content, original = required_text(body, "content"), optional_text(body, "original")
        interpreter = await self.interpreter(body.get("interpreter"))
        report = await self.services.reviews.analyze(self.user_name, content, original, interpreter)
        self.write_json(report)

    async def interpreter(self, name: Any) -> Interpreter | None:
        """The interpreter the code runs on, by name (None: not said)."""
        registry = self.services.interpreters
        if name is None:
            # Discovered (once) before the analysis: without a name, code in newer syntax
            # goes to the newest of them.
            await registry.list()
            return None
        if not isinstance(name, str) or not name:
            raise web.HTTPError(400, "interpreter must be an interpreter's name.")
        found = await registry.get(name)
        if found is None:
            raise web.HTTPError(400, f"There is no interpreter {name!r}.")
        return found

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        error = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(error, AnalysesBusy):
            self.set_header("Retry-After", str(error.details["retry_after"]))
        super().write_error(status_code, **kwargs)


class OverrideHandler(AnalyzeHandler):
    """An admin lets code the guardrails block be run anyway: its hold is released (for
    this exact content, wherever it is saved), and the decision audited."""

    @web.authenticated
    async def post(self) -> None:
        body = self.json_object()
        content, reason = required_text(body, "content"), optional_text(body, "reason") or ""
        report = await self.services.reviews.override(self.actor, content, reason)
        self.write_json({"allowed": True, "analysis": report})


default_handlers = [("analyze", AnalyzeHandler), ("analyze/override", OverrideHandler)]
