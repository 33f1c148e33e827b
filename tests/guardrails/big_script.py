"""A large, real script for the tests that load the analysis: whole modules of this
Python's standard library, up to a size."""

from __future__ import annotations

import sysconfig
from functools import cache
from pathlib import Path


@cache
def stdlib_script(size: int = (1 << 20) - 1024) -> str:
    """About ``size`` bytes (UTF-8) of Python that this Python parses: its own modules."""
    parts, total = [], 0
    for path in sorted(Path(sysconfig.get_paths()["stdlib"]).glob("*.py")):
        text = path.read_text(encoding="utf-8", errors="replace")
        length = len(text.encode()) + 1
        if total + length <= size:
            parts.append(text)
            total += length
    return "\n".join(parts)
