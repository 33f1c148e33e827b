"""How a server runs scripts: its name on the runs it executes, the default runner and
limits, how output is saved, and which runs the runtime policy guards."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..guardrails.runtime import RUNTIME_RULES, RuntimeScope
from .runners.base import Limits


@dataclass(frozen=True)
class RunSettings:
    instance: str
    default_runner: str = "local"
    limits: Limits = field(default_factory=Limits)
    # Some users' limits instead of ``limits`` (ScriptForgeApp.user_limits).
    user_limits: Mapping[str, Limits] = field(default_factory=dict)
    max_timeout_seconds: float = 3600.0
    max_output_chars: int = 1 << 20
    flush_seconds: float = 0.25
    running_mark_seconds: float = 0.1
    # Which runs get the runtime policy (guardrails/runtime.py), and its rules.
    runtime_scope: RuntimeScope = "assistant"
    runtime_rules: tuple[str, ...] = RUNTIME_RULES

    def limits_of(self, user: str) -> Limits:
        return self.user_limits.get(user, self.limits)
