"""What a secret's value looks like in text: a string literal, or not a secret at all (a
placeholder such as ``{token}`` or ``$TOKEN``, a setting such as ``no``)."""

from __future__ import annotations

import re

from .marks import REDACTED_ANY

STRING = (
    r"""(?P<prefix>[rRbBuUfF]{0,2})(?P<quote>\"\"\"|'''|"|')"""
    # A backslash is only ever an escape: with one way to match it, a long run of them in
    # an unclosed string cannot make the engine try every split (exponential time).
    r"""(?P<value>(?:\\.|(?!(?P=quote))[^\\])*?)(?P=quote)"""
)
STRING_RE = re.compile(STRING, re.DOTALL)
_PLACEHOLDER = re.compile(r"[{%$<]|\*+$|x+$|.*(?:\.\.\.|…)$", re.IGNORECASE)
# Values that are a setting, not a secret: PasswordAuthentication=no, auth == "none"
NO_SECRET = re.compile(r"(?i:yes|no|true|false|on|off|none|null|nil|empty|unset)")


def is_placeholder(value: str) -> bool:
    """``{token}``, ``%s``, ``$TOKEN``, ``<your-key>``, ``***``, ``«redacted»``: no secret
    to hide."""
    return bool(REDACTED_ANY.search(value) or _PLACEHOLDER.match(value))


def redactable(string: re.Match[str]) -> bool:
    value = string.group("value")
    formatted = "f" in string.group("prefix").lower() and "{" in value
    return bool(value.strip()) and not REDACTED_ANY.search(value) and not formatted
