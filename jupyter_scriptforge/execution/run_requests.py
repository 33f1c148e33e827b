"""What a user may ask for when starting a run, checked (``POST runs``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import InvalidInput
from ..inputs import Body, arguments, known_fields, optional_id, optional_name, timeout
from .runners.environment import check_parameters

SOURCES = ("published", "head", "working_copy")


@dataclass(frozen=True)
class RunRequest:
    script_id: int | None = None
    group_id: int | None = None
    version_id: int | None = None
    source: str | None = None
    interpreter: str | None = None
    runner: str | None = None
    args: list[str] = field(default_factory=list)
    # Values of the version's parameters (read from its code), instead of ``args``.
    parameters: dict[str, Any] | None = None
    env: dict[str, str] = field(default_factory=dict)
    timeout: float | None = None


_FIELDS = (
    "script_id",
    "group_id",
    "version_id",
    "source",
    "interpreter",
    "runner",
    "args",
    "parameters",
    "env",
    "timeout",
)


def run_request(body: Body, max_timeout: float) -> RunRequest:
    known_fields(body, _FIELDS)
    script_id = optional_id(body, "script_id")
    group_id = optional_id(body, "group_id")
    if (script_id is None) == (group_id is None):
        raise InvalidInput("Give exactly one of script_id and group_id.")
    if group_id is not None and set(body) - {"group_id"}:
        raise InvalidInput("A group run takes only group_id; its items carry their settings.")
    source = body.get("source")
    if source is not None and source not in SOURCES:
        raise InvalidInput(f"source must be one of {', '.join(SOURCES)}.")
    version_id = optional_id(body, "version_id")
    if version_id is not None and source is not None:
        raise InvalidInput("Give either version_id or source, not both.")
    parameters = body.get("parameters")
    if parameters is not None and not isinstance(parameters, dict):
        raise InvalidInput("parameters must be an object of values by name.")
    if parameters is not None and body.get("args"):
        raise InvalidInput("Give either parameters or args, not both.")
    return RunRequest(
        script_id=script_id,
        group_id=group_id,
        version_id=version_id,
        source=source,
        interpreter=optional_name(body, "interpreter"),
        runner=optional_name(body, "runner"),
        args=arguments(body.get("args")),
        parameters=parameters,
        env=check_parameters(body.get("env")),
        timeout=timeout(body.get("timeout"), max_timeout),
    )
