"""ScriptForge's language server as jupyter-lsp knows it (entry point
``jupyter_lsp_spec_v1``), for the language ``python``: jupyterlab-lsp finds it in
``/lsp/status`` and opens ``/lsp/ws/scriptforge-python``, which ScriptForge serves in its
own process (api/editor_socket.py), so jupyter-lsp never starts its command."""

from __future__ import annotations

import sys
from typing import Any

SPEC_KEY = "scriptforge-python"
# A spec must name a command; this one only says where the socket is served.
_NEVER_STARTED = (
    "import sys; sys.exit('ScriptForge serves the WebSocket of scriptforge-python itself: "
    "no process is started for it')"
)


def spec(manager: Any) -> dict[str, Any]:
    return {
        SPEC_KEY: {
            "argv": [sys.executable, "-I", "-S", "-c", _NEVER_STARTED],
            "languages": ["python"],
            "version": 2,
            "display_name": "ScriptForge (python-lsp-server on each script's interpreter)",
            "mime_types": ["text/python", "text/x-ipython"],
            # The router reads documents from the editor, never from disk.
            "requires_documents_on_disk": False,
        }
    }
