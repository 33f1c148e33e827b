"""The audit log of the assistant and the guardrails, for admins."""

from tornado import web

from .base import ScriptForgeHandler

_MAX_PAGE = 500


class AuditHandler(ScriptForgeHandler):
    @web.authenticated
    async def get(self) -> None:
        limit = self.int_argument("limit", 50)
        assert limit is not None
        if not 0 < limit <= _MAX_PAGE:
            raise web.HTTPError(400, f"limit must be from 1 to {_MAX_PAGE}.")
        records = await self.services.audit.records(
            self.actor,
            user=self.get_query_argument("user", None) or None,
            action=self.get_query_argument("action", None) or None,
            limit=limit,
            before=self.int_argument("before"),
        )
        self.write_json({"records": records})


default_handlers = [("audit", AuditHandler)]
