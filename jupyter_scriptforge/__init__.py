"""ScriptForge: write, version and run Python scripts as a team inside JupyterLab."""

from typing import Any

try:
    from ._version import __version__
except ImportError:  # pragma: no cover - only in a source tree that was never built
    __version__ = "0.0.0.dev0"


__all__ = ["__version__"]


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "jupyter-scriptforge"}]


def _jupyter_server_extension_points() -> list[dict[str, Any]]:
    import os

    if os.environ.get("SCRIPTFORGE_SERVICE_URL"):
        # A team member's server (its container under JupyterHub): the team's service
        # holds the store and runs; nothing of them is imported here.
        from .team.app import TeamMemberApp

        return [{"module": "jupyter_scriptforge", "app": TeamMemberApp}]
    from .app import ScriptForgeApp

    return [{"module": "jupyter_scriptforge", "app": ScriptForgeApp}]
