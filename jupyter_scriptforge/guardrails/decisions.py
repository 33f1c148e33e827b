"""What a guardrail decision leaves in the audit log: the code and its report, redacted.

The log and its events are read by admins and event sinks, not by the code's author, so
what they get is redacted like a prompt: the code's secrets (and the lines of the findings
quoting them) become ``«redacted»``. Redacting a large script is seconds of regular
expressions, so it is computed with the analysis, in the analysis workers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .findings import code_line
from .redaction import REDACTED, redact

_LINE_BREAKS = re.compile(r"\r\n|\r|\n")  # the ones the analysis counts


@dataclass(frozen=True)
class AuditForm:
    """``content`` and ``report`` as the audit log keeps them; ``counts``: secrets
    redacted, by kind (empty: nothing was)."""

    content: str
    report: dict[str, Any]
    counts: dict[str, int]


def audit_form(content: str, report: dict[str, Any]) -> AuditForm:
    """The content and the report with every secret redacted (blocking: regexes on up to
    ``max_content_bytes``).

    A finding's code is its line of the redacted content, shortened as the analysis does: a
    secret its own shortening cut (a long ``password = "..."``) would not be recognised in
    what is left. Multi-line secrets keep their line breaks, so the numbers still match."""
    redacted = redact(content, keep_lines=True)
    counts = dict(redacted.counts)
    if not counts:
        return AuditForm(content, report, counts)
    lines = _LINE_BREAKS.split(redacted.text)
    findings = []
    for finding in report.get("findings", []):
        code, line = finding.get("code"), finding.get("line")
        if isinstance(code, str) and code:
            # The line's secrets are counted in the content already.
            whole = code_line(lines, line) if isinstance(line, int) else ""
            finding = {**finding, "code": whole or redact(code).text}
        message = finding.get("message")
        if isinstance(message, str):
            finding = {**finding, "message": _unquote(message, content, redacted.text)}
        findings.append(finding)
    return AuditForm(redacted.text, {**report, "findings": findings}, counts)


def _unquote(message: str, content: str, redacted: str) -> str:
    """``message`` without the quoted parts of ``content`` that its redaction lost: bandit
    quotes what it found (``Possible hardcoded password: 'hunter2'``), from any line of a
    statement, and whole (``'it's'``: from its first quote to its last, then each pair)."""

    def replace(match: re.Match[str]) -> str:
        quoted = match[0][1:-1]
        secret = quoted and quoted in content and quoted not in redacted
        return f"'{REDACTED}'" if secret else match[0]

    for quoted in _QUOTED:
        message = quoted.sub(replace, message)
    return message


# A quoted part of a message: first the widest, from a quote to the last like it (a secret
# may hold quotes), then each pair.
_QUOTED = (re.compile(r"'.*'|\".*\"", re.DOTALL), re.compile(r"'[^']*'|\"[^\"]*\""))
