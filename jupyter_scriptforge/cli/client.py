"""ScriptForge's REST API as the command line reaches it: a running Jupyter server (found
through ``jupyter server list``'s runtime files) or the one ``--url`` names, with a token."""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

API = "scriptforge/api/"
# A long run's events come with a keep-alive at least this often.
_READ_TIMEOUT = 120
_CHUNK = 1 << 20


class ApiError(Exception):
    """The server answered with an error; its message is shown as it is."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Client:
    url: str  # the server's base URL, ending in "/"
    token: str

    def call(
        self, method: str, path: str, body: Any = None, query: dict[str, Any] | None = None
    ) -> Any:
        """A JSON request to ``scriptforge/api/<path>``; raises ``ApiError`` for a 4xx/5xx."""
        with self._open(method, path, body, query) as response:
            data = response.read()
        return json.loads(data) if data else None

    def download(self, path: str, query: dict[str, Any], target: BinaryIO) -> None:
        """The bytes ``path`` answers, written to ``target`` as they come."""
        with self._open("GET", path, None, query) as response:
            shutil.copyfileobj(response, target, _CHUNK)

    def events(self, path: str, query: dict[str, Any] | None = None) -> Iterator[tuple[str, Any]]:
        """Server-sent events of ``path`` as (event, data) until the stream ends."""
        with self._open("GET", path, None, query) as response:
            kind, data = "message", list[str]()
            for raw in response:
                line = raw.decode().rstrip("\r\n")
                if not line:
                    if data:
                        yield kind, json.loads("\n".join(data))
                    kind, data = "message", []
                elif line.startswith("event:"):
                    kind = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].strip())

    def _open(self, method: str, path: str, body: Any, query: dict[str, Any] | None) -> Any:
        if not self.url.startswith(("http://", "https://")):
            raise ApiError(0, f"{self.url!r} is no http(s) URL")
        url = self.url + API + path.lstrip("/")
        if query:
            url += "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        data = json.dumps(body).encode() if body is not None else None
        if data is None and method in ("POST", "PATCH"):
            data = b"{}"
        request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
            url,
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        try:
            return urllib.request.urlopen(request, timeout=_READ_TIMEOUT)  # noqa: S310 - http(s) only
        except urllib.error.HTTPError as error:
            raise ApiError(error.code, _message_of(error)) from None
        except urllib.error.URLError as error:
            raise ApiError(0, f"cannot reach {self.url}: {error.reason}") from None


def _message_of(error: urllib.error.HTTPError) -> str:
    try:
        body = json.loads(error.read())
    except ValueError:
        body = None
    finally:
        error.close()
    if isinstance(body, dict) and body.get("message"):
        return str(body["message"])
    return f"the server answered {error.code} {error.reason}"
