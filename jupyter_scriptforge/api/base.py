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
from ..rights import Actor, Right
from ..services import Services, services_of

# The resource of jupyter_server's authorizer that ScriptForge's rights are actions on.
AUTH_RESOURCE = "scriptforge"

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


async def actor_of(handler: Any, user: Any, server_user: str) -> Actor:
    """The ``Actor`` of an authenticated request.

    Under JupyterHub: the hub's user, with the ScriptForge scopes the request's token holds.
    Alone: the server's one user, with the rights the server's authorizer grants as actions
    on resource ``scriptforge`` (jupyter_server's default grants all; a deployment's own
    ``ServerApp.authorizer_class`` can withhold some).
    """
    hub_user = getattr(user, "hub_user", None)
    if isinstance(hub_user, dict) and hub_user.get("name"):
        return Actor.of_scopes(str(hub_user["name"]), hub_user.get("scopes") or ())
    authorizer = handler.authorizer
    granted = [
        right
        for right in Right
        if await ensure_async(authorizer.is_authorized(handler, user, right.value, AUTH_RESOURCE))
    ]
    return Actor(server_user, frozenset(granted))


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

    Authorization: ``prepare`` finds the request's ``actor`` (``actor_of``) and refuses one
    without the read right; the services check every other right. jupyter_server's
    ``@authorized`` is not used: it maps HTTP methods to read/write/execute, and ScriptForge's
    rights are finer (running is a POST, and so is asking the assistant). A ``ScriptForgeError``
    raised by a service becomes its status code; every error is written as
    ``{"error": code, "message": text}`` plus the error's details.
    """

    auth_resource = AUTH_RESOURCE

    def initialize(self, name: str = "jupyter_scriptforge", *args: Any, **kwargs: Any) -> None:
        super().initialize(name, *args, **kwargs)

    @property
    def services(self) -> Services:
        return services_of(self.settings)

    _actor: Actor | None = None

    @property
    def actor(self) -> Actor:
        """Who acts, with the rights of this request (``actor_of``)."""
        if self._actor is None:
            raise web.HTTPError(403)  # not authenticated: ``prepare`` found no user
        return self._actor

    @property
    def user_name(self) -> str:
        return self.actor.name

    async def prepare(self) -> None:  # type: ignore[override]
        await super().prepare()
        if self.current_user is not None:
            self._actor = await actor_of(self, self.current_user, self.services.server_user)
            # Every endpoint needs the read right; the services check the rest.
            self._actor.require(Right.READ)

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
