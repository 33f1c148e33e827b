"""The server's services for tests, wired by the server's own ``build_services``."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jupyter_scriptforge.config import ScriptForgeConfig
from jupyter_scriptforge.execution.interpreters import InterpreterRegistry
from jupyter_scriptforge.execution.runners.base import Runner
from jupyter_scriptforge.services import Services, build_services
from tests import language_tools


def services_on(
    db_url: str,
    root: Path,
    *,
    runners: Mapping[str, Runner] | None = None,
    interpreters: InterpreterRegistry | None = None,
    **settings: Any,
) -> Services:
    """The services of a server on the store ``db_url`` and root ``root``, with ``settings``
    (``ScriptForgeConfig`` traits) over the defaults. Unless given, no runner (nothing here
    runs a script) and no interpreter; analyses run in the calling thread."""
    # Environments of declared dependencies beside the root, not in the user's data folder.
    settings.setdefault("env_cache_dir", str(root.parent / f"{root.name}-environments"))
    config = ScriptForgeConfig(
        db_url=db_url,
        discover_interpreters=False,
        analysis_workers=0,
        **{**language_tools.SETTINGS, **settings},
    )
    return build_services(
        config,
        root,
        runners=runners if runners is not None else {},
        interpreters=interpreters or InterpreterRegistry({}, search=False),
    )
