"""The editor's LSP WebSocket of ScriptForge's spec, ``/lsp/ws/scriptforge-python``, served
in this process: each connection is a ``RouterSession`` of its own.

jupyterlab-lsp finds the spec in jupyter-lsp's ``/lsp/status`` and connects to this URL.
jupyter-lsp would serve it through a process whose output it reads by polling, asleep up to
100 ms whenever the output is empty (``LspStdIoReader``): every answer waited ~45 ms for it,
and every tab was sent every answer. Serving the URL here leaves both out; the handler goes
in front of jupyter-lsp's, which matches any spec (``serve_before_jupyter_lsp``).

Both kinds of server serve it: ScriptForge alone (or the team's service) and a team
member's server, each with its own sessions and its own rule for who may open one
(``EditorSocket``, in the application's settings), so this module imports neither.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from jupyter_core.utils import ensure_async
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.base.websocket import WebSocketMixin
from jupyter_server.utils import url_path_join
from tornado import web
from tornado.websocket import WebSocketClosedError, WebSocketHandler

from ..lsp.editor_sessions import EditorSessions
from ..lsp.protocol import Message
from ..lsp.router import RouterSession
from ..lsp.spec import SPEC_KEY

# jupyter-lsp's resource: whoever may use its sockets may use this one.
AUTH_RESOURCE = "lsp"
SETTINGS_KEY = "scriptforge.editor_socket"

# Why ``user`` may not open the socket (beyond jupyter-lsp's right), or None if they may.
Refusal = Callable[[JupyterHandler, Any], Awaitable[str | None]]


@dataclass(frozen=True)
class EditorSocket:
    sessions: EditorSessions
    refusal: Refusal


class EditorSocketHandler(WebSocketMixin, WebSocketHandler, JupyterHandler):
    auth_resource = AUTH_RESOURCE

    async def pre_get(self) -> None:
        """Authenticate, then authorize, before the socket opens (as jupyter-server's own
        sockets do)."""
        user = self.current_user
        if user is None:
            raise web.HTTPError(403)
        authorizer = getattr(self, "authorizer", None)
        if authorizer is not None and not await ensure_async(
            authorizer.is_authorized(self, user, "execute", AUTH_RESOURCE)
        ):
            raise web.HTTPError(403)
        refused = await self.socket.refusal(self, user)
        if refused is not None:
            raise web.HTTPError(403, refused)

    @property
    def socket(self) -> EditorSocket:
        return self.settings[SETTINGS_KEY]  # type: ignore[no-any-return]

    async def get(self, *args: object, **kwargs: object) -> None:
        await self.pre_get()
        opened = super().get(*args, **kwargs)
        if opened is not None:
            await opened

    def open(self, *args: str, **kwargs: str) -> None:
        super().open(*args, **kwargs)
        self._session: RouterSession = self.socket.sessions.open_session(self._send)

    async def on_message(self, message: str | bytes) -> None:
        # tornado delivers the next message only after this returns: the order holds.
        await self._session.receive(message.encode() if isinstance(message, str) else message)

    def on_close(self) -> None:
        session = getattr(self, "_session", None)
        if session is not None:
            self.socket.sessions.end_session(session)

    async def _send(self, message: Message) -> None:
        try:
            await self.write_message(json.dumps(message))
        except WebSocketClosedError:
            raise ConnectionError("the editor's WebSocket closed") from None


def serve_before_jupyter_lsp(web_app: web.Application, base_url: str, socket: EditorSocket) -> None:
    """Route the spec's socket here, in front of jupyter-lsp's ``lsp/ws/<any spec>``.

    ``add_handlers`` puts each group of routes before the application's last (fallback)
    rule, so the group just added is moved to the front.
    """
    web_app.settings[SETTINGS_KEY] = socket
    pattern = url_path_join(base_url, "lsp", "ws", SPEC_KEY) + "$"
    web_app.add_handlers(".*$", [(pattern, EditorSocketHandler)])
    rules = web_app.default_router.rules
    rules.insert(0, rules.pop(-2))
