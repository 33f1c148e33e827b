"""ScriptForge's language server as jupyter-lsp knows it (entry point
``jupyter_lsp_spec_v1``): the bridge to the router, for the language ``python``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

SPEC_KEY = "scriptforge-python"


def spec(manager: Any) -> dict[str, Any]:
    bridge = Path(__file__).with_name("bridge.py")
    return {
        SPEC_KEY: {
            "argv": [sys.executable, "-I", "-S", str(bridge)],
            "languages": ["python"],
            "version": 2,
            "display_name": "ScriptForge (python-lsp-server on each script's interpreter)",
            "mime_types": ["text/python", "text/x-ipython"],
            # The router reads documents from the editor, never from disk.
            "requires_documents_on_disk": False,
        }
    }
