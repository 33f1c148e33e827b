"""The REST API: thin tornado handlers, one module per resource."""

API_PREFIX = "scriptforge/api"


def handlers() -> list[tuple[str, type]]:
    """The route table; jupyter-server puts its base URL in front of each path."""
    # Imported here: a team member's server uses the editor socket of this package
    # without the services these modules need (the store, runners, assistant).
    from . import (
        analyze,
        artifacts,
        assistant,
        audit,
        dependencies,
        groups,
        health,
        language,
        me,
        parameters,
        runs,
        schedules,
        scripts,
        versions,
    )

    return [
        (f"{API_PREFIX}/{path}", handler)
        for module in (
            health,
            me,
            scripts,
            versions,
            parameters,
            dependencies,
            runs,
            artifacts,
            groups,
            schedules,
            analyze,
            assistant,
            audit,
            language,
        )
        for path, handler in module.default_handlers
    ]
