"""A run as this server holds it while it executes (``LiveRun``), and a run's JSON form as
the API and the event stream send it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..artifacts.folders import Intake
from ..db.models import Run
from ..db.run_store import RunEnd
from ..environments.service import Need
from .output import OutputLog
from .runners.base import Outcome, Runner, RunSpec

FINISHED = ("succeeded", "failed", "cancelled", "timed_out", "interrupted")


@dataclass
class LiveRun:
    """A run this server is executing (or will): its output, its stop switch, its task."""

    id: int
    user: str
    spec: RunSpec | None
    runner: Runner | None
    log: OutputLog
    cancel: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[Outcome] | None = None
    started_at: datetime | None = None
    # Past its run, only being recorded: stops no longer cancel its task.
    finishing: bool = False
    # Its end and all its output are in the store.
    recorded: bool = False
    # A script run as the store has it (its end too, once recorded): what a follower is
    # sent without reading the store. None when only the store knows.
    record: dict[str, Any] | None = None
    children: list[LiveRun] = field(default_factory=list)
    # The environment its declared dependencies need (environments/), if any.
    need: Need | None = None
    # Earlier group items' kept output it may read (RunSpec.inputs), and what it kept.
    inputs: dict[str, str] = field(default_factory=dict)
    kept: Intake | None = None


def run_json(run: Run) -> dict[str, Any]:
    return {
        "id": run.id,
        "kind": run.kind,
        "user": run.user,
        "script_id": run.script_id,
        "version_id": run.version_id,
        "group_id": run.group_id,
        "parent_id": run.parent_id,
        "position": run.position,
        "interpreter": run.interpreter,
        "runner": run.runner,
        "args": list(run.args),
        "parameters": run.parameters,
        "env": dict(run.env),
        "timeout_seconds": run.timeout_seconds,
        "status": run.status,
        "exit_code": run.exit_code,
        "error": run.error,
        "peak_memory_bytes": run.peak_memory_bytes,
        "output_chars": run.output_chars,
        "output_truncated": run.output_truncated,
        "created_at": run.created_at.isoformat(),
        "started_at": run.started_at.isoformat() if run.started_at else None,
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "schedule_id": run.schedule_id,
        "artifact_files": run.artifact_files or 0,
    }


def ended_json(run: dict[str, Any], end: RunEnd) -> dict[str, Any]:
    """``run`` (from ``run_json``) as ``end`` records it."""
    started_at = run["started_at"] or (end.started_at.isoformat() if end.started_at else None)
    return {
        **run,
        "status": end.status,
        "exit_code": end.exit_code,
        "error": end.error,
        "peak_memory_bytes": end.peak_memory_bytes,
        "output_chars": end.output_chars,
        "output_truncated": end.output_truncated,
        "started_at": started_at,
        "finished_at": end.finished_at.isoformat(),
        "artifact_files": end.artifact_files,
    }
