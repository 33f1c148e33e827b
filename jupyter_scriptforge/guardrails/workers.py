"""Analysis jobs, and the worker processes that run them beside the server.

An analysis is pure-Python CPU work: a parse, two tree walks (the policy, bandit) and the
redaction of the code for the audit log; several seconds for a 1 MB script on a small
machine. In a thread of the server it would hold the GIL that the event loop needs, so a few
large analyses at once stall every other request. ``AnalysisWorkers`` runs them in separate
processes instead (``runners/helpers.py``'s ``PickleWorker``: ``python -I``, an empty
environment, ``/`` as its folder; at niceness 10, so the server keeps its share of a busy
CPU) that import the guardrails, read jobs on stdin and write outcomes on stdout, one at a
time. They are the server's own code, not scripts: no code under analysis runs in them.

A worker is started on first use and kept. A job that overruns ``timeout`` has its worker
killed; a worker that dies takes its job with it: either way the job's report is a finding
(SF100) that blocks, and the next job gets a fresh worker.
"""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass

from ..execution.runners.helpers import HelperError, PickleWorker, receive, send, worker_pipes
from .analysis import analyze
from .bandit_checks import BanditChecker
from .decisions import AuditForm, audit_form
from .findings import Report
from .parsing import Parser
from .policy import Policy

log = logging.getLogger(__name__)

_ENTRY = "jupyter_scriptforge.guardrails.workers.serve"
_NICENESS = 10
_START_SECONDS = 60.0  # a worker imports the guardrails and loads bandit's plugins
_READY = "ready"


@dataclass(frozen=True)
class Checks:
    """What every analysis of one server checks: its policy, bandit's skips, how long a
    newer interpreter's parser may take."""

    denied_imports: tuple[str, ...]
    denied_calls: tuple[str, ...]
    allowed: tuple[str, ...]
    bandit_skips: tuple[str, ...]
    parser_timeout: float = 20.0


@dataclass(frozen=True)
class Job:
    """One analysis: ``content`` (beside ``original``, the code it changes, if any), as
    ``target`` parses it (the script's interpreter, if known) or else with ``newer``
    interpreters' grammars; with ``audit``, also the redacted form for the audit log."""

    content: str
    original: str | None = None
    target: Parser | None = None
    newer: tuple[Parser, ...] = ()
    audit: bool = False


@dataclass(frozen=True)
class Outcome:
    report: Report
    audit: AuditForm | None = None


class Analyst:
    """The checks of one server, built once, applied to jobs (in a worker, or in-process)."""

    def __init__(
        self, checks: Checks, policy: Policy | None = None, bandit: BanditChecker | None = None
    ) -> None:
        self.checks = checks
        self.policy = policy or Policy(checks.denied_imports, checks.denied_calls, checks.allowed)
        self.bandit = bandit or BanditChecker(checks.bandit_skips)

    def judge(self, job: Job) -> Outcome:
        report = self._analyze(job.content, job)
        if job.original is not None:
            report = report.beside(self._analyze(job.original, job))
        audit = audit_form(job.content, report.to_json()) if job.audit else None
        return Outcome(report, audit)

    def _analyze(self, content: str, job: Job) -> Report:
        return analyze(
            content, self.policy, self.bandit, job.target, job.newer, self.checks.parser_timeout
        )


class WorkerError(Exception):
    """A job's worker overran its time or died; the message says which, for the finding."""


class WorkersUnavailableError(Exception):
    """No worker process could be started (or the pool is closed)."""


@dataclass(frozen=True)
class _Failed:
    """A worker's answer when the job raised: the worker itself lives on."""

    why: str


class AnalysisWorkers:
    """At most ``size`` worker processes, each running one job at a time; ``run`` blocks
    (callers use ``run_blocking``) until a worker is free and has answered."""

    def __init__(self, checks: Checks, size: int, timeout: float) -> None:
        if size < 1:
            raise ValueError("at least one analysis worker")
        self.checks = checks
        self.size = size
        self.timeout = timeout
        # Free places: a started worker, or None for one not started yet. The last one
        # used goes first, so a quiet server keeps using one warm worker.
        self._free: queue.LifoQueue[PickleWorker | None] = queue.LifoQueue()
        for _ in range(size):
            self._free.put(None)
        self._started: set[PickleWorker] = set()
        self._lock = threading.Lock()
        self._closed = False

    def run(self, job: Job) -> Outcome:
        """The job's outcome; ``WorkerError`` if its worker overran or died,
        ``WorkersUnavailableError`` if none could be started."""
        worker = self._free.get()
        try:
            if worker is None or not worker.alive():
                self._forget(worker)
                worker = None
                worker = self._start()
            answer = worker.call(job, self.timeout)
            if not isinstance(answer, Outcome | _Failed):
                raise HelperError("answered something else than a report")
        except HelperError as error:
            # Killed before its place is given back: no other job may have taken it.
            self._forget(worker)
            worker = None
            raise WorkerError(f"the analysis {error}") from None
        finally:
            self._free.put(worker)
        if isinstance(answer, _Failed):
            raise WorkerError(answer.why)  # the job failed; its worker lives on
        return answer

    def _start(self) -> PickleWorker:
        with self._lock:
            if self._closed:
                raise WorkersUnavailableError("the analysis workers are closed")
            try:
                worker = PickleWorker.start(_ENTRY, self.checks, _READY, _START_SECONDS)
            except HelperError as error:
                raise WorkersUnavailableError(f"the analysis worker {error}") from error
            self._started.add(worker)
            return worker

    def _forget(self, worker: PickleWorker | None) -> None:
        if worker is None:
            return
        worker.kill()
        with self._lock:
            self._started.discard(worker)

    def pids(self) -> list[int]:
        """The process ids of the workers running now."""
        with self._lock:
            return [worker.pid for worker in self._started if worker.alive()]

    def close(self) -> None:
        """Stop every worker (blocking: waits for them to exit)."""
        with self._lock:
            self._closed = True
            workers = list(self._started)
            self._started.clear()
        for worker in workers:
            worker.stop()


# --- the worker's side ---------------------------------------------------------------


def serve() -> None:
    """A worker's main loop: the checks first, then jobs until stdin closes."""
    requests, answers = worker_pipes(_NICENESS)
    try:
        checks = receive(requests)
    except EOFError:
        return
    analyst = Analyst(checks)
    analyst.bandit.warm_up()
    send(answers, _READY)
    while True:
        try:
            job = receive(requests)
        except EOFError:
            return
        answer: Outcome | _Failed
        try:
            answer = analyst.judge(job)
        except Exception as error:  # analyze never raises; the redaction might
            log.exception("An analysis failed in its worker")
            answer = _Failed(f"the analysis failed with {type(error).__name__}")
        send(answers, answer)
