"""Strings compared with a secret name: ``password == "..."``, ``cfg["api_key"] != "..."``,
``"..." == token``."""

from __future__ import annotations

import re

from .marks import REDACTED_ANY, Scan
from .secret_names import ends_in_a_secret
from .values import NO_SECRET, is_placeholder, redactable

# A string literal on one line, for comparisons (an apostrophe in prose must not reach into
# the next lines for a "==").
_LINE_STRING = (
    r"""(?P<prefix>[rRbBuUfF]{0,2})(?P<quote>\"\"\"|'''|"|')"""
    r"""(?P<value>(?:\\.|(?!(?P=quote))[^\\\n])*?)(?P=quote)"""
)
# password == "...", self.token != "...", cfg["api_key"] == "..."; and "..." == password
_COMPARED = re.compile(
    r"(?:(?<!\w)(?P<name>[A-Za-z_]\w*)|(?P<q>[\"'])(?P<key>[A-Za-z_][\w\-]*)(?P=q)\])"
    r"[ \t]*[!=]=[ \t]*" + _LINE_STRING
)
# "..." == password: found at its closing quote, whose opening ``_reversed_comparisons``
# looks for on the same line, a bounded way back (a regex starting at every quote would read
# to the line's end from each: quadratic time on a line of escaped quotes).
_COMPARED_REVERSED = re.compile(
    r"(?P<quote>[\"'])[ \t]*[!=]=[ \t]*(?P<name>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)"
)
_MAX_COMPARED = 1000  # characters of a string compared with a secret name


def redact_comparisons(text: str, scan: Scan) -> str:
    """Both ways round, each value once."""

    def compared(match: re.Match[str]) -> str:
        name = match.group("name") or match.groupdict()["key"]
        if (
            not ends_in_a_secret(name)
            or not redactable(match)
            or _no_compared_secret(match["value"])
        ):
            return match.group(0)
        scan.counts["secret_comparison"] += 1
        return scan.hide(match.group(0), match.start(), [match.span("value")])

    text = _COMPARED.sub(compared, text)
    spans = [
        span for span in _reversed_comparisons(text) if not _no_compared_secret(text[slice(*span)])
    ]
    if spans:
        scan.counts["secret_comparison"] += len(spans)
        text = scan.hide(text, 0, spans)
    return text


def _reversed_comparisons(text: str) -> list[tuple[int, int]]:
    """The spans of the string values in ``"..." == password`` (or ``!=``), in order: from
    the closing quote back to the last one like it on the line, neither of them escaped."""
    spans: list[tuple[int, int]] = []
    for match in _COMPARED_REVERSED.finditer(text):
        if not ends_in_a_secret(match.group("name")):
            continue
        end = match.start()
        start = text.rfind(match.group("quote"), max(0, end - _MAX_COMPARED), end) + 1
        value = text[start:end]
        escaped = len(value) - len(value.rstrip("\\"))
        prefix = text[max(0, start - 3) : start - 1].lower()
        if (
            not start
            or not value.strip()
            or "\n" in value
            or escaped % 2  # the closing quote is escaped: no string ends there
            or text[start - 2 : start - 1] == "\\"  # nor starts at an escaped one
            or (spans and start <= spans[-1][1])
            or REDACTED_ANY.search(value)
            or ("{" in value and "f" in prefix)  # f"{user}" == token: built from names
        ):
            continue
        spans.append((start, end))
    return spans


def _no_compared_secret(value: str) -> bool:
    """Whether a string compared with a secret name holds nothing secret: a placeholder, or
    no letter or digit once its escapes are gone (``token == "("``, ``token != "\\n"``), or
    an option (``token != "-i"``)."""
    return (
        is_placeholder(value)
        or NO_SECRET.fullmatch(value) is not None
        or value.startswith("-")
        or not re.search(r"[^\W_]", re.sub(r"\\.", "", value))
    )
