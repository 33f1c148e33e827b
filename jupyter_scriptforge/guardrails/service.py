"""GuardrailService: the guardrails as the server configures them, for handlers and the
assistant."""

from __future__ import annotations

import contextlib
import logging
import math
import os
import threading
import time
from collections.abc import AsyncIterator, Callable, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import ScriptForgeError, TooLarge
from ..fair_slots import FairSlots
from .analysis import unanalysable_report
from .bandit_checks import BanditChecker
from .decisions import AuditForm, audit_form
from .findings import Report
from .parsing import OWN_VERSION, Parser
from .policy import DEFAULT_DENIED_CALLS, DEFAULT_DENIED_IMPORTS, Policy
from .prompt_filter import PromptFilter
from .redaction import Redaction
from .workers import (
    AnalysisWorkers,
    Analyst,
    Checks,
    Job,
    Outcome,
    WorkerError,
    WorkersUnavailableError,
)

if TYPE_CHECKING:
    from ..execution.interpreters import Interpreter

log = logging.getLogger(__name__)

_MAX_RETRY_AFTER_SECONDS = 600


class AnalysesBusy(ScriptForgeError):  # noqa: N818 - named for what the user meets
    """A user has as many analyses waiting as the server lets one user have."""

    status_code = 429
    code = "too_many_requests"


class GuardrailService:
    """The code-side checks (policy and bandit) and the prompt-side filters of one server.

    Analyses run in ``workers`` processes (0: in the calling thread), so their CPU work does
    not hold the server's GIL; ``turn`` lines up each user's analyses (``per_user`` at once,
    at most ``waiting_per_user`` more waiting). ``interpreters`` says which interpreters the
    server knows (without waiting): code in syntax newer than the server's Python is parsed
    by the script's own or by the newest CPython of them (see ``parsing``).
    """

    def __init__(
        self,
        denied_imports: Sequence[str] = DEFAULT_DENIED_IMPORTS,
        denied_calls: Sequence[str] = DEFAULT_DENIED_CALLS,
        allowed: Sequence[str] = (),
        bandit_skips: Sequence[str] = ("B101",),
        max_content_bytes: int = 1 << 20,
        max_prompt_chars: int = 40_000,
        interpreters: Callable[[], Sequence[Interpreter]] | None = None,
        workers: int = 0,
        per_user: int = 1,
        waiting_per_user: int = 8,
        timeout: float = 60.0,
        parser_timeout: float = 20.0,
    ) -> None:
        self.checks = Checks(
            tuple(denied_imports),
            tuple(denied_calls),
            tuple(allowed),
            tuple(bandit_skips),
            parser_timeout,
        )
        self.policy = Policy(
            self.checks.denied_imports, self.checks.denied_calls, self.checks.allowed
        )
        self.bandit = BanditChecker(bandit_skips)
        self.prompts = PromptFilter(max_prompt_chars)
        self.max_content_bytes = max_content_bytes
        self.waiting_per_user = waiting_per_user
        self._interpreters = interpreters
        self._analyst = Analyst(self.checks, self.policy, self.bandit)
        self.workers = AnalysisWorkers(self.checks, workers, timeout) if workers > 0 else None
        self._turns = FairSlots(workers or os.cpu_count() or 1, per_user)
        self._seconds = 1.0  # how long an analysis takes, lately: for Retry-After
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        """Load bandit's plugins now rather than in the first request (in-process only:
        workers load theirs when they start)."""
        if self.workers is None:
            self.bandit.warm_up()

    def close(self) -> None:
        """Stop the workers (blocking)."""
        if self.workers is not None:
            self.workers.close()

    # --- one user's line ---------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def turn(self, user: str) -> AsyncIterator[None]:
        """Hold one of ``user``'s analysis turns for the block: it waits while the user has
        ``per_user`` analyses under way (or every worker is busy: users take turns), and is
        refused (``AnalysesBusy``, a 429 with ``retry_after``) when ``waiting_per_user``
        already wait. Waiting rather than refusing, up to that line: a user's re-check or
        Run waits a little and gets its answer, where a refusal would be an error to retry."""
        waiting = self._turns.queued(user)
        if waiting >= self.waiting_per_user:
            retry_after = self._retry_after(waiting)
            raise AnalysesBusy(
                f"{waiting} of your analyses are waiting already; try again in {retry_after} s.",
                retry_after=retry_after,
            )
        async with self._turns.slot(user):
            yield

    def _retry_after(self, waiting: int) -> int:
        ahead = (waiting + 1) / self._turns.per_user
        return max(1, min(_MAX_RETRY_AFTER_SECONDS, math.ceil(self._seconds * ahead)))

    # --- analyses (blocking: handlers call them through ``run_blocking``) ---------------

    def analyze(self, content: str, interpreter: Interpreter | str | None = None) -> Report:
        """The report on ``content``, parsed as ``interpreter`` would (the script's, when
        known: an interpreter, or the name of one the server knows). Content over
        ``max_content_bytes`` is a 413."""
        return self._judge(Job(content, None, *self._parsers(interpreter))).report

    def decision(
        self,
        content: str,
        original: str | None = None,
        interpreter: Interpreter | str | None = None,
    ) -> tuple[dict[str, Any], AuditForm]:
        """The report on ``content`` as JSON (beside ``original``'s, see ``report``) and the
        form of the decision the audit log keeps (redacted)."""
        outcome = self._judge(Job(content, original, *self._parsers(interpreter), audit=True))
        report = outcome.report.to_json()
        return report, outcome.audit or audit_form(content, report)

    def _judge(self, job: Job) -> Outcome:
        for text in (job.content, job.original):
            if text is not None:
                self._check_size(text)
        started = time.monotonic()
        if self.workers is None:
            outcome = self._analyst.judge(job)
        else:
            try:
                outcome = self.workers.run(job)
            except WorkerError as failure:
                report = unanalysable_report(job.content, str(failure))
                audit = audit_form(job.content, report.to_json()) if job.audit else None
                outcome = Outcome(report, audit)
            except WorkersUnavailableError as error:
                log.warning("Analysing in the server's own process: %s", error)
                outcome = self._analyst.judge(job)
        with self._lock:
            self._seconds = 0.8 * self._seconds + 0.2 * (time.monotonic() - started)
        return outcome

    def _check_size(self, content: str) -> None:
        size = len(content.encode("utf-8", "surrogatepass"))
        if size > self.max_content_bytes:
            raise TooLarge(
                f"The code is {size:,} bytes; at most {self.max_content_bytes:,} are analysed.",
                size=size,
                max_bytes=self.max_content_bytes,
            )

    def _parsers(
        self, interpreter: Interpreter | str | None
    ) -> tuple[Parser | None, tuple[Parser, ...]]:
        """The script's interpreter as a parser (a name the server does not know is no
        interpreter), and the CPythons here newer than the server's, newest first."""
        known = list(self._interpreters()) if self._interpreters is not None else []
        if isinstance(interpreter, str):
            interpreter = next((i for i in known if i.name == interpreter), None)
        newer = [
            parser
            for found in known
            if found.implementation == "CPython" and found.path
            for parser in [_parser(found)]
            if parser is not None and parser.version > OWN_VERSION
        ]
        newer.sort(key=lambda parser: parser.version, reverse=True)
        return (_parser(interpreter) if interpreter is not None else None), tuple(newer)

    # --- the assistant's seams (AssistantService.prompt_filter and .analyze) --------------

    def redaction(self, *parts: str) -> tuple[Redaction, list[str]]:
        """All parts of one prompt (instruction, script, a run's output), checked together
        against the cap (``PromptTooLarge``, a 413) and redacted with numbered placeholders;
        the ``Redaction`` then restores the secrets in the model's answer."""
        return self.prompts.redaction(*parts)

    def report(
        self,
        content: str,
        original: str | None = None,
        interpreter: Interpreter | str | None = None,
    ) -> dict[str, Any]:
        """The report on generated code, as JSON; for a change of ``original``, what was in
        the original already does not block (``Report.beside``)."""
        return self._judge(Job(content, original, *self._parsers(interpreter))).report.to_json()


def _parser(interpreter: Interpreter) -> Parser | None:
    """``interpreter`` as a parser: None when its version does not read as ``3.12...``."""
    parts = interpreter.version.split(".")
    try:
        version = (int(parts[0]), int(parts[1]))
    except (IndexError, ValueError):
        return None
    return Parser(interpreter.name, version, interpreter.version, interpreter.path)
