"""The REST API: thin tornado handlers, one module per resource."""

from . import (
    analyze,
    assistant,
    audit,
    groups,
    health,
    language,
    me,
    runs,
    scripts,
    versions,
)

API_PREFIX = "scriptforge/api"


def handlers() -> list[tuple[str, type]]:
    """The route table; jupyter-server puts its base URL in front of each path."""
    return [
        (f"{API_PREFIX}/{path}", handler)
        for module in (
            health,
            me,
            scripts,
            versions,
            runs,
            groups,
            analyze,
            assistant,
            audit,
            language,
        )
        for path, handler in module.default_handlers
    ]
