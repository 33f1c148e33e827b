"""python-lsp-server for the tests: ``make`` installs it for every interpreter into
``.cache/language-tools`` and fills uv's cache in ``.cache/uv``; servers under test use that
folder and install anything missing from the cache alone (tests reach no package index)."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
UV_CACHE = REPO / ".cache" / "uv"
TOOLS = REPO / ".cache" / "language-tools"

# Inherited by every server and uv the tests start.
os.environ["UV_CACHE_DIR"] = str(UV_CACHE)

SETTINGS = {"lsp_tools_dir": str(TOOLS), "lsp_offline": True}
ARGS = tuple(f"--ScriptForgeApp.{name}={value}" for name, value in SETTINGS.items())
