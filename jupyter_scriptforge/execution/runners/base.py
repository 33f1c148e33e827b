"""The contract every runner keeps: run one script, stream its output, report how it ended.

A runner starts processes or containers and nothing else: it knows no database, no rights
and no queue. The run service hands it a ``RunSpec``, a sink for output and an event that
asks it to stop; the runner returns an ``Outcome`` once nothing it started is left alive.
"""

from __future__ import annotations

import abc
import asyncio
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import BinaryIO, Literal, Protocol

from ..interpreters import Interpreter

Stream = Literal["stdout", "stderr"]
# How a run ended, as far as the runner can tell; the service adds queued/running/interrupted.
FinalStatus = Literal["succeeded", "failed", "cancelled", "timed_out"]

# Where the script file lands inside the sandbox, and its working directory.
SCRIPT_NAME = "script.py"
# The run's output folder, beside the script: what the script leaves there is kept.
OUTPUT_FOLDER = "output"
# Where the launcher's archive of the output folder starts in its report descriptor, after
# the peak (inside/output.py has the same number).
OUTPUT_ARCHIVE_OFFSET = 4096


@dataclass(frozen=True)
class Limits:
    """Resource limits of one run. Each runner enforces what its sandbox can."""

    timeout_seconds: float = 300.0
    cpu_seconds: int = 300
    memory_bytes: int = 1 << 30
    processes: int = 64
    file_bytes: int = 64 << 20
    open_files: int = 256
    cpus: float = 1.0


# The limits a deployment may set per user (ScriptForgeApp.user_limits): all but the
# timeout, which each run asks for.
USER_LIMIT_NAMES = tuple(each.name for each in fields(Limits) if each.name != "timeout_seconds")


@dataclass(frozen=True)
class RunSpec:
    """What to run: a script's content on an interpreter, with arguments and environment."""

    run_id: int
    content: str
    interpreter: Interpreter
    args: Sequence[str] = ()
    # Parameters the user passed; added to the runner's clean environment, never the server's.
    env: Mapping[str, str] = field(default_factory=dict)
    limits: Limits = Limits()
    # Whose run it is: a label on what the runner starts, so an operator sees it.
    user: str = ""
    # The runtime policy's rules to enforce (SF2xx, guardrails/runtime.py), if any; the
    # script's lines its user wrote (acts made from those alone are theirs); and whether
    # the seccomp backstop may forbid starting programs (not when those lines do).
    runtime_rules: tuple[str, ...] = ()
    runtime_user_lines: tuple[int, ...] = ()
    runtime_seccomp: bool = True
    # A script run by calling its ``main`` with parameter values: what inside/script_main.py
    # is given (JSON of the values and how to convert them); None runs it as ``__main__``.
    main_call: str | None = None
    # The host folder of the packages the script declared (environments/), installed for
    # its interpreter: on its import path, read-only. None: the interpreter's own alone.
    packages: str | None = None
    # Receives the tar archive of what the script left in its output folder
    # ($SCRIPTFORGE_OUTPUT) once it has ended, blocking, on a thread; None keeps nothing.
    keep_output: Callable[[BinaryIO], None] | None = None
    # Earlier runs' kept output the script may read: name -> host folder, read-only at
    # $SCRIPTFORGE_INPUTS/name.
    inputs: Mapping[str, str] = field(default_factory=dict)

    def runtime_settings(self, roots: Sequence[str]) -> dict[str, object]:
        """What inside/policy.py is given, for a run with runtime rules."""
        return {
            "rules": list(self.runtime_rules),
            "roots": list(roots),
            "user_lines": list(self.runtime_user_lines),
            "seccomp": self.runtime_seccomp,
        }


@dataclass(frozen=True)
class Outcome:
    status: FinalStatus
    exit_code: int | None = None
    peak_memory_bytes: int | None = None
    # Why the runner could not run it at all (bad interpreter, engine down), for the user.
    error: str | None = None


class OutputSink(Protocol):
    """Receives output in the order the script wrote it."""

    def write(self, stream: Stream, text: str) -> None: ...


class RunnerUnavailableError(Exception):
    """The runner cannot run this spec here (no engine, no image, no executable)."""


class Runner(abc.ABC):
    """A way to run scripts in a sandbox."""

    name: str

    async def start(self) -> None:
        """Prepare (e.g. reap what a previous server left behind, fill a pool)."""
        return None

    async def close(self) -> None:
        """Stop everything this runner still has running and release its resources."""
        return None

    @abc.abstractmethod
    def supports(self, interpreter: Interpreter) -> bool:
        """Whether this runner can run scripts on ``interpreter``."""

    @abc.abstractmethod
    async def run(self, spec: RunSpec, sink: OutputSink, cancel: asyncio.Event) -> Outcome:
        """Run ``spec`` to its end, a timeout, or until ``cancel`` is set.

        Returns only once every process the run started is gone. Raises
        ``RunnerUnavailableError`` when the run could not start.
        """
