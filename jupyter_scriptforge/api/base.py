"""What every ScriptForge handler shares: authorization, the user, JSON in and out, errors."""

import json
from http import HTTPStatus
from typing import Any

from jupyter_core.utils import ensure_async
from jupyter_server.base.handlers import APIHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin
from tornado import web

from ..errors import ScriptForgeError
from ..inputs import MAX_ID
from ..services import Services, services_of

# Error codes by status, for clients that branch on the kind of failure.
_ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "unprocessable",
    503: "unavailable",
}


def _reason(status_code: int) -> str:
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return "Error"


def check_text(value: str, field: str, allow_nul: bool = False) -> None:
    """400 for text no database can store: lone surrogates, or NUL outside contents."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise web.HTTPError(400, f"{field} is not valid Unicode text.") from None
    if not allow_nul and "\x00" in value:
        raise web.HTTPError(400, f"{field} may not contain NUL characters.")


class ScriptForgeHandler(ExtensionHandlerMixin, APIHandler):
    """Base of all ScriptForge API handlers.

    Authorization is checked against the ``scriptforge`` resource. A ``ScriptForgeError``
    raised by a service becomes its status code; every error is written as
    ``{"error": code, "message": text}`` plus the error's details.
    """

    auth_resource = "scriptforge"

    def initialize(self, name: str = "jupyter_scriptforge", *args: Any, **kwargs: Any) -> None:
        super().initialize(name, *args, **kwargs)

    @property
    def services(self) -> Services:
        return services_of(self.settings)

    @property
    def user_name(self) -> str:
        """Who acts: the JupyterHub user, or else the one user of this server."""
        hub_user = getattr(self.current_user, "hub_user", None)
        if isinstance(hub_user, dict) and hub_user.get("name"):
            return str(hub_user["name"])
        return self.services.server_user

    async def is_admin(self) -> bool:
        """Whether the user has ScriptForge's admin right (override guardrails, read the
        audit log)."""
        allowed = self.authorizer.is_authorized(self, self.current_user, "admin", "scriptforge")
        return bool(await ensure_async(allowed))

    # --- input -----------------------------------------------------------------------

    def json_object(self) -> dict[str, Any]:
        try:
            body = json.loads(self.request.body or b"null")
        except ValueError:
            raise web.HTTPError(400, "The request body is not valid JSON.") from None
        if not isinstance(body, dict):
            raise web.HTTPError(400, "The request body must be a JSON object.")
        for key, value in body.items():
            for text in value if isinstance(value, list) else [value]:
                if isinstance(text, str):
                    check_text(text, key, allow_nul=key == "content")
        return body

    @staticmethod
    def path_id(value: str, what: str) -> int:
        """An id from the URL path; anything else names nothing here, so 404."""
        if not value.isdigit() or not 0 < int(value) <= MAX_ID:
            raise web.HTTPError(404, f"There is no {what} {value!r}.")
        return int(value)

    def int_argument(self, name: str, default: int | None = None) -> int | None:
        value = self.get_query_argument(name, None)
        if value is None or value == "":
            return default
        try:
            number = int(value)
        except ValueError:
            raise web.HTTPError(400, f"{name} must be an integer.") from None
        if abs(number) > MAX_ID:
            raise web.HTTPError(400, f"{name} is out of range.")
        return number

    def required_int_argument(self, name: str) -> int:
        value = self.int_argument(name)
        if value is None:
            raise web.HTTPError(400, f"{name} is required.")
        return value

    # --- output ----------------------------------------------------------------------

    def write_json(self, data: Any, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(data))

    def send_error(self, status_code: int = 500, **kwargs: Any) -> None:
        error = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(error, ScriptForgeError):
            status_code = error.status_code
        super().send_error(status_code, **kwargs)

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        if isinstance(value, ScriptForgeError):
            self.log.info("%s %s: %s", self.request.method, self.request.uri, value.message)
            return
        super().log_exception(typ, value, tb)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        body: dict[str, Any] = {
            "error": _ERROR_CODES.get(
                status_code, "server_error" if status_code >= 500 else "error"
            ),
            "message": _reason(status_code),
        }
        error = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(error, ScriptForgeError):
            body.update(error.details)
            body["error"], body["message"] = error.code, error.message
        elif isinstance(error, web.HTTPError) and error.log_message:
            body["message"] = error.log_message % error.args if error.args else error.log_message
        elif status_code >= 500:
            body["message"] = "Unhandled error"
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))
