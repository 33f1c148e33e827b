"""Domain errors. Each carries the HTTP status the API answers with, so handlers stay thin."""

from typing import Any


class ScriptForgeError(Exception):
    """Base of errors a user can act on; ``message`` is shown to them as is."""

    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class InvalidInput(ScriptForgeError):  # noqa: N818 - named for what the user did
    status_code = 400
    code = "bad_request"


class Forbidden(ScriptForgeError):  # noqa: N818
    status_code = 403
    code = "forbidden"


class NotFound(ScriptForgeError):  # noqa: N818
    status_code = 404
    code = "not_found"


class Conflict(ScriptForgeError):  # noqa: N818
    status_code = 409
    code = "conflict"


class TooLarge(ScriptForgeError):  # noqa: N818
    status_code = 413
    code = "too_large"


class Unprocessable(ScriptForgeError):  # noqa: N818
    status_code = 422
    code = "unprocessable"


class Unavailable(ScriptForgeError):  # noqa: N818
    """Something the request needs cannot work right now (a language server that fails)."""

    status_code = 503
    code = "unavailable"
