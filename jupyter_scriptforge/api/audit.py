"""The audit log of the assistant and the guardrails, for admins."""

from jupyter_server.auth.decorator import authorized
from tornado import web

from .base import ScriptForgeHandler

_MAX_PAGE = 500


class AuditHandler(ScriptForgeHandler):
    @web.authenticated
    @authorized
    async def get(self) -> None:
        # Beyond using ScriptForge (checked above): the admin right on it.
        if not await self.is_admin():
            raise web.HTTPError(403, "Reading the audit log needs the ScriptForge admin right.")
        limit = self.int_argument("limit", 50)
        assert limit is not None
        if not 0 < limit <= _MAX_PAGE:
            raise web.HTTPError(400, f"limit must be from 1 to {_MAX_PAGE}.")
        records = await self.services.audit.records(
            user=self.get_query_argument("user", None) or None,
            action=self.get_query_argument("action", None) or None,
            limit=limit,
            before=self.int_argument("before"),
        )
        self.write_json({"records": records})


default_handlers = [("audit", AuditHandler)]
