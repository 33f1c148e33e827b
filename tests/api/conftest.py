"""An API client for the tests that holds every response to ``openapi.yaml``."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from jupyter_server.auth.authorizer import Authorizer
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse

import jupyter_scriptforge
from jupyter_scriptforge.audit import SCHEMA_ID as AUDIT_SCHEMA_ID
from jupyter_scriptforge.services import services_of

SPEC = OpenAPI.from_file_path(
    str(Path(jupyter_scriptforge.__file__).with_name("api") / "openapi.yaml")
)


@dataclass
class Response:
    status: int
    body: Any
    headers: dict[str, str]


class Api:
    """Calls ``/scriptforge/api/...`` and validates request and response against the spec."""

    def __init__(self, jp_fetch: Any) -> None:
        self._fetch = jp_fetch

    async def call(
        self, method: str, path: str, body: Any = None, params: dict[str, Any] | None = None
    ) -> Response:
        params = {k: str(v) for k, v in (params or {}).items() if v is not None}
        data = json.dumps(body).encode() if body is not None else None
        response = await self._fetch(
            "scriptforge",
            "api",
            *path.strip("/").split("/"),
            method=method,
            body=data
            if data is not None
            else (b"" if method in ("POST", "PATCH", "PUT") else None),
            params=params,
            raise_error=False,
            allow_nonstandard_methods=True,
        )
        headers = {k: v for k, v in response.headers.get_all()}
        SPEC.validate_response(
            MockRequest(
                "http://localhost",
                method.lower(),
                f"/scriptforge/api/{path.strip('/')}",
                args=params,
                data=data,
            ),
            MockResponse(
                response.body,
                status_code=response.code,
                headers=headers,
                content_type=headers.get("Content-Type", "").split(";")[0],
            ),
        )
        is_json = headers.get("Content-Type", "").startswith("application/json")
        body = json.loads(response.body) if is_json and response.body else response.body
        return Response(response.code, body or None, headers)

    async def get(self, path: str, **params: Any) -> Response:
        return await self.call("GET", path, params=params)

    async def post(self, path: str, body: Any = None, **params: Any) -> Response:
        return await self.call("POST", path, body if body is not None else {}, params)

    async def patch(self, path: str, body: Any) -> Response:
        return await self.call("PATCH", path, body)

    async def delete(self, path: str) -> Response:
        return await self.call("DELETE", path)

    async def create(self, name: str = "report", **fields: Any) -> dict[str, Any]:
        response = await self.post("scripts", {"name": name, **fields})
        assert response.status == 201, response.body
        return response.body  # type: ignore[no-any-return]

    async def save(self, script_id: int, content: str, **fields: Any) -> dict[str, Any]:
        response = await self.post(f"scripts/{script_id}/versions", {"content": content, **fields})
        assert response.status in (200, 201), response.body
        return response.body  # type: ignore[no-any-return]

    async def content(self, version_id: int) -> str:
        response = await self.get(f"versions/{version_id}")
        assert response.status == 200, response.body
        return response.body["content"]  # type: ignore[no-any-return]


@pytest.fixture
def api(jp_fetch: Any) -> Api:
    return Api(jp_fetch)


@pytest.fixture
def background(jp_serverapp: Any) -> Any:
    """The server's background work; ``await background.idle()`` lets it finish."""
    return services_of(jp_serverapp.web_app.settings).background


@pytest.fixture
def scripts_root(jp_root_dir: Path) -> Path:
    """Where the working copies are written: ``<server root>/scripts``."""
    return jp_root_dir / "scripts"


class NoAdminAuthorizer(Authorizer):
    """Everything but the admin right: ``authorizer`` parameter
    ``"tests.api.conftest.NoAdminAuthorizer"``."""

    def is_authorized(self, handler: Any, user: Any, action: str, resource: str) -> bool:
        return action != "admin"


class RoleAuthorizer(Authorizer):
    """Grants the ScriptForge rights in ``granted`` (set by a test between requests) and
    jupyter_server's own actions: ``authorizer`` parameter
    ``"tests.api.conftest.RoleAuthorizer"``."""

    granted: frozenset[str] = frozenset()

    def is_authorized(self, handler: Any, user: Any, action: str, resource: str) -> bool:
        return resource != "scriptforge" or action in RoleAuthorizer.granted


@pytest.fixture
def authorizer(request: pytest.FixtureRequest) -> str | None:
    """``ServerApp.authorizer_class`` for a test's ``jp_server_config``; ``indirect``
    parameter: a dotted name."""
    return getattr(request, "param", None)


@pytest.fixture
def emitted(jp_serverapp: Any) -> list[dict[str, Any]]:
    """The jupyter-events events of the audit log, as emitted."""
    events: list[dict[str, Any]] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if isinstance(record.msg, dict) and record.msg.get("__schema__") == AUDIT_SCHEMA_ID:
                events.append(record.msg)

    jp_serverapp.event_logger.register_handler(Collect())
    return events
