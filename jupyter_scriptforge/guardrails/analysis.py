"""``analyze(content)``: the policy and bandit on one piece of code, and the verdict."""

from __future__ import annotations

import ast
import logging
import re
import sys
import time

from .bandit_checks import BanditChecker
from .checker import PolicyChecker
from .findings import Finding, Report, code_line
from .policy import Policy

log = logging.getLogger(__name__)

_LINE_BREAKS = re.compile(r"\r\n|\r|\n")  # the ones Python counts; str.splitlines has more
_PYTHON = f"Python {sys.version_info.major}.{sys.version_info.minor}"


def analyze(
    content: str, policy: Policy | None = None, bandit: BanditChecker | None = None
) -> Report:
    """Check ``content`` against ``policy`` (the default one if None) and bandit (skipping
    nothing if None). Never raises for any input: what cannot be parsed or analysed is a
    finding (SF100) that blocks, since code nobody could check may do anything."""
    started = time.perf_counter()
    policy = policy or Policy()
    bandit = bandit or BanditChecker()
    lines = _LINE_BREAKS.split(content)
    findings: list[Finding] = []
    try:
        tree = ast.parse(content, filename="<script>")
    except SyntaxError as error:
        line = error.lineno or 1
        findings.append(_unanalysable(lines, line, error.offset or 1, error.msg))
        return Report.of(findings, _since(started))
    except (ValueError, RecursionError, MemoryError) as error:  # NUL bytes, deep nesting
        findings.append(_unanalysable(lines, 1, 1, str(error) or type(error).__name__))
        return Report.of(findings, _since(started))
    checker = PolicyChecker(tree, lines, policy)
    try:
        findings += checker.check(tree)
    except RecursionError:
        findings += checker.findings
        findings.append(_unanalysable(lines, 1, 1, "too deeply nested to analyse"))
        return Report.of(findings, _since(started))
    try:
        findings += bandit.check(tree, content, lines)
    except RecursionError:
        findings.append(_unanalysable(lines, 1, 1, "too deeply nested for bandit"))
    except Exception as error:  # a bandit plugin failing on odd code must not fail us
        log.warning("bandit could not analyse a script: %r", error)
        findings.append(
            Finding(
                rule="B000",
                name="bandit-failed",
                source="bandit",
                severity="low",
                confidence="high",
                blocks=False,
                line=1,
                column=1,
                message=f"bandit stopped with {type(error).__name__}; its checks are missing",
                code=code_line(lines, 1),
            )
        )
    return Report.of(findings, _since(started))


def _unanalysable(lines: list[str], line: int, column: int, why: str) -> Finding:
    return Finding(
        rule="SF100",
        name="unanalysable",
        source="policy",
        severity="high",
        line=max(1, min(line, len(lines))),
        column=max(1, column),
        message=f"cannot be analysed on {_PYTHON} ({why}); code nobody could check may not run",
        code=code_line(lines, line),
    )


def _since(started: float) -> float:
    return (time.perf_counter() - started) * 1000
