"""The team's ScriptForge service as a user's server reaches it: its REST API, with the
server's own JupyterHub token."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest


@dataclass(frozen=True)
class ServiceAnswer:
    status: int
    body: Any


class ServiceError(Exception):
    """The service answered with an error; ``status`` and its JSON ``body`` say which."""

    def __init__(self, status: int, body: Any) -> None:
        message = body.get("message") if isinstance(body, dict) else None
        super().__init__(message or f"The ScriptForge service answered {status}.")
        self.status = status
        self.body = body


class ServiceClient:
    """Calls ``<service url>scriptforge/api/...`` as this server's user."""

    def __init__(self, service_url: str, token: str) -> None:
        self.api_url = service_url.rstrip("/") + "/scriptforge/api/"
        self._token = token

    def request_of(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        query: str = "",
        streaming_callback: Callable[[bytes], None] | None = None,
        header_callback: Callable[[str], None] | None = None,
    ) -> HTTPRequest:
        url = self.api_url + path.lstrip("/") + (f"?{query}" if query else "")
        if body is None and method in ("POST", "PATCH", "PUT"):
            body = b""
        return HTTPRequest(
            url,
            method=method,
            body=body,
            headers={"Authorization": f"token {self._token}", "Content-Type": "application/json"},
            streaming_callback=streaming_callback,
            header_callback=header_callback,
            # An event stream (a run's output, the assistant's answer) may last long.
            request_timeout=3600 if streaming_callback else 120,
            follow_redirects=False,
        )

    async def call(
        self, method: str, path: str, body: Any = None, query: dict[str, Any] | None = None
    ) -> ServiceAnswer:
        """A JSON request; raises ``ServiceError`` for an error answer."""
        data = json.dumps(body).encode() if body is not None else None
        request = self.request_of(method, path, data, urlencode(query or {}))
        try:
            response = await AsyncHTTPClient().fetch(request)
        except HTTPClientError as error:
            raw = error.response.body if error.response is not None else b""
            raise ServiceError(error.code, _json(raw)) from None
        return ServiceAnswer(response.code, _json(response.body))


def _json(data: bytes | None) -> Any:
    try:
        return json.loads(data or b"null")
    except ValueError:
        return None
