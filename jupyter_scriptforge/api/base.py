"""What every ScriptForge handler shares: authorization resource and JSON errors."""

import json
from http import HTTPStatus
from typing import Any

from jupyter_server.base.handlers import APIHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin
from tornado import web

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
}


def _reason(status_code: int) -> str:
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return "Error"


class ScriptForgeHandler(ExtensionHandlerMixin, APIHandler):
    """Base of all ScriptForge API handlers.

    Authorization is checked against the ``scriptforge`` resource; errors are
    written as ``{"error": code, "message": text}``.
    """

    auth_resource = "scriptforge"

    def initialize(self, name: str = "jupyter_scriptforge", *args: Any, **kwargs: Any) -> None:
        super().initialize(name, *args, **kwargs)

    def write_json(self, data: Any, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(data, default=str))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc_info = kwargs.get("exc_info")
        message = _reason(status_code)
        if exc_info:
            error = exc_info[1]
            if isinstance(error, web.HTTPError) and error.log_message:
                message = error.log_message % error.args if error.args else error.log_message
            elif status_code >= 500:
                message = "Unhandled error"
        code = _ERROR_CODES.get(status_code, "server_error" if status_code >= 500 else "error")
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"error": code, "message": message}))
