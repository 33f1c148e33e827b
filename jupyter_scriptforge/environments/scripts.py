"""A script's declared dependencies as its editor sees them: their state for a version and
an interpreter, and preparing their environment ahead of a run."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Any

from ..catalog.service import CatalogService
from ..errors import Unprocessable
from ..execution.interpreters import Interpreter, InterpreterRegistry
from ..rights import Actor, Right
from .resolver import ResolutionError
from .service import EnvironmentService, Need

log = logging.getLogger(__name__)


class ScriptDependencies:
    def __init__(
        self,
        catalog: CatalogService,
        interpreters: InterpreterRegistry,
        environments: EnvironmentService,
        on_ready: Callable[[str, str], Awaitable[None]] | None = None,
    ) -> None:
        """``on_ready(interpreter, folder)``: a version's environment is built (the
        language server of the interpreter then reads its packages)."""
        self._catalog = catalog
        self._interpreters = interpreters
        self._environments = environments
        self._on_ready = on_ready
        self._preparing: set[asyncio.Task[None]] = set()

    async def state(
        self, viewer: str, script_id: int, version_id: int | None, interpreter: str | None
    ) -> dict[str, Any]:
        """resolving · installing · ready · failed (with uv's words) · unresolved (nothing
        tried yet) · unsupported (``requires-python`` excludes the interpreter) · none."""
        content, version, chosen = await self._version_of(
            viewer, script_id, version_id, interpreter
        )
        return await self._state(content, version, chosen)

    async def _state(self, content: str, version: int, chosen: Interpreter) -> dict[str, Any]:
        state = await self._environments.state(content, version, chosen)
        if state["state"] == "ready" and self._on_ready is not None:
            await self._on_ready(
                chosen.name, str(self._environments.folder_of(chosen, state["pins"]))
            )
        return state

    async def environment(
        self, viewer: str, script_id: int, version_id: int | None, interpreter: str | None
    ) -> tuple[str, AsyncGenerator[bytes, None]]:
        """A version's built environment, for whoever may read the script: (its name, its
        packages as a tar stream); 409 unless it is built."""
        content, version, chosen = await self._version_of(
            viewer, script_id, version_id, interpreter
        )
        key = await self._environments.built(content, version, chosen)
        return key, self._environments.archive(key)

    async def prepare(
        self, actor: Actor, script_id: int, version_id: int | None, interpreter: str | None
    ) -> dict[str, Any]:
        """Start resolving and installing in the background (a right of those who run);
        → the state then."""
        actor.require(Right.RUN)
        content, version, chosen = await self._version_of(
            actor.name, script_id, version_id, interpreter
        )
        need = self._environments.needs_of(content, version, chosen)
        if need is not None:
            task = asyncio.create_task(self._prepare(need))
            self._preparing.add(task)
            task.add_done_callback(self._preparing.discard)
            await asyncio.sleep(0)  # the task marks itself as resolving
        return await self._state(content, version, chosen)

    async def resolve_again(
        self, actor: Actor, script_id: int, interpreter: str | None
    ) -> dict[str, Any]:
        """Record the head's content as a new version, whose dependencies resolve afresh
        (newer releases within its requirements), and prepare it; older versions keep
        their pins. → the new version's state."""
        actor.require(Right.RUN)
        saved = await self._catalog.repeat_head(script_id, actor, "Dependencies resolved again")
        return await self.prepare(actor, script_id, saved.version.id, interpreter)

    async def _prepare(self, need: Need) -> None:
        try:
            await self._environments.prepare(need, lambda text: None)
        except ResolutionError:
            pass  # kept as the state's message
        except Exception:
            log.exception("Preparing the environment of version %s failed", need.version_id)

    async def _version_of(
        self, viewer: str, script_id: int, version_id: int | None, interpreter: str | None
    ) -> tuple[str, int, Interpreter]:
        script, version, content = await self._catalog.version_of(script_id, version_id, viewer)
        name = interpreter or script.interpreter
        chosen = await (self._interpreters.get(name) if name else self._interpreters.default())
        if chosen is None:
            raise Unprocessable(f"There is no interpreter {name!r} here.")
        return content, version.id, chosen
