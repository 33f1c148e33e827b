"""What a user may ask for when starting a run or defining a group, checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import InvalidInput
from .runners.environment import check_parameters

SOURCES = ("published", "head", "working_copy")
_MAX_ARGS = 100
_MAX_ARG_CHARS = 4096


@dataclass(frozen=True)
class RunRequest:
    script_id: int | None = None
    group_id: int | None = None
    version_id: int | None = None
    source: str | None = None
    interpreter: str | None = None
    runner: str | None = None
    args: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    timeout: float | None = None


def run_request(body: dict[str, Any], max_timeout: float) -> RunRequest:
    allowed = {
        "script_id",
        "group_id",
        "version_id",
        "source",
        "interpreter",
        "runner",
        "args",
        "env",
        "timeout",
    }
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise InvalidInput(f"Unknown field(s): {', '.join(unknown)}.")
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
    return RunRequest(
        script_id=script_id,
        group_id=group_id,
        version_id=version_id,
        source=source,
        interpreter=optional_name(body, "interpreter"),
        runner=optional_name(body, "runner"),
        args=arguments(body.get("args")),
        env=check_parameters(body.get("env")),
        timeout=timeout(body.get("timeout"), max_timeout),
    )


def optional_id(body: dict[str, Any], name: str) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**31:
        raise InvalidInput(f"{name} must be a positive integer.")
    return value


def optional_name(body: dict[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not 0 < len(value) <= 255 or not _storable(value):
        raise InvalidInput(f"{name} must be a name of 1 to 255 characters.")
    return value


def _storable(text: str) -> bool:
    """Text every database keeps: no NUL, no lone surrogate."""
    if "\0" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def arguments(value: object) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(arg, str) for arg in value):
        raise InvalidInput("args must be a list of strings.")
    if len(value) > _MAX_ARGS:
        raise InvalidInput(f"args has {len(value)} items; at most {_MAX_ARGS}.")
    for arg in value:
        if len(arg) > _MAX_ARG_CHARS or not _storable(arg):
            raise InvalidInput("Each argument is at most 4096 characters of text, without NUL.")
    return list(value)


def timeout(value: object, maximum: float) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= maximum:
        raise InvalidInput(f"timeout must be a number of seconds above 0, at most {maximum:g}.")
    return float(value)
