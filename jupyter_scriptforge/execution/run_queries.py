"""The reading half of the run service: a run, a user's history of runs, a run's output,
and following a run as it goes (from memory while this server executes it, from the store
otherwise)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from typing import Any

from .._async import run_blocking, set_within
from ..db.models import Run
from ..db.run_store import OutputPiece, RunFilter, RunStore
from ..errors import InvalidInput, NotFound
from .live import FINISHED, LiveRun, run_json
from .run_settings import RunSettings

_POLL_SECONDS = 0.5
_KEEPALIVE_SECONDS = 15.0


class RunQueries:
    """What a user may read of their runs; ``RunService`` is one (it holds the live runs)."""

    _runs: RunStore
    _live: dict[int, LiveRun]
    settings: RunSettings

    async def get(self, user: str, run_id: int) -> dict[str, Any]:
        run = await self._visible(user, run_id)
        found = self._as_live(run_json(run))
        if run.kind == "group":
            children = await run_blocking(self._runs.runs, RunFilter(parent_id=run.id), 10_000)
            found["children"] = [self._as_live(run_json(child)) for child in children]
        return found

    def _as_live(self, run: dict[str, Any]) -> dict[str, Any]:
        """A run as this server knows it now: the first beat of a run is not yet recorded."""
        live = self._live.get(run["id"])
        if live is not None and live.started_at is not None and run["status"] == "queued":
            run["status"] = "running"
            run["started_at"] = live.started_at.isoformat()
        return run

    async def history(
        self,
        user: str,
        script_id: int | None = None,
        group_id: int | None = None,
        status: str | None = None,
        limit: int = 50,
        before: int | None = None,
    ) -> list[dict[str, Any]]:
        if status is not None and status not in ("queued", "running", *FINISHED):
            raise InvalidInput(f"There is no run status {status!r}.")
        where = RunFilter(
            user=user,
            script_id=script_id,
            group_id=group_id,
            status=status,
            # A script's runs include those it made in groups; a group's runs are the
            # group runs alone (their children come with each, from `get`).
            top_level=script_id is None,
        )
        found = await run_blocking(self._runs.runs, where, limit, before)
        return [run_json(run) for run in found]

    async def output(self, user: str, run_id: int, offset: int, limit: int) -> dict[str, Any]:
        run = await self._visible(user, run_id)
        live = self._live.get(run_id)
        if live is not None:
            pieces = live.log.read(offset)
            finished = False
        else:
            pieces = await run_blocking(self._runs.output, run_id, offset, limit)
            finished = run.status in FINISHED
        pieces = _cap(pieces, limit)
        next_offset = pieces[-1].offset + len(pieces[-1].text) if pieces else offset
        total = live.log.size if live is not None else run.output_chars
        return {
            "run_id": run_id,
            "status": run.status
            if live is None
            else ("queued" if live.started_at is None else "running"),
            "offset": offset,
            "next_offset": next_offset,
            "pieces": [{"offset": p.offset, "stream": p.stream, "text": p.text} for p in pieces],
            "complete": finished and next_offset >= total,
            "truncated": live.log.truncated if live is not None else run.output_truncated,
        }

    async def follow(
        self, user: str, run_id: int, offset: int
    ) -> AsyncGenerator[tuple[str, dict[str, Any]], None]:
        """The run as it is, its output from ``offset`` as it is written, then its end.

        A ``keepalive`` comes after every quiet stretch, so a stream whose client has gone
        finds out.
        """
        live = self._live.get(run_id)
        if live is not None and live.record is not None and live.user == user:
            yield "run", self._as_live(dict(live.record))
        else:
            yield "run", await self.get(user, run_id)
        while live is not None:
            changed = live.log.changed()
            # Asked before reading: once it has ended, this read gets all it wrote.
            ended = self._live.get(run_id) is not live
            for piece in live.log.read(offset):
                offset = piece.offset + len(piece.text)
                yield "output", {"offset": piece.offset, "stream": piece.stream, "text": piece.text}
            if ended:
                break
            if not await set_within(changed, _KEEPALIVE_SECONDS):
                yield "keepalive", {}
        if live is not None and live.recorded:
            # Its output came from memory, and so does its end when it is a script run.
            yield "end", dict(live.record) if live.record else await self.get(user, run_id)
            return
        while True:
            # Finished before, or running on another server: read what is saved.
            page = await self.output(user, run_id, offset, 1 << 20)
            for piece in page["pieces"]:
                offset = piece["offset"] + len(piece["text"])
                yield "output", piece
            run = await self._visible(user, run_id)
            # Unfinished in the store yet live nowhere on its own server: it never will be.
            abandoned = run.instance == self.settings.instance and run_id not in self._live
            if page["complete"] or abandoned:
                yield "end", await self.get(user, run_id)
                return
            await asyncio.sleep(_POLL_SECONDS)
            yield "keepalive", {}

    async def _visible(self, user: str, run_id: int) -> Run:
        run = await run_blocking(self._runs.run, run_id)
        if run is None or run.user != user:
            raise NotFound(f"There is no run {run_id}.")
        return run


def _cap(pieces: list[OutputPiece], limit: int) -> list[OutputPiece]:
    kept, total = [], 0
    for piece in pieces:
        if total >= limit:
            break
        text = piece.text[: limit - total]
        kept.append(OutputPiece(piece.offset, piece.stream, text))
        total += len(text)
    return kept
