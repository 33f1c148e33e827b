"""Bandit's own checks, run in-process on a parsed script.

The same engine as the ``bandit`` command, one level down: ``BanditNodeVisitor`` with a
``BanditTestSet`` built once from bandit's plugins (as flake8-bandit does), so an analysis
costs a walk of the tree and no process or file. ``# nosec`` comments are not honoured: the
code under analysis does not get to silence its own checks.
"""

from __future__ import annotations

import ast
import io
import threading
import warnings
from collections.abc import Sequence
from typing import Any

from .findings import Finding, Severity, code_line

# Bandit tests whose findings are about code hygiene, not about what running the script
# does to the machine it runs on: weak hashes used as checksums, plain FTP or telnet, old
# TLS settings, a missing certificate check. They warn, whatever their severity.
HYGIENE_TESTS = frozenset(
    {"B312", "B321", "B324", "B401", "B402", "B413", "B501", "B502", "B503", "B504"}
)

_FILENAME = "./script.py"  # bandit derives a module name from it; no file is read
_LEVELS: dict[str, Severity] = {"LOW": "low", "MEDIUM": "medium", "HIGH": "high"}


class BanditChecker:
    """Bandit with some tests skipped (e.g. ``B101``, asserts).

    A finding blocks when bandit rates it high severity with at least medium confidence,
    unless it is a hygiene test.
    """

    def __init__(self, skips: Sequence[str] = ()) -> None:
        self.skips = tuple(s.strip().upper() for s in skips if s.strip())
        self._tests: Any = None
        self._modules: Any = None
        self._lock = threading.Lock()

    def _engine(self) -> tuple[Any, Any]:
        """Bandit's modules (imported on first use) and its test set, built once."""
        with self._lock:
            if self._tests is None:
                with warnings.catch_warnings():
                    # stevedore, as bandit calls it, warns of a deprecated argument.
                    warnings.simplefilter("ignore", DeprecationWarning)
                    from bandit.core import meta_ast, metrics, node_visitor
                    from bandit.core.config import BanditConfig
                    from bandit.core.test_set import BanditTestSet

                    self._modules = (meta_ast, metrics, node_visitor)
                    self._tests = BanditTestSet(BanditConfig(), {"exclude": list(self.skips)})
            return self._modules, self._tests

    def warm_up(self) -> None:
        """Load bandit's plugins now rather than on the first analysis."""
        self._engine()

    def check(self, tree: ast.Module, content: str, lines: list[str]) -> list[Finding]:
        (meta_ast, metrics, node_visitor), tests = self._engine()
        visitor = node_visitor.BanditNodeVisitor(
            _FILENAME,
            io.BytesIO(content.encode("utf-8", "surrogatepass")),
            meta_ast.BanditMetaAst(),
            tests,
            False,  # debug
            {},  # no nosec lines
            metrics.Metrics(),
        )
        visitor.generic_visit(tree)
        return [_finding(issue, lines) for issue in visitor.tester.results]


def _finding(issue: Any, lines: list[str]) -> Finding:
    severity = _LEVELS.get(str(issue.severity).upper(), "low")
    confidence = _LEVELS.get(str(issue.confidence).upper(), "low")
    line = int(issue.lineno or 1)
    return Finding(
        rule=str(issue.test_id),
        name=str(issue.test),
        source="bandit",
        severity=severity,
        confidence=confidence,
        blocks=(
            severity == "high" and confidence != "low" and str(issue.test_id) not in HYGIENE_TESTS
        ),
        line=line,
        column=int(issue.col_offset or 0) + 1,
        message=str(issue.text),
        code=code_line(lines, line),
    )
