"""The two ways to redact: one-way (``redact``, for what nobody restores: the audit log), and
numbered placeholders (``Redaction``) put back into a model's answer, so that applying it
keeps the real secrets."""

from __future__ import annotations

import re
from collections import Counter

from .marks import LINE_BREAK, NUMBERED, REDACTED, Redacted
from .scan import redact_with


def redact(text: str, *, keep_lines: bool = False) -> Redacted:
    """``text`` with every secret it holds replaced by ``«redacted»``: one-way, for what
    nobody restores (the audit log). A prompt whose answer is applied uses a ``Redaction``.

    With ``keep_lines``, a secret over several lines (a private key, a triple-quoted string)
    leaves its line breaks after the placeholder, so that line N of the result is line N of
    ``text``: for reports that quote lines by number."""
    if keep_lines:
        return redact_with(text, lambda secret: REDACTED + "".join(LINE_BREAK.findall(secret)))
    return redact_with(text, lambda secret: REDACTED)


class Redaction:
    """The secrets of one request to a model, each behind a numbered placeholder.

    A request has several parts (the instruction, the script, a run's output); numbers run
    across all of them, and the same value gets the same number everywhere, so the model
    can tell them apart and ``restore`` can put each back into its answer (``conceal`` takes
    them out again, for the audit). The values live only in this object (its ``repr`` does
    not show them): never logged, never stored.

    A placeholder a part already holds keeps its number to itself; one a later part holds
    with a number given out already is read as that secret (they cannot be told apart)."""

    def __init__(self) -> None:
        self._secrets: dict[int, str] = {}  # number → value
        self._numbers: dict[str, int] = {}  # value → number
        self._taken: set[int] = set()  # numbers the texts themselves hold: never ours
        self._next = 1
        self._counts: Counter[str] = Counter()
        self._concealer: re.Pattern[str] | None = None  # the secrets, for conceal

    def __repr__(self) -> str:
        return f"Redaction({len(self._secrets)} secrets, counts={dict(self._counts)})"

    @property
    def counts(self) -> dict[str, int]:
        """Kind → how many were redacted, over every part so far."""
        return dict(self._counts)

    @property
    def total(self) -> int:
        return sum(self._counts.values())

    def redact(self, text: str) -> Redacted:
        """``text`` with every secret replaced by ``«redacted-N»``."""
        # A placeholder already in the text (from an earlier redaction the user pasted) keeps
        # its number to itself, so that restoring never turns it into one of our secrets.
        self._taken.update(int(n) for n in NUMBERED.findall(text))
        result = redact_with(text, self._placeholder)
        self._counts.update(result.counts)
        return result

    def restore(self, text: str) -> str:
        """``text`` (the model's answer) with each of our placeholders back to its secret;
        an unknown number and the bare ``«redacted»`` stay as they are."""
        if not self._secrets:
            return text

        def secret(match: re.Match[str]) -> str:
            return self._secrets.get(int(match[1]), match[0])

        return NUMBERED.sub(secret, text)

    def conceal(self, text: str) -> str:
        """``text`` with every secret of this request turned back into its placeholder:
        for what is recorded about the restored answer (its analysis quotes lines of it).
        Every occurrence goes, the longest secret first (one may hold another)."""
        if not self._numbers:
            return text
        if self._concealer is None:
            secrets = sorted(self._numbers, key=len, reverse=True)
            self._concealer = re.compile("|".join(map(re.escape, secrets)))
        return self._concealer.sub(lambda match: f"«redacted-{self._numbers[match[0]]}»", text)

    def _placeholder(self, secret: str) -> str:
        # A secret can hold one redacted before it (a token in a URL's password): the value
        # kept is the original, so one restore gives the original back.
        secret = self.restore(secret)
        number = self._numbers.get(secret)
        if number is None:
            while self._next in self._taken:
                self._next += 1
            number, self._next = self._next, self._next + 1
            self._numbers[secret] = number
            self._secrets[number] = secret
            self._concealer = None
        return f"«redacted-{number}»"
