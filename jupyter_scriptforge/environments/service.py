"""Environments for runs: a version's declared dependencies resolved once into pins for a
kind of interpreter (recorded), and installed once into the shared cache.

What a run needs is settled when it is submitted (``needs_of``: a ``requires-python`` the
interpreter misses is a 400 there); the environment is prepared before the run takes its
slot, saying what it does on the run's output.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._async import run_blocking
from ..db.pin_store import PinStore
from ..errors import Conflict, InvalidInput, Unprocessable
from ..execution.interpreters import Interpreter
from .archive import tar_chunks
from .cache import EnvironmentCache, environment_key
from .in_image import ImageUv
from .metadata import ScriptNeeds, read_needs
from .resolver import ResolutionError, Resolver

_PINS_REMEMBERED = 1024


@dataclass(frozen=True)
class Need:
    """A run's need of an environment: the version's declared dependencies, for an
    interpreter."""

    version_id: int
    interpreter: Interpreter
    dependencies: tuple[str, ...]

    @property
    def target(self) -> str:
        return target_of(self.interpreter)


def target_of(interpreter: Interpreter) -> str:
    """The kind of interpreter pins hold for: implementation and minor version."""
    minor = ".".join(interpreter.version.split(".")[:2])
    return f"{interpreter.implementation.lower()}-{minor}"


class EnvironmentService:
    def __init__(
        self,
        pins: PinStore,
        cache: EnvironmentCache,
        resolver: Resolver,
        in_images: ImageUv | None = None,
    ) -> None:
        """``in_images``: uv in an interpreter's image, for interpreters only an image has
        (None: their scripts may declare no dependencies)."""
        self._pins = pins
        self.cache = cache
        self._resolver = resolver
        self._in_images = in_images
        self._resolving: dict[tuple[int, str], asyncio.Future[list[str]]] = {}
        # Pins never change once recorded: each run of a version need not ask the store.
        self._known_pins: dict[tuple[int, str], list[str]] = {}
        # (version, target) being prepared now, from the call on: the editor's state says
        # so before the first await.
        self._preparing: Counter[tuple[int, str]] = Counter()
        # The last failure of each (version, target), for the editor's state.
        self._failures: dict[tuple[int, str], str] = {}

    async def start(self) -> None:
        await run_blocking(self.cache.prepare_folder)

    def needs_of(self, content: str, version_id: int, interpreter: Interpreter) -> Need | None:
        """What a run of ``content`` on ``interpreter`` needs installed, None if nothing;
        400 if its metadata cannot be read or excludes the interpreter."""
        needs = read_needs(content)
        if needs is None:
            return None
        needs.check_python(interpreter.name, interpreter.version)
        if not needs.dependencies:
            return None
        if interpreter.path is None and (interpreter.image is None or self._in_images is None):
            raise Unprocessable(
                f"{interpreter.name} lives only in a Docker image, and this server resolves"
                " no dependencies in images."
            )
        return Need(version_id, interpreter, needs.dependencies)

    async def prepare(self, need: Need, say: Callable[[str], None]) -> str:
        """The cache key of ``need``'s environment, resolved and built first if need be.
        Raises ``ResolutionError`` with uv's words."""
        key = (need.version_id, need.target)
        self._preparing[key] += 1
        try:
            name = await self._prepared(need, say)
        except ResolutionError as error:
            self._failures[key] = str(error)
            raise
        finally:
            self._preparing[key] -= 1
            if not self._preparing[key]:
                del self._preparing[key]
        self._failures.pop(key, None)
        return name

    async def _prepared(self, need: Need, say: Callable[[str], None]) -> str:
        pins = await self._pins_of(need, say)
        name = environment_key(need.target, pins)

        async def build(staging: Path) -> None:
            # Said by the one run that builds it; the others wait for it in silence.
            say(f"preparing environment: installing {', '.join(pins)}")
            await self._install(need.interpreter, pins, staging)

        await self.cache.ensure(name, build)
        return name

    async def _pins_of(self, need: Need, say: Callable[[str], None]) -> list[str]:
        key = (need.version_id, need.target)
        recorded = self._known_pins.get(key)
        if recorded is None:
            recorded = await run_blocking(self._pins.pins, *key)
        if recorded is not None:
            self._remember(key, recorded)
            return recorded
        running = self._resolving.get(key)
        if running is not None:
            return await asyncio.shield(running)
        future: asyncio.Future[list[str]] = asyncio.get_running_loop().create_future()
        self._resolving[key] = future
        try:
            say(f"preparing environment: resolving {', '.join(need.dependencies)}")
            pins = await self._resolve(need.interpreter, need.dependencies)
            pins = await run_blocking(self._pins.record, need.version_id, need.target, pins)
            self._remember(key, pins)
            future.set_result(pins)
            return pins
        except BaseException as error:
            future.set_exception(error)
            future.exception()
            raise
        finally:
            del self._resolving[key]

    async def _resolve(self, interpreter: Interpreter, dependencies: tuple[str, ...]) -> list[str]:
        """Pins for ``interpreter``: by uv on this machine, or inside its image."""
        if interpreter.path is not None:
            return await self._resolver.resolve(interpreter.path, dependencies)
        assert self._in_images is not None
        assert interpreter.image is not None
        return await self._in_images.resolve(interpreter.image, dependencies)

    async def _install(self, interpreter: Interpreter, pins: list[str], target: Path) -> None:
        if interpreter.path is not None:
            await self._resolver.install(interpreter.path, pins, target)
            return
        assert self._in_images is not None
        assert interpreter.image is not None
        await self._in_images.install(interpreter.image, pins, target)

    async def built(self, content: str, version_id: int, interpreter: Interpreter) -> str:
        """The cache key of a version's environment on ``interpreter``; 409 unless it is
        built (the state says why not)."""
        state = await self.state(content, version_id, interpreter)
        if state["state"] != "ready":
            raise Conflict(
                f"The environment of version {version_id} on {interpreter.name} is not"
                f" ready ({state['state']}).",
                state=state["state"],
            )
        return environment_key(target_of(interpreter), state["pins"])

    async def archive(self, key: str) -> AsyncGenerator[bytes, None]:
        """The built environment ``key`` as a tar stream; not evicted while it is read."""
        with self.cache.using(key) as folder:
            async with aclosing(tar_chunks(folder)) as chunks:
                async for chunk in chunks:
                    yield chunk

    def folder_of(self, interpreter: Interpreter, pins: list[str]) -> Path:
        """Where the environment of ``pins`` for ``interpreter`` is (or would be) built."""
        return self.cache.path_of(environment_key(target_of(interpreter), pins))

    def _remember(self, key: tuple[int, str], pins: list[str]) -> None:
        if len(self._known_pins) >= _PINS_REMEMBERED:
            del self._known_pins[next(iter(self._known_pins))]
        self._known_pins[key] = pins

    async def state(
        self, content: str, version_id: int, interpreter: Interpreter
    ) -> dict[str, Any]:
        """What the editor shows of a version's dependencies on ``interpreter``."""
        needs = read_needs(content) or ScriptNeeds()
        answer: dict[str, Any] = {
            "version_id": version_id,
            "interpreter": interpreter.name,
            "dependencies": list(needs.dependencies),
            "requires_python": needs.requires_python,
            "pins": None,
            "state": "none",
            "message": None,
        }
        try:
            needs.check_python(interpreter.name, interpreter.version)
        except InvalidInput as error:  # its words are the state
            return {**answer, "state": "unsupported", "message": str(error)}
        if not needs.dependencies:
            return answer
        target = Need(version_id, interpreter, needs.dependencies).target
        pins = await run_blocking(self._pins.pins, version_id, target)
        failure = self._failures.get((version_id, target))
        preparing = (version_id, target) in self._preparing
        if pins is None:
            state = "resolving" if preparing else "unresolved"
            if failure is not None and state == "unresolved":
                state = "failed"
            return {**answer, "state": state, "message": failure}
        name = environment_key(target, pins)
        if self.cache.is_built(name):
            state = "ready"
        elif preparing or self.cache.is_building(name):
            state = "installing"
        else:
            state = "failed" if failure is not None else "unresolved"
        return {**answer, "pins": pins, "state": state, "message": failure}
