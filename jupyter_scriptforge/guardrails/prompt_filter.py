"""The last step before a prompt leaves the server: the size cap, then redaction."""

from __future__ import annotations

from ..errors import TooLarge
from .redaction import Redaction


class PromptTooLarge(TooLarge):
    """A prompt (instruction, script and context together) over ``max_prompt_chars``."""


class PromptFilter:
    """The size cap and the redaction, as one step before a prompt leaves."""

    def __init__(self, max_chars: int = 40_000) -> None:
        self.max_chars = max_chars

    def check_size(self, *parts: str) -> None:
        size = sum(len(p) for p in parts)
        if self.max_chars and size > self.max_chars:
            raise PromptTooLarge(
                f"The prompt is {size:,} characters; at most {self.max_chars:,} may be sent "
                "to the model. Select less code or shorten the instruction.",
                size=size,
                max_chars=self.max_chars,
            )

    def redaction(self, *parts: str) -> tuple[Redaction, list[str]]:
        """All parts of one prompt, capped together (``PromptTooLarge``), each redacted by
        one ``Redaction``, which then restores the model's answer."""
        self.check_size(*parts)
        redaction = Redaction()
        return redaction, [redaction.redact(part).text for part in parts]
