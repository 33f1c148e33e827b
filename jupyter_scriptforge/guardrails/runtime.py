"""Which acts the runtime policy refuses, and which runs it applies to.

The rules themselves are enforced inside the sandbox by audit hooks
(execution/runners/inside/policy.py); here the server decides which rules a run gets: all
of them, minus those a team's exceptions (``guardrail_allowed``) lift. An allowed name lifts
the rule of the acts it stands for: ``subprocess.run`` lifts SF201 (starting programs),
``socket`` SF203, ``pickle.loads`` SF205, and so on.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

from .policy import Policy, canonical

RuntimeScope = Literal["assistant", "all", "off"]

# How the policy's refusals start, in a run's stderr (inside/policy.py writes them).
REFUSAL_MARK = "[scriptforge] runtime policy refused"

RUNTIME_RULES = ("SF201", "SF202", "SF203", "SF204", "SF205", "SF206", "SF207")

# What each rule stands for, as the names a team may allow.
_LIFTED_BY: dict[str, tuple[str, ...]] = {
    "SF201": (
        "subprocess", "os.system", "os.popen", "os.exec", "os.spawn", "os.posix_spawn",
        "pty", "asyncio.subprocess", "_posixsubprocess",
    ),
    "SF202": ("ctypes", "_ctypes", "cffi", "sqlite3.Connection.load_extension"),
    "SF203": ("socket", "_socket", "socketserver", "http.server", "asyncio.start_server"),
    "SF204": ("shutil.rmtree", "os.remove", "os.unlink", "os.rmdir", "pathlib.Path.unlink"),
    "SF205": ("pickle", "_pickle", "pickle.load", "pickle.loads", "dill", "shelve"),
    "SF206": ("builtins.exec", "builtins.eval", "builtins.compile", "runpy", "code"),
    "SF207": ("os.fork", "os.forkpty"),
}  # fmt: skip


def runtime_rules(policy: Policy) -> tuple[str, ...]:
    """The rules a guarded run gets under ``policy``: all but those its exceptions lift."""
    allowed = {canonical(name) for name in policy.allowed}
    return tuple(
        rule
        for rule in RUNTIME_RULES
        # A prefix: "os.execv" is under "os.exec", "subprocess.run" under "subprocess".
        if not any(name.startswith(lifted) for name in allowed for lifted in _LIFTED_BY[rule])
    )


def is_guarded(scope: RuntimeScope, author: str, by_assistant: bool) -> bool:
    """Whether a run of a version gets the runtime policy.

    ``assistant`` (the default scope): versions the assistant wrote (their author is
    ``assistant for <user>``) and content it proposed; ``all``: every run; ``off``: none.
    """
    if scope == "all":
        return True
    if scope == "off":
        return False
    return by_assistant or is_assistants(author)


# A process start a user's own code may make; with one, the seccomp backstop cannot be used.
_STARTS_PROGRAMS = re.compile(
    r"\b(subprocess|os\.system|os\.popen|os\.exec|os\.spawn|posix_spawn|pty|Popen)\b"
)


@dataclass(frozen=True)
class UserLines:
    """The lines of a guarded version that its user wrote (the assistant's version kept
    them from the user's own one): acts made only from those lines are the user's."""

    lines: tuple[int, ...] = ()
    starts_programs: bool = False

    @classmethod
    def between(cls, guarded: str, users: str | None) -> UserLines:
        """The lines of ``guarded`` (1-based) that ``users`` has too, in the same order."""
        if not users:
            return cls()
        kept = difflib.SequenceMatcher(
            None, users.splitlines(), guarded.splitlines(), autojunk=False
        ).get_matching_blocks()
        lines = tuple(line + 1 for block in kept for line in range(block.b, block.b + block.size))
        mine = "\n".join(guarded.splitlines()[line - 1] for line in lines)
        return cls(lines, bool(_STARTS_PROGRAMS.search(mine)))


def is_assistants(author: str) -> bool:
    return author.startswith("assistant for ")
