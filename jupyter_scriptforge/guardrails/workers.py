"""Analysis jobs, and the worker processes that run them beside the server.

An analysis is pure-Python CPU work: a parse, two tree walks (the policy, bandit) and the
redaction of the code for the audit log; several seconds for a 1 MB script on a small
machine. In a thread of the server it would hold the GIL that the event loop needs, so a few
large analyses at once stall every other request. ``AnalysisWorkers`` runs them in separate
processes instead: each a plain Python (``python -I -c``, an empty environment, ``/`` as its
folder, at niceness 10, so the server keeps its share of a busy CPU) that imports the
guardrails, reads jobs on stdin and writes outcomes on stdout, one at a time. They are the
server's own code, not scripts: no code under analysis runs in them.

A worker is started on first use and kept. A job that overruns ``timeout`` has its worker
killed; a worker that dies takes its job with it: either way the job's report is a finding
(SF100) that blocks, and the next job gets a fresh worker.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import threading
from dataclasses import dataclass
from typing import IO, Any

from .analysis import analyze
from .bandit_checks import BanditChecker
from .decisions import AuditForm, audit_form
from .findings import Report
from .parsing import Parser
from .policy import Policy

log = logging.getLogger(__name__)

_HEADER = struct.Struct(">Q")  # each message: its length, then its pickle
_NICENESS = 10
_STOP_SECONDS = 2.0
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


class _Worker:
    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        self.expired = False

    @classmethod
    def start(cls, checks: Checks) -> _Worker:
        if not sys.executable:
            raise WorkersUnavailableError("this Python does not know its own executable")
        # The server's own import path, so the worker imports the same guardrails.
        path = [entry or os.getcwd() for entry in sys.path]
        bootstrap = (
            f"import sys; sys.path[:] = {path!r}; "
            "from jupyter_scriptforge.guardrails.workers import serve; serve()"
        )
        try:
            process = subprocess.Popen(
                [sys.executable, "-I", "-c", bootstrap],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env={"LC_ALL": "C.UTF-8"},
                cwd="/",
                start_new_session=True,  # a Ctrl-C meant for the server is not theirs
            )
        except OSError as error:
            raise WorkersUnavailableError(f"cannot start an analysis worker: {error}") from error
        worker = cls(process)
        # Ready once it has loaded bandit: a job's time limit is the job's alone.
        timer = threading.Timer(_START_SECONDS, worker._expire)
        timer.daemon = True
        timer.start()
        try:
            _send(_stream(process.stdin), checks)
            ready = _receive(_stream(process.stdout))
        except (OSError, EOFError, pickle.UnpicklingError, ValueError) as error:
            worker.kill()
            raise WorkersUnavailableError(
                f"the analysis worker did not start: {error!r}"
            ) from error
        finally:
            timer.cancel()
        if ready != _READY or worker.expired:
            worker.kill()
            raise WorkersUnavailableError("the analysis worker did not start")
        return worker

    def alive(self) -> bool:
        return not self.expired and self.process.poll() is None

    def call(self, job: Job, timeout: float) -> Outcome:
        timer = threading.Timer(timeout, self._expire)
        timer.daemon = True
        timer.start()
        try:
            _send(_stream(self.process.stdin), job)
            answer = _receive(_stream(self.process.stdout))
        except (OSError, EOFError, pickle.UnpicklingError, ValueError):
            timer.cancel()
            ending = "" if self.expired else self._ending()
            self.kill()
            if self.expired:
                raise WorkerError(f"the analysis did not finish within {timeout:g} s") from None
            raise WorkerError(f"the analysis stopped with {ending}") from None
        finally:
            timer.cancel()
        if isinstance(answer, _Failed):
            raise WorkerError(answer.why)
        if not isinstance(answer, Outcome):
            self.kill()
            raise WorkerError("the analysis worker answered something else than a report")
        return answer

    def _expire(self) -> None:
        """The timer's: the kill ends the caller's wait, and the caller reaps."""
        self.expired = True
        with contextlib.suppress(OSError):
            self.process.kill()

    def _ending(self) -> str:
        """How the process ended, once it has (a closed pipe may come just before)."""
        try:
            code = self.process.wait(_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            return "its output closed"
        if code < 0:
            with contextlib.suppress(ValueError):
                return signal.Signals(-code).name
            return f"signal {-code}"
        return f"exit status {code}"

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.process.kill()
        self._reap()

    def stop(self) -> None:
        """Ask it to end (its stdin closes: it exits after the job it is on), then make sure."""
        with contextlib.suppress(OSError):
            _stream(self.process.stdin).close()
        try:
            self.process.wait(_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.kill()
        self._reap()

    def _reap(self) -> None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(_STOP_SECONDS)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


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
        self._free: queue.LifoQueue[_Worker | None] = queue.LifoQueue()
        for _ in range(size):
            self._free.put(None)
        self._started: set[_Worker] = set()
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
            return worker.call(job, self.timeout)
        except WorkerError:
            self._forget(worker)
            worker = None
            raise
        finally:
            self._free.put(worker)

    def _start(self) -> _Worker:
        with self._lock:
            if self._closed:
                raise WorkersUnavailableError("the analysis workers are closed")
            worker = _Worker.start(self.checks)
            self._started.add(worker)
            return worker

    def _forget(self, worker: _Worker | None) -> None:
        if worker is None:
            return
        worker.kill()
        with self._lock:
            self._started.discard(worker)

    def pids(self) -> list[int]:
        """The process ids of the workers running now."""
        with self._lock:
            return [worker.process.pid for worker in self._started if worker.alive()]

    def close(self) -> None:
        """Stop every worker (blocking: waits for them to exit)."""
        with self._lock:
            self._closed = True
            workers = list(self._started)
            self._started.clear()
        for worker in workers:
            worker.stop()


# --- the wire ------------------------------------------------------------------------


def _stream(stream: IO[bytes] | None) -> IO[bytes]:
    assert stream is not None
    return stream


def _send(stream: IO[bytes], message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)))
    stream.write(data)
    stream.flush()


def _receive(stream: IO[bytes]) -> Any:
    """The next message; EOFError when the other side is gone. Messages come only from the
    server and its own workers (pipes nobody else holds), never from a script."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError
    (size,) = _HEADER.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)  # noqa: S301 - our own process's answer, see above


# --- the worker's side ---------------------------------------------------------------


def serve() -> None:
    """A worker's main loop: the checks first, then jobs until stdin closes."""
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # whatever else writes to stdout goes to stderr, not into the answers
    with contextlib.suppress(OSError):
        os.nice(_NICENESS)
    requests = sys.stdin.buffer
    try:
        checks = _receive(requests)
    except EOFError:
        return
    analyst = Analyst(checks)
    analyst.bandit.warm_up()
    _send(answers, _READY)
    while True:
        try:
            job = _receive(requests)
        except EOFError:
            return
        answer: Outcome | _Failed
        try:
            answer = analyst.judge(job)
        except Exception as error:  # analyze never raises; the redaction might
            log.exception("An analysis failed in its worker")
            answer = _Failed(f"the analysis failed with {type(error).__name__}")
        _send(answers, answer)
