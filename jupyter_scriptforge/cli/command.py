"""What every ``jupyter scriptforge`` subcommand shares: the connection (``--url``,
``--token``, or the running server found), ``--json``, one-line errors, tables."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from jupyter_core.application import JupyterApp
from traitlets import Bool, Unicode, default

from .._version import __version__
from .client import ApiError, Client
from .servers import find_server

# Exit codes beyond the script's own.
FAILED = 1  # an error, or a run that ended without an exit code
INTERRUPTED = 130  # Ctrl-C: the run was cancelled
# Scripts asked for at a time (the API's largest page).
PAGE = 200

ALIASES = {"url": "ScriptForgeCommand.url", "token": "ScriptForgeCommand.token"}
FLAGS = {
    "json": ({"ScriptForgeCommand": {"json": True}}, "Print JSON instead of a table."),
}


class CommandError(Exception):
    """What went wrong, in one line for the terminal."""


class ScriptForgeCommand(JupyterApp):
    """The connection and output settings every subcommand shares."""

    version = __version__
    aliases = ALIASES
    flags = FLAGS

    url = Unicode(
        "",
        help="""The Jupyter server's URL (e.g. http://127.0.0.1:8888/, or a JupyterHub user's
        server). Default: the first running server `jupyter server list` knows that serves
        ScriptForge.""",
    ).tag(config=True)
    token = Unicode(
        "",
        help="""A token of that server (a JupyterHub API token in team mode). Default: the
        token of the server found, else $SCRIPTFORGE_TOKEN.""",
    ).tag(config=True)
    json = Bool(False, help="Print JSON instead of a table.").tag(config=True)

    @default("token")
    def _token_from_environment(self) -> str:
        return os.environ.get("SCRIPTFORGE_TOKEN", "")

    def start(self) -> None:
        try:
            code = self.run(self.client())
        except (ApiError, CommandError) as error:
            print(f"jupyter scriptforge {self.name}: {error}", file=sys.stderr)
            self.exit(FAILED)
        self.exit(code or 0)

    def client(self) -> Client:
        if self.url:
            return Client(self.url.rstrip("/") + "/", self.token)
        found = find_server()
        if found is None:
            raise CommandError(
                "no running Jupyter server with ScriptForge found: start one (make lab), or"
                " give --url and --token"
            )
        return Client(found.url, self.token or found.token)

    def run(self, client: Client) -> int | None:
        raise NotImplementedError

    def argument(self, index: int, what: str) -> str:
        if len(self.extra_args) <= index:
            raise CommandError(f"{what} is required (see --help)")
        return str(self.extra_args[index])

    def show(self, data: Any, rows: list[list[str]], header: list[str]) -> None:
        """``data`` as JSON with --json, else ``rows`` as a table."""
        if self.json:
            print(json.dumps(data, indent=2))
            return
        print(table([header, *rows]))


def scripts_in(client: Client, folder: str | None) -> list[dict[str, Any]]:
    """Every script the user may see (in ``folder`` if given), page after page."""
    found: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {"folder": folder, "limit": PAGE, "cursor": cursor}
        page = client.call("GET", "scripts", query=query)
        found += page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            return found


def script_of(client: Client, reference: str) -> dict[str, Any]:
    """A script by id, or by name (``folder/name`` for one in a folder)."""
    if reference.isdigit():
        return dict(client.call("GET", f"scripts/{reference}"))
    folder, _, name = reference.rpartition("/")
    matches = [s for s in scripts_in(client, folder) if s["name"] == name and s["folder"] == folder]
    if not matches:
        raise CommandError(f"there is no script {reference!r}")
    return dict(matches[0])


def table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def when(iso: str | None) -> str:
    return (iso or "")[:19].replace("T", " ")
