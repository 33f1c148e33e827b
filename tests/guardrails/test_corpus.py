"""The guardrail corpus: hostile scripts must be blocked, benign ones must not be.

Every file starts with ``# expect: <verdict> [rule ids...] [words]``; hostile files must be
``blocked`` with at least the rules named, benign files must get exactly their verdict
(``ok``, or ``warn`` for bandit's notes) with the rules named among the findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from jupyter_scriptforge.guardrails import GuardrailService, Report

CORPUS = Path(__file__).with_name("corpus")
_HEADER = re.compile(r"# expect: (?P<verdict>ok|warn|blocked)\b(?P<rest>.*)")
_RULE = re.compile(r"\b(?:SF\d{3}|B\d{3})\b")


@dataclass(frozen=True)
class Case:
    kind: str  # hostile | benign
    path: Path
    verdict: str
    rules: frozenset[str]


def _cases(kind: str) -> list[Case]:
    cases = []
    for path in sorted((CORPUS / kind).glob("*.py")):
        header = _HEADER.match(path.read_text(encoding="utf-8"))
        assert header, f"{path.name} does not start with '# expect: <verdict> ...'"
        rules = frozenset(_RULE.findall(header["rest"]))
        cases.append(Case(kind, path, header["verdict"], rules))
    return cases


HOSTILE = _cases("hostile")
BENIGN = _cases("benign")
SERVICE = GuardrailService()  # the defaults a server starts with


@cache
def report(path: Path) -> Report:
    return SERVICE.analyze(path.read_text(encoding="utf-8"))


def summary() -> str:
    """Precision and recall of "blocked" over the whole corpus."""
    blocked_hostile = sum(report(c.path).verdict == "blocked" for c in HOSTILE)
    blocked_benign = [c.path.name for c in BENIGN if report(c.path).verdict == "blocked"]
    flagged = blocked_hostile + len(blocked_benign)
    precision = blocked_hostile / flagged if flagged else 1.0
    recall = blocked_hostile / len(HOSTILE)
    return (
        f"corpus: {blocked_hostile}/{len(HOSTILE)} hostile blocked (recall {recall:.1%}), "
        f"{len(blocked_benign)}/{len(BENIGN)} benign blocked (precision {precision:.1%})"
        + (f": {', '.join(blocked_benign)}" if blocked_benign else "")
    )


def describe(result: Report) -> str:
    return (
        "\n".join(f"  {f.rule} line {f.line}: {f.message} [{f.code}]" for f in result.findings)
        or "  (no findings)"
    )


def test_the_corpus_is_big_enough() -> None:
    assert len(HOSTILE) >= 40
    assert len(BENIGN) >= 40
    assert all(c.verdict == "blocked" for c in HOSTILE)
    assert all(c.verdict != "blocked" for c in BENIGN)


@pytest.mark.parametrize("case", HOSTILE, ids=lambda c: c.path.stem)
def test_hostile_scripts_are_blocked(case: Case) -> None:
    result = report(case.path)
    matches = result.verdict == "blocked" and case.rules <= {f.rule for f in result.findings}
    assert matches, (
        f"{case.path.name}: expected blocked with {sorted(case.rules)}, got {result.verdict}\n"
        f"{describe(result)}\n{summary()}"
    )


@pytest.mark.parametrize("case", BENIGN, ids=lambda c: c.path.stem)
def test_benign_scripts_are_not_blocked(case: Case) -> None:
    result = report(case.path)
    matches = result.verdict == case.verdict and case.rules <= {f.rule for f in result.findings}
    assert matches, (
        f"{case.path.name}: expected {case.verdict} with {sorted(case.rules)}, "
        f"got {result.verdict}\n{describe(result)}\n{summary()}"
    )
    assert not any(f.source == "policy" for f in result.findings), describe(result)
