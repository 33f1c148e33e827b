"""Holds: code the guardrails blocked stays unrunnable until an admin releases it.

The assistant holds the code of a blocked proposal for the user it answered, and blocked
content it records as a version; a run checks its version's content before it starts. The
key is the content (its SHA-256, line ends and trailing blanks aside) and that user, so the
proposal applied by hand, pasted into another script or created as one is held the same;
a version the assistant wrote is held whoever runs it. Other users' own code is never held
(nobody can freeze a teammate's script by asking for the same code), and code the user
changes is theirs.
"""

from __future__ import annotations

import hashlib
from typing import Any

from .._async import run_blocking
from ..db.hold_store import HoldStore
from ..errors import Conflict


class GuardrailBlocked(Conflict):
    """A run of held code, refused (409)."""

    code = "guardrail_blocked"


def content_sha256(content: str) -> bytes:
    """The hash of code as it runs: line ends, trailing blanks and blank lines at the end
    (which an editor or a copy changes) do not make other code."""
    lines = [line.rstrip() for line in content.replace("\r\n", "\n").split("\n")]
    return hashlib.sha256("\n".join(lines).strip("\n").encode("utf-8", "surrogatepass")).digest()


def _where(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The rules and lines of the blocking findings: enough to say why, and no code (which
    may quote a secret)."""
    return [
        {"rule": f.get("rule"), "line": f.get("line")}
        for f in report.get("findings", [])
        if isinstance(f, dict) and f.get("blocks")
    ]


class GuardrailHolds:
    def __init__(self, store: HoldStore) -> None:
        self._store = store

    async def hold(self, content: str, report: dict[str, Any], user: str, action: str) -> bool:
        """Hold ``content`` if its ``report`` blocks it. → whether it is held now."""
        if report.get("verdict") != "blocked":
            return False
        return await run_blocking(
            self._store.hold, content_sha256(content), _where(report), user, action
        )

    async def release(self, content: str, admin: str, reason: str, report: dict[str, Any]) -> None:
        await run_blocking(
            self._store.release, content_sha256(content), admin, reason, _where(report)
        )

    def check_sync(self, content: str, author: str, what: str) -> None:
        """Raise ``GuardrailBlocked`` if ``content`` in a version by ``author`` is held
        (blocking: one store read)."""
        hold = self._store.active(content_sha256(content), author)
        if hold is None:
            return
        where = ", ".join(f"{f['rule']} on line {f['line']}" for f in hold.findings[:5])
        more = len(hold.findings) - 5
        if more > 0:
            where += f" and {more} more"
        raise GuardrailBlocked(
            f"The guardrails block {what} from running ({where or 'see its report'}): the "
            "assistant wrote this code and it does what ScriptForge's policy forbids. Change "
            "it, or ask a ScriptForge admin to override.",
            findings=hold.findings,
        )
