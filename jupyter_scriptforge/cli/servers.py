"""The running Jupyter server the command line talks to, when ``--url`` names none: those
``jupyter server list`` knows (their runtime files), the first that serves ScriptForge."""

from __future__ import annotations

from dataclasses import dataclass

from jupyter_server.serverapp import list_running_servers

from .client import ApiError, Client


@dataclass(frozen=True)
class FoundServer:
    url: str
    token: str


def find_server() -> FoundServer | None:
    for info in list_running_servers():
        url = str(info.get("url", "")).rstrip("/") + "/"
        token = str(info.get("token", ""))
        try:
            Client(url, token).call("GET", "me")
        except ApiError:
            continue  # not answering, or no ScriptForge there
        return FoundServer(url, token)
    return None
