"""Two users on one plain Jupyter server, for tests of per-user behaviour: the server's
token is alice, the same token with ``-bob`` appended is bob (as JupyterHub's users, seen
through ``hub_user``, which ScriptForge reads for the user's name and scopes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jupyter_server.auth.identity import IdentityProvider, User
from tornado import web

# Both are authors, as JupyterHub's role scriptforge-author grants (read is implied).
AUTHOR_SCOPES = [
    "custom:scriptforge:write",
    "custom:scriptforge:run",
    "custom:scriptforge:assistant",
]


@dataclass
class TeamUser(User):
    hub_user: dict[str, Any] = field(default_factory=dict)


class TwoUsers(IdentityProvider):
    """``--ServerApp.identity_provider_class=tests.api.two_users.TwoUsers``."""

    async def get_user_token(self, handler: web.RequestHandler) -> User | None:
        names = {self.token: "alice", f"{self.token}-bob": "bob"}
        name = names.get(self.get_token(handler) or "")
        if name is None:
            return None
        return TeamUser(username=name, hub_user={"name": name, "scopes": AUTHOR_SCOPES})
