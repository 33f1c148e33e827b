"""What an analysis finds, and the verdict that follows from it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

Severity = Literal["low", "medium", "high"]
Source = Literal["policy", "bandit"]
Verdict = Literal["ok", "warn", "blocked"]

_MAX_CODE_CHARS = 200


@dataclass(frozen=True)
class Finding:
    """One problem at one place: ``line`` and ``column`` count from 1."""

    rule: str  # SF1xx for the ScriptForge policy, Bxxx for bandit
    name: str  # the rule's name: denied-import, subprocess_popen_with_shell_equals_true, ...
    source: Source
    severity: Severity
    line: int
    column: int
    message: str
    code: str  # the source line, stripped
    confidence: Severity | None = None  # bandit's; the policy is certain of what it matched
    blocks: bool = True  # whether it keeps the script from running (policy findings all do)
    # Already in the code the proposal changes: the user's own, not handed over by the
    # assistant, so it does not block (it still shows).
    preexisting: bool = False

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule": self.rule,
            "name": self.name,
            "source": self.source,
            "severity": self.severity,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "code": self.code,
            "blocks": self.blocks,
        }
        if self.confidence is not None:
            data["confidence"] = self.confidence
        if self.preexisting:
            data["preexisting"] = True
        return data


def code_line(lines: list[str], line: int) -> str:
    """The stripped text of a 1-based line, shortened; empty past the end."""
    if not 0 < line <= len(lines):
        return ""
    text = lines[line - 1].strip()
    return text if len(text) <= _MAX_CODE_CHARS else text[: _MAX_CODE_CHARS - 1] + "…"


@dataclass(frozen=True)
class Report:
    """Findings sorted by place, and the verdict: ``blocked`` if any finding blocks,
    ``warn`` if there are findings at all, else ``ok``.

    ``parser`` names the interpreter whose grammar parsed the code when it was not the
    server's own Python; ``notes`` say what the user should know of how it was analysed."""

    findings: tuple[Finding, ...]
    duration_ms: float = 0.0
    parser: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def verdict(self) -> Verdict:
        if any(f.blocks for f in self.findings):
            return "blocked"
        return "warn" if self.findings else "ok"

    @classmethod
    def of(
        cls,
        findings: list[Finding],
        duration_ms: float = 0.0,
        parser: str | None = None,
        notes: tuple[str, ...] = (),
    ) -> Report:
        ordered = sorted(findings, key=lambda f: (f.line, f.column, f.source != "policy", f.rule))
        return cls(tuple(ordered), duration_ms, parser, notes)

    def beside(self, original: Report) -> Report:
        """This report on a proposed change of some code, given the ``original``'s: a
        blocking finding the original has too (same rule, same line text) is the user's
        own and does not block the proposal."""
        known = {(f.rule, f.code) for f in original.findings if f.blocks}
        return Report(
            tuple(
                replace(f, blocks=False, preexisting=True)
                if f.blocks and (f.rule, f.code) in known
                else f
                for f in self.findings
            ),
            self.duration_ms + original.duration_ms,
            self.parser,
            self.notes,
        )

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "verdict": self.verdict,
            "findings": [f.to_json() for f in self.findings],
            "duration_ms": round(self.duration_ms, 3),
        }
        if self.parser is not None:
            data["parser"] = self.parser
        if self.notes:
            data["notes"] = list(self.notes)
        return data
