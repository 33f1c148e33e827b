"""Every kind of redaction, as one pass over a text each, in the order that keeps each from
another's way (the known formats first: they are certain; a secret found by one pass is a
placeholder the later ones leave alone)."""

from __future__ import annotations

from collections.abc import Callable

from .assignments import (
    redact_env_prefixes,
    redact_literals,
    redact_lookup_defaults,
    redact_parenthesised,
    redact_tuples,
    redact_unquoted,
)
from .commands import redact_command_credentials, redact_long_options
from .comparisons import redact_comparisons
from .connections import redact_connection_strings, redact_option_lists, redact_url_parameters
from .formats import redact_formats
from .marks import Redacted, Scan

PASSES: tuple[Callable[[str, Scan], str], ...] = (
    redact_formats,
    redact_url_parameters,
    redact_tuples,
    redact_parenthesised,
    redact_literals,
    redact_env_prefixes,
    redact_unquoted,
    redact_lookup_defaults,
    redact_comparisons,
    redact_connection_strings,
    redact_option_lists,
    redact_command_credentials,
    redact_long_options,
)


def redact_with(text: str, placeholder: Callable[[str], str]) -> Redacted:
    """``text`` with every secret replaced by ``placeholder(secret)``."""
    scan = Scan(placeholder)
    for redact_kind in PASSES:
        text = redact_kind(text, scan)
    return Redacted(text, dict(scan.counts))
