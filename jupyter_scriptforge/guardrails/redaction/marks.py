"""What redaction leaves in a text — the placeholders — and the bookkeeping of one pass over
a text (``Scan``): the placeholder each secret becomes, and how many of each kind went."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

REDACTED = "«redacted»"
# What redaction leaves: the bare placeholder or a numbered one. Checks for "redacted
# already" use this, so that redacting twice changes nothing.
REDACTED_ANY = re.compile(r"«redacted(?:-[0-9]+)?»")
# A Redaction's own placeholders (at most 9 digits: ``int`` of a longer run is refused).
NUMBERED = re.compile(r"«redacted-([1-9][0-9]{0,8})»")

LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Redacted:
    text: str
    counts: dict[str, int] = field(default_factory=dict)  # kind → how many were redacted

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class Scan:
    """One redaction of one text: each secret found becomes ``placeholder(secret)``, and
    ``counts`` says how many of each kind were found (never what)."""

    def __init__(self, placeholder: Callable[[str], str]) -> None:
        self.placeholder = placeholder
        self.counts: Counter[str] = Counter()

    def hide(self, whole: str, offset: int, spans: list[tuple[int, int]]) -> str:
        """``whole`` (at ``offset`` in the text) with each span, in order, a placeholder."""
        pieces, done = [], 0
        for start, end in spans:
            start, end = start - offset, end - offset
            pieces += [whole[done:start], self.placeholder(whole[start:end])]
            done = end
        return "".join([*pieces, whole[done:]])
