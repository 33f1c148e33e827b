"""How a schedule's owner acts when it fires, with the rights they hold then.

Alone, the server's one user holds every right, and nobody else is a user here. Under
JupyterHub (the team's service), the hub says: it is asked for a token of the run scope
alone for the owner, which it refuses to a user who does not hold that scope (any more),
and the token is deleted at once. So a user taken out of a role or a group stops firing
from the next time on, and their schedule says why.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest

from ..errors import Unavailable
from ..rights import Actor, Right

log = logging.getLogger(__name__)

# How a schedule's owner acts at fire time (None: no user of this server any more).
ActorOf = Callable[[str], Awaitable[Actor | None]]

# The token only proves the right; it lives no longer than a minute in any case.
_TOKEN_SECONDS = 60
_TIMEOUT_SECONDS = 20.0


def server_owner(server_user: str) -> ActorOf:
    """Alone: the server's one user, with every right."""

    async def actor_of(owner: str) -> Actor | None:
        return Actor.with_all_rights(owner) if owner == server_user else None

    return actor_of


class HubOwners:
    """Under JupyterHub: the owner with the run right if the hub still grants it to them.

    ``api_url`` and ``token`` are the service's own (``JUPYTERHUB_API_URL``,
    ``JUPYTERHUB_API_TOKEN``); the service's role needs the ``tokens`` scope on the groups
    that grant the run right (``tokens!group=…``), and no more.
    """

    def __init__(self, api_url: str, token: str) -> None:
        self._api_url = api_url.rstrip("/")
        self._token = token

    async def __call__(self, owner: str) -> Actor | None:
        tokens = f"users/{quote(owner, safe='')}/tokens"
        status, body = await self._call(
            "POST",
            tokens,
            {
                "scopes": [Right.RUN.scope],
                "expires_in": _TOKEN_SECONDS,
                "note": "ScriptForge: may this schedule's owner run scripts now?",
            },
        )
        if status == 404:
            return None  # no such user any more
        if status == 403 or (status == 400 and "not held" in str(body)):
            # Not in a group whose members the service may ask for (the hub says 403 for
            # a user gone too), or no longer holding the scope: refused at submit, with
            # the scope named.
            return Actor(owner, frozenset())
        if status != 201:
            raise Unavailable(f"JupyterHub did not say whether {owner} may run scripts: {body}")
        deleted, answer = await self._call("DELETE", f"{tokens}/{body['id']}")
        if deleted not in (204, 404):
            log.warning("Could not delete the token made for %s's schedule: %s", owner, answer)
        return Actor.of_scopes(owner, body.get("scopes") or [Right.RUN.scope])

    async def _call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        request = HTTPRequest(
            f"{self._api_url}/{path}",
            method=method,
            headers={"Authorization": f"token {self._token}", "Content-Type": "application/json"},
            body=json.dumps(body) if body is not None else None,
            request_timeout=_TIMEOUT_SECONDS,
            allow_nonstandard_methods=True,
        )
        try:
            response = await AsyncHTTPClient().fetch(request)
        except HTTPClientError as error:
            if error.response is None:
                raise Unavailable(f"JupyterHub does not answer: {error}") from None
            response = error.response
        except OSError as error:
            raise Unavailable(f"JupyterHub does not answer: {error}") from None
        text = response.body.decode(errors="replace") if response.body else ""
        try:
            return response.code, json.loads(text) if text else None
        except ValueError:
            return response.code, text
