"""GuardrailService: the guardrails as the server configures them, for handlers and the
assistant."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..errors import TooLarge
from .analysis import analyze
from .bandit_checks import BanditChecker
from .findings import Report
from .policy import DEFAULT_DENIED_CALLS, DEFAULT_DENIED_IMPORTS, Policy
from .prompt import PromptFilter, Redaction


class GuardrailService:
    """The code-side checks (policy and bandit) and the prompt-side filters of one server."""

    def __init__(
        self,
        denied_imports: Sequence[str] = DEFAULT_DENIED_IMPORTS,
        denied_calls: Sequence[str] = DEFAULT_DENIED_CALLS,
        allowed: Sequence[str] = (),
        bandit_skips: Sequence[str] = ("B101",),
        max_content_bytes: int = 1 << 20,
        max_prompt_chars: int = 40_000,
    ) -> None:
        self.policy = Policy(tuple(denied_imports), tuple(denied_calls), tuple(allowed))
        self.bandit = BanditChecker(bandit_skips)
        self.prompts = PromptFilter(max_prompt_chars)
        self.max_content_bytes = max_content_bytes

    def analyze(self, content: str) -> Report:
        """The report on ``content``; blocking (a parse and two tree walks), so handlers
        call it through ``run_blocking``. Content over ``max_content_bytes`` is a 413."""
        size = len(content.encode("utf-8", "surrogatepass"))
        if size > self.max_content_bytes:
            raise TooLarge(
                f"The code is {size:,} bytes; at most {self.max_content_bytes:,} are analysed.",
                size=size,
                max_bytes=self.max_content_bytes,
            )
        return analyze(content, self.policy, self.bandit)

    # --- the assistant's seams (AssistantService.prompt_filter and .analyze) --------------

    def redaction(self, *parts: str) -> tuple[Redaction, list[str]]:
        """All parts of one prompt (instruction, script, a run's output), checked together
        against the cap (``PromptTooLarge``, a 413) and redacted with numbered placeholders;
        the ``Redaction`` then restores the secrets in the model's answer."""
        return self.prompts.redaction(*parts)

    def report(self, content: str, original: str | None = None) -> dict[str, Any]:
        """The report on generated code, as JSON; for a change of ``original``, what was in
        the original already does not block (``Report.beside``)."""
        report = self.analyze(content)
        if original is not None:
            report = report.beside(self.analyze(original))
        return report.to_json()
