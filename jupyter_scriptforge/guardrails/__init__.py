"""Guardrails: the AST policy and bandit on code, the size cap and redaction on prompts.

Plain Python (no tornado): ``GuardrailService`` is what the server wires in; ``analyze``,
``Policy``, ``redact`` and ``Redaction`` are usable on their own.
"""

from .analysis import analyze
from .findings import Finding, Report, Verdict
from .policy import DEFAULT_DENIED_CALLS, DEFAULT_DENIED_IMPORTS, Policy
from .prompt_filter import PromptFilter, PromptTooLarge
from .redaction import REDACTED, Redacted, Redaction, redact
from .service import GuardrailService

__all__ = [
    "DEFAULT_DENIED_CALLS",
    "DEFAULT_DENIED_IMPORTS",
    "REDACTED",
    "Finding",
    "GuardrailService",
    "Policy",
    "PromptFilter",
    "PromptTooLarge",
    "Redacted",
    "Redaction",
    "Report",
    "Verdict",
    "analyze",
    "redact",
]
