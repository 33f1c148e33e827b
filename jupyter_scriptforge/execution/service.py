"""Runs: what to run, when (the slots), where (a runner), and what became of it.

A run is recorded as queued when submitted, with the script version it will execute
resolved right away, so a later save does not change what runs. Its task then waits for a
slot, hands the spec to a runner, streams the output into an ``OutputLog`` that is saved in
batches, and records the outcome. A group run owns child runs, one per item.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from .._async import run_blocking, set_within
from ..artifacts.folders import ArtifactFolders
from ..catalog.service import CatalogService
from ..db.models import Group, Run
from ..db.run_store import RunEnd, RunStore
from ..db.types import utcnow
from ..environments.resolver import ResolutionError
from ..environments.service import EnvironmentService, Need
from ..errors import InvalidInput, NotFound, Unprocessable
from ..fair_slots import FairSlots
from ..guardrails.holds import GuardrailBlocked, GuardrailHolds
from ..guardrails.runtime import (
    REFUSAL_MARK,
)
from ..rights import Actor, Right
from ..versions.service import VersionService
from .groups import GroupService
from .interpreters import InterpreterRegistry
from .live import LiveRun, ended_json, run_json
from .output import OutputLog
from .preparation import PreparedRun, RunPreparation
from .run_queries import RunQueries
from .run_requests import RunRequest
from .run_settings import RunSettings
from .runners.base import Outcome, Runner, RunnerUnavailableError

log = logging.getLogger(__name__)

_FINISH_ATTEMPTS = 3
# How much of a run's output its end notice carries.
_TAIL_CHARS = 2000
# A run refused over and over (a loop around a refused call) is audited by its first ones.
_MAX_REFUSALS_AUDITED = 20

# Records what the runtime policy refused in a run: (user, run id, the refusal lines).
RefusalRecorder = Callable[[str, int, list[str]], Awaitable[None]]


class RunService(RunQueries):
    def __init__(
        self,
        runs: RunStore,
        catalog: CatalogService,
        versions: VersionService,
        groups: GroupService,
        interpreters: InterpreterRegistry,
        runners: Mapping[str, Runner],
        slots: FairSlots,
        settings: RunSettings,
        holds: GuardrailHolds | None = None,
        on_refusals: RefusalRecorder | None = None,
        environments: EnvironmentService | None = None,
        on_ended: Callable[[dict[str, Any], str], None] | None = None,
        artifacts: ArtifactFolders | None = None,
    ) -> None:
        """``on_ended(run, tail)``: a top-level run (a script's, or a group's) ended, as
        recorded, with the end of its output; called once, and must not block.
        ``artifacts``: where runs' output folders are kept (none: nothing is kept)."""
        self._runs = runs
        self._artifacts = artifacts
        self._on_refusals = on_refusals
        self._on_ended = on_ended
        self._groups = groups
        self._runners = runners
        self._slots = slots
        self.settings = settings
        self._environments = environments
        self._preparation = RunPreparation(
            catalog, versions, interpreters, runners, settings, holds, environments
        )
        self._live: dict[int, LiveRun] = {}
        self._closing = False
        self._started = False
        self._starting = asyncio.Lock()

    # --- life cycle ------------------------------------------------------------------

    def recover_sync(self) -> int:
        """Mark what a previous life of this server left unfinished as interrupted.

        Blocking, and called before the server serves: a run submitted afterwards must
        not be taken for a leftover.
        """
        return self._runs.interrupt_unfinished(self.settings.instance, utcnow())

    async def start(self) -> None:
        """Start the runners (they clear what an earlier server left) once; runs wait for it.

        The server calls it at start-up; the first run calls it too, for hosts that never
        run the extension's start hook.
        """
        async with self._starting:
            if self._started:
                return
            try:
                if self._artifacts is not None:
                    await run_blocking(self._artifacts.sweep)  # what expired while down
                if self._environments is not None:
                    await self._environments.start()
                for runner in self._runners.values():
                    await runner.start()
            finally:
                self._started = True

    async def close(self) -> None:
        """Stop every run (they end as interrupted), then the runners."""
        self._closing = True
        tops = [live for live in self._live.values() if live.task is not None]
        for live in list(self._live.values()):
            self._stop(live)
        await asyncio.gather(*(live.task for live in tops if live.task), return_exceptions=True)
        for runner in self._runners.values():
            await runner.close()

    def runner(self, name: str) -> Runner | None:
        return self._runners.get(name)

    # --- submit ----------------------------------------------------------------------

    async def submit(
        self, actor: Actor, request: RunRequest, schedule_id: int | None = None
    ) -> dict[str, Any]:
        """Start a run of a script or a group; ``schedule_id``: the schedule starting it."""
        actor.require(Right.RUN)
        user = actor.name
        if self._closing:
            raise Unprocessable("The server is shutting down; no new runs.")
        if request.group_id is not None:
            return await self._submit_group(user, request.group_id, schedule_id)
        assert request.script_id is not None
        spec, runner, version_id, need = await self._preparation.prepare(
            user,
            request.script_id,
            request,
            timeout_seconds=request.timeout,
        )
        run = Run(
            kind="script",
            user=user,
            instance=self.settings.instance,
            script_id=request.script_id,
            version_id=version_id,
            interpreter=spec.interpreter.name,
            runner=runner.name,
            args=list(spec.args),
            parameters=request.parameters,
            env=dict(spec.env),
            timeout_seconds=spec.limits.timeout_seconds,
            status="queued",
            output_chars=0,
            output_truncated=False,
            created_at=utcnow(),
            schedule_id=schedule_id,
        )
        [run] = await run_blocking(self._runs.add_runs, [run])
        live = LiveRun(run.id, user, replace(spec, run_id=run.id), runner, self._new_log())
        live.need = need
        live.record = run_json(run)
        self._live[run.id] = live
        live.task = asyncio.create_task(self._execute(live), name=f"scriptforge-run-{run.id}")
        return dict(live.record)

    async def _submit_group(
        self, user: str, group_id: int, schedule_id: int | None
    ) -> dict[str, Any]:
        group = await self._groups.group_of(user, group_id)
        if not group.items:
            raise Unprocessable(f"Group {group.name!r} has no scripts to run.")
        prepared = []
        # A group often runs one script many times: each distinct item is resolved once.
        known: dict[tuple[Any, ...], PreparedRun] = {}
        for item in group.items:
            request = RunRequest(
                script_id=item.script_id, interpreter=item.interpreter, parameters=item.parameters
            )
            timeout = item.timeout_seconds or group.item_timeout_seconds
            values = json.dumps(item.parameters, sort_keys=True)
            key = (item.script_id, item.interpreter, timeout, tuple(item.args), values)
            try:
                if key not in known:
                    known[key] = await self._preparation.prepare(
                        user, item.script_id, request, timeout, item.args
                    )
                prepared.append(known[key])
            except (NotFound, InvalidInput, Unprocessable) as error:
                raise Unprocessable(
                    f"Item {item.position + 1} of {group.name!r}: {error}"
                ) from error
            except GuardrailBlocked as error:
                raise GuardrailBlocked(
                    f"Item {item.position + 1} of {group.name!r}: {error}", **error.details
                ) from error
        now = utcnow()
        parent = Run(
            kind="group",
            user=user,
            instance=self.settings.instance,
            group_id=group.id,
            args=[],
            env={},
            status="queued",
            output_chars=0,
            output_truncated=False,
            created_at=now,
            schedule_id=schedule_id,
        )
        children = [
            Run(
                kind="script",
                user=user,
                instance=self.settings.instance,
                script_id=spec.run_id,  # the script id, carried until the run has its own id
                version_id=version_id,
                group_id=group.id,
                position=position,
                interpreter=spec.interpreter.name,
                runner=runner.name,
                args=list(spec.args),
                parameters=item.parameters,
                env={},
                timeout_seconds=spec.limits.timeout_seconds,
                status="queued",
                output_chars=0,
                output_truncated=False,
                created_at=now,
            )
            for position, (item, (spec, runner, version_id, _)) in enumerate(
                zip(group.items, prepared, strict=True)
            )
        ]
        await run_blocking(self._runs.add_group_run, parent, children)
        live = LiveRun(parent.id, user, None, None, self._new_log())
        for child, (spec, runner, _, need) in zip(children, prepared, strict=True):
            child_live = LiveRun(
                child.id, user, replace(spec, run_id=child.id), runner, self._new_log()
            )
            child_live.need = need
            live.children.append(child_live)
            self._live[child.id] = child_live
        self._live[parent.id] = live
        live.task = asyncio.create_task(
            self._execute_group(live, group), name=f"scriptforge-group-run-{parent.id}"
        )
        return run_json(parent)

    def _new_log(self) -> OutputLog:
        return OutputLog(self.settings.max_output_chars)

    # --- execution -------------------------------------------------------------------

    async def _execute(self, live: LiveRun) -> Outcome:
        """Wait for a slot, run, save output as it comes, record the end."""
        return await self._finish(live, await self._run_in_slot(live))

    async def _run_in_slot(self, live: LiveRun) -> Outcome:
        """The run itself, from its slot to its last process; recording it is the caller's."""
        assert live.spec is not None
        assert live.runner is not None
        outcome = Outcome("cancelled")
        recorder: asyncio.Task[None] | None = None
        stop_recording = asyncio.Event()
        try:
            await self.start()
            with contextlib.ExitStack() as holding:
                spec = replace(live.spec, inputs=live.inputs)
                if self._artifacts is not None:
                    live.kept = self._artifacts.intake(live.id)
                    spec = replace(spec, keep_output=live.kept.receive)
                if live.need is not None and not live.cancel.is_set():
                    packages = await self._environment_of(live, live.need, holding)
                    spec = replace(spec, packages=str(packages))
                if not live.cancel.is_set():
                    async with self._slots.slot(live.user):
                        if not live.cancel.is_set():
                            live.started_at = utcnow()
                            recorder = asyncio.create_task(
                                self._record_progress(live, stop_recording)
                            )
                            outcome = await live.runner.run(spec, live.log, live.cancel)
        except asyncio.CancelledError:
            outcome = Outcome("cancelled")
        except ResolutionError as error:
            outcome = Outcome("failed", error=f"The script's dependencies: {error}")
        except RunnerUnavailableError as error:
            outcome = Outcome("failed", error=str(error))
        except Exception:
            log.exception("Run %s failed inside ScriptForge", live.id)
            outcome = Outcome(
                "failed", error="ScriptForge could not run this script; see the server log."
            )
        finally:
            # From here on a stop must not cancel this task: it only records.
            live.finishing = True
            if recorder is not None:
                # Asked, not cancelled: a write in flight completes before the final one.
                stop_recording.set()
                await asyncio.gather(recorder, return_exceptions=True)
        return outcome

    async def _environment_of(
        self, live: LiveRun, need: Need, holding: contextlib.ExitStack
    ) -> Path:
        """The folder of the packages ``need`` names, resolved and installed first if need
        be (said on the run's output), held until the run ends."""
        assert self._environments is not None

        def say(text: str) -> None:
            live.log.write("stderr", f"[scriptforge] {text}\n")

        key = await self._environments.prepare(need, say)
        return holding.enter_context(self._environments.cache.using(key))

    async def _finish(self, live: LiveRun, outcome: Outcome) -> Outcome:
        """Record how the run ended; the run leaves this server's live runs whatever happens."""
        live.finishing = True
        if self._closing and outcome.status == "cancelled":
            outcome = replace(outcome, status="interrupted")  # type: ignore[arg-type]
        if outcome.error:
            live.log.write("stderr", f"[scriptforge] {outcome.error}\n")
        kept = live.kept.kept if live.kept is not None else None
        if kept is not None and kept.note():
            live.log.write("stderr", f"[scriptforge] {kept.note()}\n")
        try:
            for attempt in range(_FINISH_ATTEMPTS):
                end = RunEnd(
                    status=outcome.status,
                    exit_code=outcome.exit_code,
                    error=outcome.error,
                    peak_memory_bytes=outcome.peak_memory_bytes,
                    started_at=live.started_at,
                    finished_at=utcnow(),
                    output_chars=live.log.size,
                    output_truncated=live.log.truncated,
                    artifact_files=kept.files if kept is not None else 0,
                )
                try:
                    ended = await run_blocking(
                        self._runs.finish_run, live.id, end, live.log.unsaved()
                    )
                except Exception:
                    log.exception("Recording the end of run %s failed", live.id)
                    await asyncio.sleep(0.5 * (attempt + 1))
                else:
                    live.log.mark_saved()
                    live.recorded = True
                    # Not ended here: cancelled elsewhere meanwhile, as the store says.
                    live.record = ended_json(live.record, end) if ended and live.record else None
                    break
        finally:
            live.log.finish()
            self._live.pop(live.id, None)
        await self._record_refusals(live)
        await self._tell_ended(live)
        return outcome

    async def _tell_ended(self, live: LiveRun) -> None:
        """A top-level run ended: tell ``on_ended``, as the store has it."""
        if self._on_ended is None or not live.recorded:
            return
        if self._closing and not live.record:
            return  # the server stops: no store read for a group cut short
        # A group's own record is not kept while it runs (its items are): read it back.
        run = dict(live.record) if live.record else await self.get(live.user, live.id)
        if run["parent_id"] is None:
            self._on_ended(run, live.log.tail(_TAIL_CHARS))

    async def _record_refusals(self, live: LiveRun) -> None:
        """What the runtime policy refused in a guarded run, for the audit log."""
        if self._on_refusals is None or live.spec is None or not live.spec.runtime_rules:
            return
        text = "".join(piece.text for piece in live.log.read(0) if piece.stream == "stderr")
        refused = [line for line in text.splitlines() if line.startswith(REFUSAL_MARK)]
        if refused:
            try:
                await self._on_refusals(live.user, live.id, refused[:_MAX_REFUSALS_AUDITED])
            except Exception:  # the run is recorded; a failing audit must not undo it
                log.exception("Could not audit the refusals of run %s", live.id)

    async def _record_progress(self, live: LiveRun, stop: asyncio.Event) -> None:
        """Mark the run as running, save its output in batches, and watch for a cancel
        recorded by another server.

        A run that ends within the first beat is recorded once, at its end: most scripts
        of a group are quick, and each write is one more transaction.
        """
        assert live.started_at is not None
        if await set_within(stop, self.settings.running_mark_seconds):
            return
        try:
            if not await run_blocking(self._runs.mark_running, live.id, live.started_at):
                live.cancel.set()  # no longer queued: cancelled elsewhere meanwhile
            while not await set_within(stop, self.settings.flush_seconds):
                pieces = live.log.unsaved()
                if pieces:
                    still_running = await run_blocking(
                        self._runs.append_output,
                        live.id,
                        pieces,
                        live.log.size,
                        live.log.truncated,
                    )
                    live.log.mark_saved(len(pieces))
                else:
                    still_running = await run_blocking(self._runs.is_unfinished, live.id)
                if not still_running:
                    live.cancel.set()
        except Exception:
            # The end is recorded anyway, with every piece not yet saved.
            log.exception("Saving the progress of run %s failed", live.id)

    async def _execute_group(self, live: LiveRun, group: Group) -> Outcome:
        live.started_at = utcnow()
        marked = asyncio.ensure_future(
            run_blocking(self._runs.mark_running, live.id, live.started_at)
        )
        failed = asyncio.Event()
        gate = asyncio.Semaphore(group.max_concurrency if group.mode == "parallel" else 1)

        async def item(child: LiveRun) -> Outcome:
            async with gate:
                if failed.is_set() and group.stop_on_failure:
                    child.cancel.set()
                if group.mode == "sequential":
                    child.inputs = _kept_before(live.children, child)
                child.task = asyncio.current_task()
                outcome = await self._run_in_slot(child)
                # Acted on before the gate lets the next item in: with stop on failure,
                # nothing after a failed item starts.
                if outcome.status in ("failed", "timed_out"):
                    failed.set()
                    if group.stop_on_failure:
                        for sibling in live.children:
                            if sibling is not child:
                                self._stop(sibling)
            # Recorded after the gate opens for the next item: bookkeeping is not running.
            return await self._finish(child, outcome)

        outcomes: list[Outcome | BaseException] = []
        try:
            outcomes = await asyncio.gather(
                *(item(child) for child in live.children), return_exceptions=True
            )
        finally:
            with contextlib.suppress(Exception):
                await marked
            statuses = [o.status if isinstance(o, Outcome) else "failed" for o in outcomes]
            if live.cancel.is_set() and not failed.is_set():
                status = "cancelled"
            elif any(s in ("failed", "timed_out") for s in statuses):
                status = "failed"
            elif statuses and all(s == "succeeded" for s in statuses):
                status = "succeeded"
            else:
                status = "cancelled"
            finished = await self._finish(live, Outcome(status))  # type: ignore[arg-type]
        return finished

    # --- control and queries ---------------------------------------------------------

    def _stop(self, live: LiveRun) -> None:
        live.cancel.set()
        for child in live.children:
            self._stop(child)
        waiting = live.started_at is None and not live.finishing and not live.children
        if waiting and live.task is not None:
            live.task.cancel()  # still waiting for a slot

    async def cancel(self, actor: Actor, run_id: int) -> dict[str, Any]:
        """Cancel one of the actor's own runs (a run is seen by its user alone)."""
        actor.require(Right.RUN)
        user = actor.name
        run = await self._visible(user, run_id)
        live = self._live.get(run_id)
        if live is not None:
            self._stop(live)
            if live.task is not None and live.task is not asyncio.current_task():
                await asyncio.wait({live.task}, timeout=10)
        elif run.status in ("queued", "running"):
            # Another server runs it: mark it, that server's runner sees the status change.
            await run_blocking(self._runs.set_run, run_id, status="cancelled", finished_at=utcnow())
        return await self.get(user, run_id)

    async def idle(self) -> None:
        """Wait until no run is live (for tests and shutdown)."""
        while self._live:
            tasks = [live.task for live in self._live.values() if live.task is not None]
            if tasks:
                await asyncio.wait(tasks)
            else:
                await asyncio.sleep(0.01)


def _kept_before(items: list[LiveRun], item: LiveRun) -> dict[str, str]:
    """The output folders the items before ``item`` kept, by position from 1: what a
    sequential group's item reads at ``$SCRIPTFORGE_INPUTS/<position>``."""
    found = {}
    for position, earlier in enumerate(items[: items.index(item)], start=1):
        folder = earlier.kept.folder if earlier.kept is not None else None
        if folder is not None:
            found[str(position)] = str(folder)
    return found
