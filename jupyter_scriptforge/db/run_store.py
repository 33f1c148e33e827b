"""The SQL of groups, runs and run output. Blocking: services call it from worker threads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, func, insert, select, update

from .models import Group, GroupItem, Run, RunOutput
from .store import Store
from .types import UTCDateTime, utcnow

UNFINISHED = ("queued", "running")

_RUNS = cast(Table, Run.__table__)
_OUTPUT = cast(Table, RunOutput.__table__)
# The statements every run executes, built once: building them costs more than running them.
_MARK_RUNNING = (
    update(_RUNS)
    .where(_RUNS.c.id == bindparam("run_id"), _RUNS.c.status == "queued")
    .values(status="running", started_at=bindparam("when"))
)
_FINISH = (
    update(_RUNS)
    .where(_RUNS.c.id == bindparam("run_id"), _RUNS.c.status.in_(UNFINISHED))
    .values(
        status=bindparam("final_status"),
        exit_code=bindparam("code"),
        error=bindparam("reason"),
        peak_memory_bytes=bindparam("peak"),
        # Set when the run was marked running; a quick run is recorded only here.
        started_at=func.coalesce(_RUNS.c.started_at, bindparam("started", type_=UTCDateTime)),
        finished_at=bindparam("when"),
        output_chars=bindparam("chars"),
        output_truncated=bindparam("cut"),
        artifact_files=bindparam("kept"),
    )
)
_OUTPUT_SIZE = (
    update(_RUNS)
    .where(_RUNS.c.id == bindparam("run_id"), _RUNS.c.status.in_(UNFINISHED))
    .values(output_chars=bindparam("chars"), output_truncated=bindparam("cut"))
)
_INSERT_OUTPUT = insert(_OUTPUT)


@dataclass(frozen=True)
class RunFilter:
    user: str | None = None
    script_id: int | None = None
    group_id: int | None = None
    parent_id: int | None = None
    status: str | None = None
    top_level: bool = False


@dataclass(frozen=True)
class RunEnd:
    """How a run ended, as recorded."""

    status: str
    exit_code: int | None
    error: str | None
    peak_memory_bytes: int | None
    started_at: datetime | None
    finished_at: datetime
    output_chars: int
    output_truncated: bool
    artifact_files: int = 0


@dataclass(frozen=True)
class OutputPiece:
    offset: int
    stream: str
    text: str


class RunStore:
    def __init__(self, store: Store) -> None:
        self._store = store

    # --- groups ----------------------------------------------------------------------

    def add_group(self, group: Group) -> Group:
        with self._store.writing() as tx:
            tx.session.add(group)
            tx.session.flush()
            return group

    def group(self, group_id: int) -> Group | None:
        with self._store.reading() as tx:
            return tx.session.get(Group, group_id)

    def groups(self, owner: str | None) -> Sequence[Group]:
        query = select(Group).order_by(Group.name, Group.id)
        if owner is not None:
            query = query.where(Group.owner == owner)
        with self._store.reading() as tx:
            return tx.session.scalars(query).all()

    def update_group(
        self, group_id: int, values: dict[str, Any], items: list[GroupItem] | None
    ) -> Group | None:
        with self._store.writing() as tx:
            group = tx.session.get(Group, group_id, with_for_update=True)
            if group is None:
                return None
            for name, value in values.items():
                setattr(group, name, value)
            if items is not None:
                group.items.clear()
                tx.session.flush()
                group.items.extend(items)
            group.updated_at = utcnow()
            tx.session.flush()
            return group

    def delete_group(self, group_id: int) -> bool:
        with self._store.writing() as tx:
            group = tx.session.get(Group, group_id)
            if group is None:
                return False
            tx.session.delete(group)
            return True

    # --- runs ------------------------------------------------------------------------

    def add_runs(self, runs: Sequence[Run]) -> list[Run]:
        """Insert runs in one transaction."""
        with self._store.writing() as tx:
            tx.session.add_all(runs)
            tx.session.flush()
            return list(runs)

    def add_group_run(self, parent: Run, children: Sequence[Run]) -> None:
        """Insert a group run and its child runs in one transaction."""
        with self._store.writing() as tx:
            tx.session.add(parent)
            tx.session.flush()
            for child in children:
                child.parent_id = parent.id
            tx.session.add_all(children)
            tx.session.flush()

    def run(self, run_id: int) -> Run | None:
        with self._store.reading() as tx:
            return tx.session.get(Run, run_id)

    def is_unfinished(self, run_id: int) -> bool:
        with self._store.reading() as tx:
            status = tx.session.scalar(select(Run.status).where(Run.id == run_id))
            return status in UNFINISHED

    def runs(self, where: RunFilter, limit: int, before: int | None = None) -> Sequence[Run]:
        query = select(Run).order_by(Run.id.desc()).limit(limit)
        if where.parent_id is not None:
            query = select(Run).where(Run.parent_id == where.parent_id).order_by(Run.position)
        if where.user is not None:
            query = query.where(Run.user == where.user)
        if where.script_id is not None:
            query = query.where(Run.script_id == where.script_id)
        if where.group_id is not None:
            query = query.where(Run.group_id == where.group_id)
        if where.status is not None:
            query = query.where(Run.status == where.status)
        if where.top_level:
            query = query.where(Run.parent_id.is_(None))
        if before is not None:
            query = query.where(Run.id < before)
        with self._store.reading() as tx:
            return tx.session.scalars(query).all()

    def set_run(self, run_id: int, only_unfinished: bool = True, **values: Any) -> bool:
        """Update a run; a finished run is never changed again (its end is its end)."""
        statement = update(Run).where(Run.id == run_id).values(**values)
        if only_unfinished:
            statement = statement.where(Run.status.in_(UNFINISHED))
        with self._store.writing() as tx:
            return bool(tx.session.execute(statement).rowcount)  # type: ignore[attr-defined]

    def mark_running(self, run_id: int, when: datetime) -> bool:
        with self._store.writing_connection() as connection:
            result = connection.execute(_MARK_RUNNING, {"run_id": run_id, "when": when})
            return bool(result.rowcount)

    def finish_run(self, run_id: int, end: RunEnd, pieces: Sequence[OutputPiece]) -> bool:
        """Write the last output and the final status in one transaction."""
        with self._store.writing_connection() as connection:
            self._insert_output(connection, run_id, pieces)
            result = connection.execute(
                _FINISH,
                {
                    "run_id": run_id,
                    "final_status": end.status,
                    "code": end.exit_code,
                    "reason": end.error,
                    "peak": end.peak_memory_bytes,
                    "started": end.started_at,
                    "when": end.finished_at,
                    "chars": end.output_chars,
                    "cut": end.output_truncated,
                    "kept": end.artifact_files,
                },
            )
            return bool(result.rowcount)

    def interrupt_unfinished(self, instance: str, when: datetime) -> int:
        """Mark the runs a previous life of ``instance`` left queued or running."""
        with self._store.writing() as tx:
            result = tx.session.execute(
                update(Run)
                .where(Run.instance == instance, Run.status.in_(UNFINISHED))
                .values(status="interrupted", finished_at=when)
            )
            return int(result.rowcount)  # type: ignore[attr-defined]

    # --- output ----------------------------------------------------------------------

    def append_output(
        self, run_id: int, pieces: Sequence[OutputPiece], output_chars: int, truncated: bool
    ) -> bool:
        """Save more output; False when the run is already finished (e.g. cancelled
        by another server), whose record is then left as it is."""
        with self._store.writing_connection() as connection:
            result = connection.execute(
                _OUTPUT_SIZE, {"run_id": run_id, "chars": output_chars, "cut": truncated}
            )
            if not result.rowcount:
                return False
            self._insert_output(connection, run_id, pieces)
            return True

    @staticmethod
    def _insert_output(connection: Connection, run_id: int, pieces: Sequence[OutputPiece]) -> None:
        if pieces:
            rows = [
                {"run_id": run_id, "offset": p.offset, "stream": p.stream, "text": p.text}
                for p in pieces
            ]
            connection.execute(_INSERT_OUTPUT, rows)

    def output(self, run_id: int, offset: int, max_chars: int) -> list[OutputPiece]:
        """Pieces from ``offset`` on (the one holding ``offset`` cut to start there)."""
        with self._store.reading() as tx:
            first = tx.session.scalar(
                select(func.max(RunOutput.offset)).where(
                    RunOutput.run_id == run_id, RunOutput.offset <= offset
                )
            )
            rows = tx.session.execute(
                select(RunOutput.offset, RunOutput.stream, RunOutput.text)
                .where(RunOutput.run_id == run_id, RunOutput.offset >= (first or 0))
                .order_by(RunOutput.offset)
            )
            pieces: list[OutputPiece] = []
            total = 0
            for start, stream, text in rows:
                if start < offset:
                    text, start = text[offset - start :], offset
                if not text:
                    continue
                pieces.append(OutputPiece(start, stream, text))
                total += len(text)
                if total >= max_chars:
                    break
            return pieces
