"""``analyze(content)``: the policy and bandit on one piece of code, and the verdict."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Sequence

from .bandit_checks import BanditChecker
from .checker import PolicyChecker
from .findings import Finding, Report, code_line
from .parsing import OWN_NAME, Parser, parse
from .policy import Policy

log = logging.getLogger(__name__)

_LINE_BREAKS = re.compile(r"\r\n|\r|\n")  # the ones Python counts; str.splitlines has more


def analyze(
    content: str,
    policy: Policy | None = None,
    bandit: BanditChecker | None = None,
    target: Parser | None = None,
    newer: Sequence[Parser] = (),
    parser_timeout: float = 20.0,
) -> Report:
    """Check ``content`` against ``policy`` (the default one if None) and bandit (skipping
    nothing if None). Never raises for any input: what cannot be parsed or analysed is a
    finding (SF100) that blocks, since code nobody could check may do anything.

    ``target`` is the interpreter the code runs on, if known: the code is parsed as its
    grammar would. ``newer`` are interpreters newer than the server's Python, newest first:
    code the server's parser rejects is parsed by one of them (see ``parsing``)."""
    started = time.perf_counter()
    policy = policy or Policy()
    bandit = bandit or BanditChecker()
    lines = _LINE_BREAKS.split(content)
    findings: list[Finding] = []
    try:
        parsed = parse(content, target, newer, parser_timeout)
    except (ValueError, RecursionError, MemoryError) as error:  # NUL bytes, deep nesting
        findings.append(_unanalysable(lines, 1, 1, str(error) or type(error).__name__))
        return Report.of(findings, _since(started))
    if parsed.tree is None:
        assert parsed.problem is not None
        problem = parsed.problem
        findings.append(
            _unanalysable(lines, problem.line, problem.column, problem.why, problem.where)
        )
        return Report.of(findings, _since(started))
    tree = parsed.tree
    parser = parsed.parser.name if parsed.parser else None

    def report() -> Report:
        return Report.of(findings, _since(started), parser, parsed.notes)

    checker = PolicyChecker(tree, lines, policy)
    try:
        findings += checker.check(tree)
    except RecursionError:
        findings += checker.findings
        findings.append(_unanalysable(lines, 1, 1, "too deeply nested to analyse"))
        return report()
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
    return report()


def unanalysable_report(content: str, why: str) -> Report:
    """The report on code whose analysis could not be done (``why``): one blocking SF100."""
    return Report.of([_unanalysable(_LINE_BREAKS.split(content), 1, 1, why, "")])


def _unanalysable(
    lines: list[str], line: int, column: int, why: str, where: str = f"on {OWN_NAME}"
) -> Finding:
    return Finding(
        rule="SF100",
        name="unanalysable",
        source="policy",
        severity="high",
        line=max(1, min(line, len(lines))),
        column=max(1, column),
        message=" ".join(part for part in ("cannot be analysed", where, f"({why})") if part)
        + "; code nobody could check may not run",
        code=code_line(lines, line),
    )


def _since(started: float) -> float:
    return (time.perf_counter() - started) * 1000
