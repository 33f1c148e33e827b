"""How a server runs scripts: its name on the runs it executes, the default runner and
limits, how output is saved, and which runs the runtime policy guards."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..guardrails.runtime import RUNTIME_RULES, RuntimeScope
from .runners.base import Limits


@dataclass(frozen=True)
class RunSettings:
    instance: str
    default_runner: str = "local"
    limits: Limits = field(default_factory=Limits)
    max_timeout_seconds: float = 3600.0
    max_output_chars: int = 1 << 20
    flush_seconds: float = 0.25
    running_mark_seconds: float = 0.1
    # Which runs get the runtime policy (guardrails/runtime.py), and its rules.
    runtime_scope: RuntimeScope = "assistant"
    runtime_rules: tuple[str, ...] = RUNTIME_RULES
