"""LanguageService: what a language server says about a text for an interpreter —
diagnostics, completions, hover — for ScriptForge's own features (the assistant's
proposals), through the same servers as the editor; and the source files outside the
root that a language server pointed the editor to (the ``sources:`` drive)."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InvalidInput, NotFound, TooLarge, Unavailable
from .connection import ServerError
from .documents import position_of
from .manager import LanguageServers
from .protocol import Message
from .server import Document, InterpreterLanguageServer
from .sources import drive_path, parse_local_path

# The largest source file the drive serves (the standard library's largest is ~250 KB).
MAX_SOURCE_BYTES = 4 * 2**20

_SEVERITIES = {1: "error", 2: "warning", 3: "information", 4: "hint"}


@dataclass(frozen=True)
class Diagnostic:
    line: int  # 1-based, as the guardrail findings
    column: int  # 0-based
    end_line: int
    end_column: int
    severity: str
    message: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "severity": self.severity,
            "message": self.message,
            "source": self.source,
        }


class LanguageServerError(Unavailable):
    """No language server could answer for the interpreter; the message says why."""


@dataclass(frozen=True)
class SourceFile:
    path: str  # in the drive: sources:<interpreter>/<absolute path>
    interpreter: str
    file: str  # where it is, on this machine or in the interpreter's image
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "interpreter": self.interpreter,
            "file": self.file,
            "content": self.text,
        }


class LanguageService:
    def __init__(self, servers: LanguageServers, timeout: float = 30.0) -> None:
        self._servers = servers
        self._timeout = timeout

    async def diagnostics(self, text: str, interpreter: str) -> list[Diagnostic]:
        """What the interpreter's language server finds in ``text`` (syntax it cannot parse,
        undefined names, unused imports)."""
        server = self._servers.server_for(interpreter)
        uri = self._scratch_uri()
        published: asyncio.Future[Message] = asyncio.get_running_loop().create_future()

        def listener(source: InterpreterLanguageServer, at: str, message: Message) -> None:
            if source is server and at == uri and not published.done():
                published.set_result(message)

        stop_listening = self._servers.listen(listener)
        try:
            await server.open(Document(uri, "python", 1, text))
            message = await asyncio.wait_for(published, self._timeout)
        except (ServerError, ConnectionError, LookupError) as error:
            raise LanguageServerError(str(error)) from None
        except TimeoutError:
            raise LanguageServerError("the language server did not answer in time") from None
        finally:
            stop_listening()
            await server.close(uri)
        return [_diagnostic(item) for item in message["params"].get("diagnostics", [])]

    async def completions(self, text: str, offset: int, interpreter: str) -> list[str]:
        """The labels offered at ``offset``."""
        result = await self._ask(text, offset, interpreter, "textDocument/completion")
        items = result.get("items", []) if isinstance(result, dict) else result or []
        return [item["label"] for item in items if isinstance(item, dict) and "label" in item]

    async def hover(self, text: str, offset: int, interpreter: str) -> str | None:
        """The hover text at ``offset`` (markdown), or None."""
        result = await self._ask(text, offset, interpreter, "textDocument/hover")
        contents = (result or {}).get("contents") if isinstance(result, dict) else None
        if isinstance(contents, dict):
            return str(contents.get("value") or "") or None
        if isinstance(contents, list):
            parts = [c.get("value", "") if isinstance(c, dict) else str(c) for c in contents]
            return "\n\n".join(p for p in parts if p) or None
        return str(contents) if contents else None

    async def source(self, local_path: str) -> SourceFile:
        """A file a language server pointed to (``local_path`` within the drive), read from
        its interpreter's environment, read-only."""
        parsed = parse_local_path(local_path)
        if parsed is None:
            raise InvalidInput("path is not <interpreter>/<absolute path> of a source file.")
        interpreter, path = parsed
        if not self._servers.sources.may_read(interpreter, path):
            raise NotFound(
                f"No language server of {interpreter} pointed to {path} since this server"
                " started: go to the definition again from a script."
            )
        server = self._servers.server_for(interpreter)
        try:
            data = await asyncio.wait_for(server.read_file(path, MAX_SOURCE_BYTES), self._timeout)
        except FileNotFoundError:
            raise NotFound(f"{path} is no longer in the environment of {interpreter}.") from None
        except ValueError:
            raise TooLarge(f"{path} is larger than {MAX_SOURCE_BYTES} bytes.") from None
        except (ServerError, ConnectionError, LookupError, OSError, TimeoutError) as error:
            raise LanguageServerError(f"{path} could not be read: {error}") from None
        text = data.decode("utf-8", errors="replace")
        return SourceFile(drive_path(interpreter, path), interpreter, path, text)

    async def _ask(self, text: str, offset: int, interpreter: str, method: str) -> Any:
        server = self._servers.server_for(interpreter)
        uri = self._scratch_uri()
        try:
            await server.open(Document(uri, "python", 1, text))
            params = {"textDocument": {"uri": uri}, "position": position_of(text, offset)}
            return await asyncio.wait_for(server.request(method, params), self._timeout)
        except (ServerError, ConnectionError, LookupError) as error:
            raise LanguageServerError(str(error)) from None
        except TimeoutError:
            raise LanguageServerError("the language server did not answer in time") from None
        finally:
            await server.close(uri)

    def _scratch_uri(self) -> str:
        """A document of its own under the root (never written to disk), so imports of the
        scripts folder resolve as they would for a script."""
        return (Path(self._servers.root_dir) / f".scriptforge-{uuid.uuid4().hex}.py").as_uri()


def _diagnostic(item: dict[str, Any]) -> Diagnostic:
    start, end = item["range"]["start"], item["range"]["end"]
    return Diagnostic(
        line=start["line"] + 1,
        column=start["character"],
        end_line=end["line"] + 1,
        end_column=end["character"],
        severity=_SEVERITIES.get(item.get("severity", 1), "error"),
        message=item.get("message", ""),
        source=item.get("source", ""),
    )
